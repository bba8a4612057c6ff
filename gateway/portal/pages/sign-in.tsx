import type { FC } from 'hono/jsx';
import type { BirthDateField, BirthDateParts } from '../birth-date.ts';
import { CsrfField, Layout, Message, type PageFrame } from '../layout.tsx';
import { BirthDateInput } from './birth-date-input.tsx';
import { WithCodes } from './code.tsx';
import { ErrorSummary, FieldError, titleWithProblems, type FormProblem } from './form-parts.tsx';

/** What is wrong with a sign-in form the person sent, by field. */
export interface SignInProblems {
  /** The code and date match no request: which of the two is wrong nobody may learn. */
  readonly credentials?: string | undefined;
  readonly code?: string | undefined;
  readonly birthDate?:
    { readonly text: string; readonly fields: readonly BirthDateField[] } | undefined;
}

export interface SignInView {
  /** The code from the link in the person's letter, so they need not type it. */
  readonly code: string;
  /** The birth date as typed, kept after a problem so one typo is one fix. */
  readonly birthDate?: BirthDateParts | undefined;
  readonly csrf: string;
  /** A notice, or a refusal that no field can fix (locked, expired, too many attempts). */
  readonly message?: { readonly kind: 'info' | 'error'; readonly text: string } | undefined;
  readonly problems?: SignInProblems | undefined;
  /** Whether the deployment offers the identity-verified sign-in. */
  readonly eid: boolean;
}

/** The problems in the order of the form's fields, each linked to the first field to fix. */
export function signInProblemList(problems: SignInProblems | undefined): FormProblem[] {
  if (problems === undefined) return [];
  const list: FormProblem[] = [];
  if (problems.credentials !== undefined) list.push({ field: 'code', text: problems.credentials });
  if (problems.code !== undefined) list.push({ field: 'code', text: problems.code });
  const date = problems.birthDate;
  if (date !== undefined) list.push({ field: date.fields[0] ?? 'birthDay', text: date.text });
  return list;
}

const NO_DATE: BirthDateParts = { day: '', month: '', year: '' };

/** Sign-in with the one-time code and the birth date the office recorded. */
export const SignInPage: FC<{ frame: PageFrame; view: SignInView }> = ({ frame, view }) => {
  const { tr } = frame;
  const problems = signInProblemList(view.problems);
  const codeError = view.problems?.code;
  return (
    <Layout {...frame} title={titleWithProblems(tr, frame.title, problems)}>
      <ErrorSummary tr={tr} problems={problems} />
      <h1>{tr.t('signIn.title')}</h1>
      {view.message === undefined ? null : (
        <Message kind={view.message.kind}>{view.message.text}</Message>
      )}
      <p class="lead">{tr.t('signIn.intro')}</p>
      <form method="post" action="/portal/sign-in" novalidate>
        <CsrfField token={view.csrf} />
        <div class={codeError === undefined ? 'field' : 'field invalid'}>
          <label for="code">{tr.t('signIn.code')}</label>
          <p class="hint" id="code-hint">
            <WithCodes text={tr.t('signIn.codeHint')} />
          </p>
          <FieldError tr={tr} id="code-error" text={codeError} />
          <CodeInput
            name="code"
            value={view.code}
            max={32}
            autocomplete="one-time-code"
            invalid={codeError !== undefined}
            hint={codeError === undefined ? 'code-hint' : 'code-hint code-error'}
          />
        </div>
        <BirthDateInput
          tr={tr}
          values={view.birthDate ?? NO_DATE}
          problem={view.problems?.birthDate}
        />
        <div class="actions">
          <button class="primary" type="submit">
            {tr.t('signIn.submit')}
          </button>
        </div>
      </form>
      <p class="hint">{tr.t('signIn.privacy')}</p>
      <OtherWays tr={tr} csrf={view.csrf} eid={view.eid} withdrawal />
    </Layout>
  );
};

/**
 * The other ways in: the withdrawal code the person got on grant, and the ID card. Withdrawing
 * must stay as easy as consenting, so every sign-in page shows them.
 */
export const OtherWays: FC<{
  tr: PageFrame['tr'];
  csrf: string;
  eid: boolean;
  withdrawal?: boolean;
  returnTo?: string;
}> = ({ tr, csrf, eid, withdrawal, returnTo }) => (
  <>
    {withdrawal === true ? (
      <section aria-labelledby="withdrawal-heading">
        <h2 id="withdrawal-heading">{tr.t('signIn.withdrawalTitle')}</h2>
        <p>{tr.t('signIn.withdrawalIntro')}</p>
        <p>
          <a href="/portal/withdraw">{tr.t('signIn.withdrawalTitle')}</a>
        </p>
      </section>
    ) : null}
    <section aria-labelledby="eid-heading">
      <h2 id="eid-heading">{tr.t('signIn.eidTitle')}</h2>
      {eid ? (
        <>
          <p>{tr.t('signIn.eidIntro')}</p>
          <form method="post" action="/portal/eid/start">
            <CsrfField token={csrf} />
            {returnTo === undefined ? null : (
              <input type="hidden" name="returnTo" value={returnTo} />
            )}
            <button class="primary" type="submit">
              {tr.t('signIn.eidButton')}
            </button>
          </form>
        </>
      ) : (
        <p class="hint">{tr.t('signIn.eidUnavailable')}</p>
      )}
    </section>
  </>
);

export interface WithdrawalSignInView {
  readonly csrf: string;
  readonly eid: boolean;
  readonly message?: { readonly kind: 'info' | 'error'; readonly text: string } | undefined;
}

/** Sign-in with the withdrawal code printed on the person's confirmation. */
export const WithdrawalSignInPage: FC<{ frame: PageFrame; view: WithdrawalSignInView }> = ({
  frame,
  view,
}) => {
  const { tr } = frame;
  return (
    <Layout {...frame}>
      <h1>{tr.t('signIn.withdrawalTitle')}</h1>
      {view.message === undefined ? null : (
        <Message kind={view.message.kind}>{view.message.text}</Message>
      )}
      <p class="lead">{tr.t('signIn.withdrawalIntro')}</p>
      <form method="post" action="/portal/withdraw">
        <CsrfField token={view.csrf} />
        <label for="withdrawalCode">{tr.t('signIn.withdrawalCode')}</label>
        <p class="hint" id="withdrawal-hint">
          <WithCodes text={tr.t('signIn.withdrawalHint')} />
        </p>
        <CodeInput name="withdrawalCode" max={48} autocomplete="off" hint="withdrawal-hint" />
        <div class="actions">
          <button class="primary" type="submit">
            {tr.t('signIn.submit')}
          </button>
        </div>
      </form>
      <OtherWays tr={tr} csrf={view.csrf} eid={view.eid} />
    </Layout>
  );
};

/** A field for a code as a person types it from paper: left to right, capitals, no spellcheck. */
const CodeInput: FC<{
  name: string;
  value?: string;
  max: number;
  autocomplete: string;
  hint?: string;
  invalid?: boolean;
}> = ({ name, value, max, autocomplete, hint, invalid }) => (
  <input
    class="code"
    type="text"
    id={name}
    name={name}
    value={value}
    required
    maxlength={max}
    autocomplete={autocomplete}
    autocapitalize="characters"
    spellcheck={false}
    dir="ltr"
    aria-describedby={hint ?? `${name}-hint`}
    aria-invalid={invalid === true ? 'true' : undefined}
  />
);
