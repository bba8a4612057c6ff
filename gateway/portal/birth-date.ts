import { OFFICE_TIME_ZONE } from '../../core/index.ts';
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
 * The earliest birth year taken: the person signs in today, and nobody born before 1900 is still
 * alive. It also keeps `Date.UTC` away from years 0–99, which it reads as 1900–1999.
 */
const EARLIEST_YEAR = 1900;

/** `007` as `7`, `00` as `0`: leading zeros do not count, but at least one digit stays. */
const withoutLeadingZeros = (digits: string) => digits.replace(/^0+(?=\d)/, '');

/**
 * The ISO date (`YYYY-MM-DD`) the office recorded, from the day, month and year a person typed:
 * spaces and leading zeros in the day and month do not matter (`007` is the 7th), a one-digit day
 * or month is fine; the year has four digits and is not before 1900. A date that cannot exist, or
 * lies after `today` (`YYYY-MM-DD`, see {@link todayInBerlin}), is a problem with the field to
 * fix, never a guess.
 *
 * @example
 * ```ts
 * birthDateOf({ day: ' 7', month: '3', year: '1990' }, '2027-01-01'); // { ok: true, iso: '1990-03-07' }
 * birthDateOf({ day: '7', month: '13', year: '1990' }, '2027-01-01'); // monthInvalid, birthMonth
 * ```
 */
export function birthDateOf(parts: BirthDateParts, today: string): BirthDateResult {
  const day = withoutLeadingZeros(clean(parts.day));
  const month = withoutLeadingZeros(clean(parts.month));
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
  const y = /^\d{4}$/.test(year) ? Number(year) : NaN;
  if (!(d >= 1 && d <= 31)) return refuse('signIn.dayInvalid', ['birthDay']);
  if (!(m >= 1 && m <= 12)) return refuse('signIn.monthInvalid', ['birthMonth']);
  if (!(y >= EARLIEST_YEAR)) return refuse('signIn.yearInvalid', ['birthYear']);
  // Date.UTC rolls 31 February over into March; a real date keeps its day and month.
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return refuse('signIn.dateNotReal', ['birthDay', 'birthMonth']);
  }
  const iso = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (iso > today) return refuse('signIn.dateFuture', ['birthDay', 'birthMonth', 'birthYear']);
  return { ok: true, iso };
}

/** Built once: an `Intl` formatter costs more than the date it formats. */
const BERLIN_DATE = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
  timeZone: OFFICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The calendar date (`YYYY-MM-DD`) `now` falls on in Europe/Berlin, where the portal's people and
 * offices are: a person born just after midnight there was born "today", even while UTC is still
 * on the day before.
 *
 * @example
 * ```ts
 * todayInBerlin(new Date('2026-12-05T23:30:00Z')); // '2026-12-06'
 * ```
 */
export function todayInBerlin(now: Date): string {
  const parts = BERLIN_DATE.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

const refuse = (key: MessageKey, fields: BirthDateProblem['fields']): BirthDateResult => ({
  ok: false,
  problem: { key, fields },
});
