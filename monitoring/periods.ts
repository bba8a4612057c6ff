import { GatewayError } from '../core/index.ts';

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

const ZONE = 'Europe/Berlin';
const localMonth = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
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
