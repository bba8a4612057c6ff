import { GatewayError, OFFICE_TIME_ZONE } from '../core/index.ts';

/**
 * Reporting periods as German municipal statistics count them: calendar months, quarters and
 * years in Europe/Berlin, so an entry made at 23:30 on 31 March local time counts in March, not
 * in April as its UTC time would have it. Web standards only (Intl), so this runs on every
 * runtime and in the DPO's CLI alike.
 */
export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  readonly kind: PeriodKind;
  /** `2026-11`, `2026-Q4` or `2026`. */
  readonly key: string;
  /** The months it spans, as month keys, in order. */
  readonly months: readonly string[];
}

const localMonth = new Intl.DateTimeFormat('en-CA', {
  timeZone: OFFICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
});

/** The Europe/Berlin month (`2026-11`) an RFC 3339 time falls in. */
export function monthOf(time: string): string {
  const parts = localMonth.formatToParts(new Date(time));
  const year = parts.find((p) => p.type === 'year')?.value ?? '';
  const month = parts.find((p) => p.type === 'month')?.value ?? '';
  return `${year}-${month}`;
}

const PERIOD = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;

/**
 * Reads a period key: `2026-11` (month), `2026-Q4` (quarter) or `2026` (year).
 *
 * @throws GatewayError `validation_failed` for anything else.
 */
export function parsePeriod(key: string): Period {
  const match = PERIOD.exec(key);
  if (!match) {
    throw new GatewayError('validation_failed', {
      detail: 'a period is a month (2026-11), a quarter (2026-Q4) or a year (2026)',
      errors: [{ path: '/period', message: 'must be YYYY-MM, YYYY-Qn or YYYY', in: 'query' }],
    });
  }
  const year = match[1] ?? '';
  const month = (m: number) => `${year}-${String(m).padStart(2, '0')}`;
  if (match[2] !== undefined) return { kind: 'month', key, months: [key] };
  if (match[3] !== undefined) {
    const first = (Number(match[3]) - 1) * 3 + 1;
    return { kind: 'quarter', key, months: [first, first + 1, first + 2].map(month) };
  }
  return { kind: 'year', key, months: Array.from({ length: 12 }, (_, i) => month(i + 1)) };
}

/** The period of that kind that holds a month, e.g. the quarter `2026-Q4` for `2026-11`. */
export function periodOf(kind: PeriodKind, month: string): Period {
  const [year = '', m = '01'] = month.split('-');
  if (kind === 'month') return parsePeriod(month);
  if (kind === 'quarter') return parsePeriod(`${year}-Q${Math.ceil(Number(m) / 3)}`);
  return parsePeriod(year);
}

const HOUR_MS = 3_600_000;
/**
 * How long after its end a period is still held back: entries carry the time their instance
 * appended them, and instances' clocks may differ by a little.
 */
export const CLOSING_MARGIN_MS = 5 * 60_000;

/** The instant a period ends: midnight in Europe/Berlin at the start of the month after it. */
export function periodEnd(period: Period): Date {
  const last = period.months.at(-1) ?? period.key;
  const [year = 0, month = 1] = last.split('-').map(Number);
  const next =
    month === 12
      ? `${String(year + 1)}-01`
      : `${String(year)}-${String(month + 1).padStart(2, '0')}`;
  // Berlin is one or two hours ahead of UTC: the first hour that falls in the next month.
  const utcMidnight = Date.UTC(month === 12 ? year + 1 : year, month % 12, 1);
  for (let at = utcMidnight - 2 * HOUR_MS; ; at += HOUR_MS) {
    if (monthOf(new Date(at).toISOString()) === next) return new Date(at);
  }
}

/**
 * Whether a period's figures may be published at `now`: only once it has ended (and the margin
 * passed). Counts of an open period only grow, so two reports of it taken at different times
 * would, set side by side, reveal what either withholds; a closed period's figures never change.
 */
export function isClosed(period: Period, now: Date): boolean {
  return now.getTime() >= periodEnd(period).getTime() + CLOSING_MARGIN_MS;
}

/** The newest month whose figures may be published at `now`. */
export function lastEndedMonth(now: Date): string {
  let [year = 0, month = 1] = monthOf(now.toISOString()).split('-').map(Number);
  for (;;) {
    const key = `${String(year)}-${String(month).padStart(2, '0')}`;
    if (isClosed(parsePeriod(key), now)) return key;
    [year, month] = month === 1 ? [year - 1, 12] : [year, month - 1];
  }
}
