/**
 * Calendar dates for the consent notice, computed by hand so the text never depends on the host's
 * time zone, locale data or `Intl` version: the notice is hashed and must be byte-stable.
 */

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const two = (n: number): string => String(n).padStart(2, '0');
export const four = (n: number): string => String(n).padStart(4, '0');

/** 31.03.2027: day first with dots and Western digits, read the same way in every language here. */
export const dotted = ({ year, month, day }: CalendarDate): string =>
  `${two(day)}.${two(month)}.${four(year)}`;

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|([+-])(\d{2}):?(\d{2}))$/;

/**
 * The UTC calendar date of an RFC 3339 date-time, computed by hand: `Date.parse` accepts only a
 * subset of RFC 3339 portably, and local-time methods would depend on the host's time zone.
 *
 * @throws Error naming `validUntil` when the value is not a valid RFC 3339 date-time.
 */
export function utcDate(value: string): CalendarDate {
  const match = RFC3339.exec(value);
  if (match === null) throw new Error(`validUntil is not an RFC 3339 date-time: "${value}"`);
  const field = (index: number): number => Number(match[index] ?? '0');
  const [year, month, day, hour, minute] = [field(1), field(2), field(3), field(4), field(5)];
  // A leap second (:60) still belongs to the minute it ends.
  const second = Math.min(field(6), 59);
  const [offsetHours, offsetMins] = [field(8), field(9)];
  const offsetMinutes = (match[7] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  const local = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  if (
    local.getUTCFullYear() !== year ||
    local.getUTCMonth() !== month - 1 ||
    local.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    offsetHours > 23 ||
    offsetMins > 59
  ) {
    throw new Error(`validUntil is not a valid date-time: "${value}"`);
  }
  const utc = new Date(local.getTime() - offsetMinutes * 60_000);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}
