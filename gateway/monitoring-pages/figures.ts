import {
  parsePeriod,
  periodOf,
  type Count,
  type MonitoringReport,
  type MonitoringSource,
  type Period,
  type SignedTreeHead,
  type TableId,
} from '../../monitoring/index.ts';

/** One step of the chain from request to acknowledgement, as the chart and its table show it. */
export interface ChainStep {
  readonly measure: string;
  readonly value: Count;
  /** On the main line (requested → granted → accepted → delivered → acknowledged) or beside it. */
  readonly main: boolean;
}

/** The steps in reading order: each side measure right after the step it branches from. */
const CHAIN: readonly { table: TableId; measure: string; main: boolean }[] = [
  { table: 'consents-by-office-type', measure: 'requested', main: true },
  { table: 'consents-by-office-type', measure: 'granted', main: true },
  { table: 'consents-by-office-type', measure: 'declined', main: false },
  { table: 'consents-by-office-type', measure: 'expiredUndecided', main: false },
  { table: 'consents-by-office-type', measure: 'revoked', main: false },
  { table: 'exchanges-by-office-type', measure: 'accepted', main: true },
  { table: 'exchanges-by-office-type', measure: 'delivered', main: true },
  { table: 'exchanges-by-office-type', measure: 'acknowledged', main: true },
  { table: 'exchanges-by-office-type', measure: 'withheld', main: false },
];

/** The chain from the report's total rows, suppressed values kept as null. */
export function chainOf(report: MonitoringReport): ChainStep[] {
  return CHAIN.map(({ table, measure, main }) => {
    const found = report.tables.find((t) => t.id === table);
    const at = found?.columns.indexOf(measure) ?? -1;
    return { measure, main, value: at === -1 ? 0 : (found?.total.values[at] ?? null) };
  });
}

/** Refused sends of one month: by reason, and all of them, each as that month's report has it. */
export interface RefusalMonth {
  readonly month: string;
  readonly byReason: ReadonlyMap<string, Count>;
  readonly total: Count;
  /** Absent for a month without any entry in the log: it has nothing to protect. */
  readonly treeHead?: SignedTreeHead;
}

/** A month's count of a reason: suppressed stays null, a reason the month never saw is a true 0. */
export const reasonCount = (month: RefusalMonth, reason: string): Count => {
  const value = month.byReason.get(reason);
  return value === undefined ? 0 : value;
};

export interface RefusalSeries {
  /** Every reason any month has, most frequent first (by the published counts). */
  readonly reasons: readonly string[];
  readonly months: readonly RefusalMonth[];
}

/**
 * The months the refusal chart covers: for a month the twelve ending with it, so a year's trend is
 * visible from any month; for a quarter or a year its own months.
 */
export function seriesMonths(period: Period): string[] {
  if (period.kind !== 'month') return [...period.months];
  const [year = 0, month = 1] = period.key.split('-').map(Number);
  return Array.from({ length: 12 }, (_, i) => {
    const index = year * 12 + (month - 1) - (11 - i);
    return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

/**
 * Refusals per month, one report per month from the source, so every month is protected as its
 * own report publishes it. Months without any figure need no report: all their counts are 0.
 */
export async function refusalSeries(
  source: MonitoringSource,
  tenantId: string,
  months: readonly string[],
  withFigures: ReadonlySet<string>,
): Promise<RefusalSeries> {
  const result: RefusalMonth[] = [];
  for (const month of months) {
    if (!withFigures.has(month)) {
      result.push({ month, byReason: new Map(), total: 0 });
      continue;
    }
    const report = await source.report(tenantId, parsePeriod(month));
    const table = report.tables.find((t) => t.id === 'refusals-by-office-type');
    const byReason = new Map<string, Count>();
    table?.columns.forEach((reason, i) => byReason.set(reason, table.total.values[i] ?? null));
    const total = table?.total.total;
    result.push({
      month,
      byReason,
      total: total === undefined ? 0 : total,
      treeHead: report.treeHead,
    });
  }
  const sums = new Map<string, number>();
  for (const { byReason } of result)
    for (const [reason, n] of byReason) sums.set(reason, (sums.get(reason) ?? 0) + (n ?? 0));
  const reasons = [...sums.keys()].sort(
    (a, b) => (sums.get(b) ?? 0) - (sums.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return { reasons, months: result };
}

export interface PeriodChoices {
  readonly months: readonly string[];
  readonly quarters: readonly string[];
  readonly years: readonly string[];
}

/** The picker's options: months with figures, and the quarters and years they fall in. */
export function periodChoices(months: readonly string[], current: Period): PeriodChoices {
  const withCurrent = (keys: string[], kind: Period['kind']) =>
    current.kind === kind && !keys.includes(current.key)
      ? [...keys, current.key].sort().reverse()
      : keys;
  const unique = (kind: 'quarter' | 'year') => [
    ...new Set(months.map((m) => periodOf(kind, m).key)),
  ];
  return {
    months: withCurrent([...months], 'month'),
    quarters: withCurrent(unique('quarter'), 'quarter'),
    years: withCurrent(unique('year'), 'year'),
  };
}
