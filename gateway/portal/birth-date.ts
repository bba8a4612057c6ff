import type { MessageKey } from './messages/de.ts';

/** The three fields of the birth date as the person typed them. */
export interface BirthDateParts {
  readonly day: string;
  readonly month: string;
  readonly year: string;
}

export type BirthDateField = 'birthDay' | 'birthMonth' | 'birthYear';

/** Why the parts make no date: one message, and every field that needs a look (the first is linked). */
export interface BirthDateProblem {
  readonly key: MessageKey;
  readonly fields: readonly [BirthDateField, ...BirthDateField[]];
}

export type BirthDateResult =
  | { readonly ok: true; readonly iso: string }
  | { readonly ok: false; readonly problem: BirthDateProblem };

/**
 * Arabic-Indic (٠–٩) and Persian (۰–۹) digits as ASCII: a phone's number pad in Arabic or Farsi
 * types them, and the office recorded the date in ASCII digits.
 */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) =>
    String((d.codePointAt(0) ?? 0) & 0xf),
  );
}

const clean = (text: string) => asciiDigits(text).replace(/\s+/g, '');

/**
 * The ISO date (`YYYY-MM-DD`) the office recorded, from the day, month and year a person typed:
 * spaces and leading zeros do not matter, a one-digit day or month is fine. A date that cannot
 * exist, or lies after `today` (`YYYY-MM-DD`), is a problem with the field to fix, never a guess.
 *
 * @example
 * ```ts
 * birthDateOf({ day: ' 7', month: '3', year: '1990' }, '2027-01-01'); // { ok: true, iso: '1990-03-07' }
 * birthDateOf({ day: '7', month: '13', year: '1990' }, '2027-01-01'); // monthInvalid, birthMonth
 * ```
 */
export function birthDateOf(parts: BirthDateParts, today: string): BirthDateResult {
  const day = clean(parts.day);
  const month = clean(parts.month);
  const year = clean(parts.year);
  const missing = (
    [
      [day, 'birthDay', 'signIn.dayMissing'],
      [month, 'birthMonth', 'signIn.monthMissing'],
      [year, 'birthYear', 'signIn.yearMissing'],
    ] as const
  ).filter(([value]) => value === '');
  if (missing.length === 3) return refuse('signIn.dateMissing', ['birthDay']);
  const [firstMissing] = missing;
  if (firstMissing !== undefined) {
    const [, field, key] = firstMissing;
    return refuse(key, [field, ...missing.slice(1).map(([, f]) => f)]);
  }
  const d = /^\d{1,2}$/.test(day) ? Number(day) : NaN;
  const m = /^\d{1,2}$/.test(month) ? Number(month) : NaN;
  if (!(d >= 1 && d <= 31)) return refuse('signIn.dayInvalid', ['birthDay']);
  if (!(m >= 1 && m <= 12)) return refuse('signIn.monthInvalid', ['birthMonth']);
  if (!/^\d{4}$/.test(year)) return refuse('signIn.yearInvalid', ['birthYear']);
  const iso = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  // Date.UTC rolls 31 February over into March; a real date survives the round trip.
  if (new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
    return refuse('signIn.dateNotReal', ['birthDay', 'birthMonth']);
  }
  if (iso > today) return refuse('signIn.dateFuture', ['birthDay', 'birthMonth', 'birthYear']);
  return { ok: true, iso };
}

const refuse = (key: MessageKey, fields: BirthDateProblem['fields']): BirthDateResult => ({
  ok: false,
  problem: { key, fields },
});
