import type { FC } from 'hono/jsx';
import type { BirthDateField, BirthDateParts } from '../birth-date.ts';
import type { PageFrame } from '../layout.tsx';
import { FieldError } from './form-parts.tsx';

const FIELDS: readonly {
  readonly id: BirthDateField;
  readonly part: keyof BirthDateParts;
  readonly label: 'signIn.day' | 'signIn.month' | 'signIn.year';
  readonly autocomplete: string;
  readonly width: string;
  readonly max: number;
}[] = [
  {
    id: 'birthDay',
    part: 'day',
    label: 'signIn.day',
    autocomplete: 'bday-day',
    width: 'w2',
    max: 4,
  },
  {
    id: 'birthMonth',
    part: 'month',
    label: 'signIn.month',
    autocomplete: 'bday-month',
    width: 'w2',
    max: 4,
  },
  {
    id: 'birthYear',
    part: 'year',
    label: 'signIn.year',
    autocomplete: 'bday-year',
    width: 'w4',
    max: 8,
  },
];

/**
 * The birth date as three fields, day, month, year (GOV.UK date input): people know the date and
 * type it faster than they pick it in a calendar, and a screen reader names each part. Text
 * inputs with a numeric keypad, not `type=number`, which would drop leading zeros, take "1e3"
 * and change the value on a scroll. The fields keep what the person typed after a problem.
 */
export const BirthDateInput: FC<{
  tr: PageFrame['tr'];
  values: BirthDateParts;
  /** The problem with the date, and which fields it concerns. */
  problem?: { readonly text: string; readonly fields: readonly BirthDateField[] } | undefined;
}> = ({ tr, values, problem }) => (
  <div class={problem === undefined ? 'field' : 'field invalid'}>
    <fieldset
      role="group"
      aria-describedby={problem === undefined ? 'birth-hint' : 'birth-hint birth-error'}
    >
      <legend>{tr.t('signIn.secondFactor')}</legend>
      <p class="hint" id="birth-hint">
        {tr.t('signIn.secondFactorHint')} {tr.t('signIn.dateHint')}
      </p>
      <FieldError tr={tr} id="birth-error" text={problem?.text} />
      {/* Right to left the row runs from the right, day first, as the hint's example reads there. */}
      <div class="date-input">
        {FIELDS.map((field) => (
          <div class="date-part">
            <label for={field.id}>{tr.t(field.label)}</label>
            <input
              class={`${field.width}${problem?.fields.includes(field.id) === true ? ' invalid' : ''}`}
              type="text"
              inputmode="numeric"
              id={field.id}
              name={field.id}
              value={values[field.part]}
              maxlength={field.max}
              autocomplete={field.autocomplete}
              spellcheck={false}
              aria-invalid={problem?.fields.includes(field.id) === true ? 'true' : undefined}
            />
          </div>
        ))}
      </div>
    </fieldset>
  </div>
);
