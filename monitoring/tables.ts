import type { Period } from './periods.ts';
import type {
  Count,
  MonitoringReport,
  MonitoringTable,
  RowKeyName,
  SignedTreeHead,
  TableId,
  TableRow,
} from './report.ts';
import { REPORT_FORMAT } from './report.ts';
import { protectPeriod, type Protected } from './protection.ts';
import { describeRule, type CountSystem, type SuppressionRule } from './suppression.ts';
import {
  CONSENT_MEASURES,
  EXCHANGE_MEASURES,
  emptyRow,
  type AgencyRow,
  type MonitoringTally,
  type RowTally,
} from './tally.ts';

/** Medians and percentiles stand only on this many cases or more. */
export const MIN_CASES_FOR_STATS = 5;

/** A table before protection: true counts, and the durations behind its statistics. */
export interface RawRow {
  readonly key: Partial<Record<RowKeyName, string>>;
  readonly values: number[];
  readonly decisionMs: number[];
  readonly fetchMs: number[];
}
export interface RawTable {
  /** The period the table is of; cell ids carry it, so a quarter's system can hold its months'. */
  readonly scope: string;
  readonly id: TableId;
  readonly rowKeys: readonly RowKeyName[];
  readonly columns: readonly string[];
  readonly rowTotals: boolean;
  readonly rows: Map<string, RawRow>;
}
type Kind = 'consents' | 'exchanges' | 'refusals';

/**
 * One tenant's published figures for a period, computed from its folded log: six tables (consent
 * requests, exchanges and refusals, each by office type and by agency, every row an office pair
 * and purpose), protected together as one system, because a type pair's cell is the sum of its
 * agency pairs' cells and the two tables are published side by side; a quarter or a year is
 * protected around what its months (and quarters) already published (protection.ts).
 */
export function computeReport(input: {
  tally: MonitoringTally;
  tenant: string;
  period: Period;
  rule: SuppressionRule;
  treeHead: SignedTreeHead;
  ruleText: string;
  /** Periods protected before, of this tally and rule: only for ended periods (protection.ts). */
  memo?: Map<string, Protected>;
}): MonitoringReport {
  const typeOf = (id: string) => input.tally.officeType(id);
  const { tables: raw, published } = protectPeriod(
    input.tally,
    input.period,
    input.rule,
    typeOf,
    input.memo,
  );
  return {
    format: REPORT_FORMAT,
    tenant: input.tenant,
    period: { kind: input.period.kind, key: input.period.key },
    treeHead: input.treeHead,
    suppression: {
      rule: input.ruleText,
      de: describeRule(input.rule, 'de'),
      en: describeRule(input.rule, 'en'),
    },
    tables: raw.map((table) => publish(table, published)),
  };
}

/** The six tables of a period, before protection. */
export function buildTables(
  tally: MonitoringTally,
  period: Period,
  typeOf: (id: string) => string,
): RawTable[] {
  const rows = periodRows(tally, period);
  const raw: RawTable[] = [];
  for (const kind of ['consents', 'exchanges', 'refusals'] as const) {
    const byAgency = agencyTable(kind, rows, period.key);
    raw.push(typeTable(kind, byAgency, typeOf), byAgency);
  }
  return raw;
}

/** The agency rows of the period's months, merged. */
function periodRows(tally: MonitoringTally, period: Period): Map<string, RowTally> {
  const merged = new Map<string, RowTally>();
  for (const month of period.months) {
    for (const [key, row] of tally.months.get(month) ?? []) {
      let into = merged.get(key);
      if (into === undefined) merged.set(key, (into = emptyRow()));
      for (const m of CONSENT_MEASURES) into.consent[m] += row.consent[m];
      for (const m of EXCHANGE_MEASURES) into.exchange[m] += row.exchange[m];
      for (const [reason, n] of row.refusals)
        into.refusals.set(reason, (into.refusals.get(reason) ?? 0) + n);
      into.decisionMs.push(...row.decisionMs);
      into.fetchMs.push(...row.fetchMs);
    }
  }
  return merged;
}

function columnsOf(kind: Kind, rows: Map<string, RowTally>): string[] {
  if (kind === 'consents') return [...CONSENT_MEASURES];
  if (kind === 'exchanges') return [...EXCHANGE_MEASURES];
  return [...new Set([...rows.values()].flatMap((r) => [...r.refusals.keys()]))].sort();
}

function agencyTable(kind: Kind, rows: Map<string, RowTally>, scope: string): RawTable {
  const columns = columnsOf(kind, rows);
  const table: RawTable = {
    scope,
    id: `${kind}-by-agency`,
    rowKeys: ['sender', 'recipient', 'purpose'],
    columns,
    rowTotals: kind === 'refusals',
    rows: new Map(),
  };
  for (const [json, tally] of [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const values = columns.map((c) =>
      kind === 'consents'
        ? tally.consent[c as keyof RowTally['consent']]
        : kind === 'exchanges'
          ? tally.exchange[c as keyof RowTally['exchange']]
          : (tally.refusals.get(c) ?? 0),
    );
    if (values.every((v) => v === 0)) continue;
    const [sender, recipient, purpose] = JSON.parse(json) as AgencyRow;
    table.rows.set(json, {
      key: { sender, recipient, purpose },
      values,
      decisionMs: kind === 'consents' ? [...tally.decisionMs] : [],
      fetchMs: kind === 'exchanges' ? [...tally.fetchMs] : [],
    });
  }
  return table;
}

function typeTable(kind: Kind, byAgency: RawTable, typeOf: (id: string) => string): RawTable {
  const table: RawTable = {
    ...byAgency,
    id: `${kind}-by-office-type`,
    rowKeys: ['senderType', 'recipientType', 'purpose'],
    rows: new Map(),
  };
  for (const row of byAgency.rows.values()) {
    const key = typeKey(row, typeOf);
    const json = JSON.stringify([key.senderType, key.recipientType, key.purpose]);
    let into = table.rows.get(json);
    if (into === undefined) {
      into = { key, values: row.values.map(() => 0), decisionMs: [], fetchMs: [] };
      table.rows.set(json, into);
    }
    row.values.forEach((v, i) => (into.values[i] = (into.values[i] ?? 0) + v));
    into.decisionMs.push(...row.decisionMs);
    into.fetchMs.push(...row.fetchMs);
  }
  const sorted = [...table.rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  table.rows.clear();
  for (const [k, v] of sorted) table.rows.set(k, v);
  return table;
}

const typeKey = (row: RawRow, typeOf: (id: string) => string) => ({
  senderType: typeOf(row.key.sender ?? ''),
  recipientType: typeOf(row.key.recipient ?? ''),
  purpose: row.key.purpose ?? '',
});

export const TOTAL = '#total';
export const cellId = (table: RawTable, row: string, column: string) =>
  `${table.scope}|${table.id}|${row}|${column}`;

/** Every count of the six tables as one system: cells, totals, and the links between tables. */
export function countSystem(
  tables: readonly RawTable[],
  typeOf: (id: string) => string,
): CountSystem {
  const values = new Map<string, number>();
  const equations: { total: string; parts: string[] }[] = [];
  for (const table of tables) addTable(table, values, equations);
  for (let i = 0; i < tables.length; i += 2) {
    const [types, agencies] = [tables[i], tables[i + 1]];
    if (types === undefined || agencies === undefined) continue;
    const parts = new Map<string, string[]>();
    for (const [json, row] of agencies.rows) {
      const key = typeKey(row, typeOf);
      const typeJson = JSON.stringify([key.senderType, key.recipientType, key.purpose]);
      parts.set(typeJson, [...(parts.get(typeJson) ?? []), json]);
    }
    const columns = types.rowTotals ? [...types.columns, TOTAL] : types.columns;
    for (const [typeJson, agencyRows] of parts) {
      for (const column of columns) {
        equations.push({
          total: cellId(types, typeJson, column),
          parts: agencyRows.map((a) => cellId(agencies, a, column)),
        });
      }
    }
  }
  return { values, equations };
}

function addTable(
  table: RawTable,
  values: Map<string, number>,
  equations: { total: string; parts: string[] }[],
): void {
  const rowIds = [...table.rows.keys()];
  table.columns.forEach((column, i) => {
    for (const [json, row] of table.rows)
      values.set(cellId(table, json, column), row.values[i] ?? 0);
    const sum = [...table.rows.values()].reduce((s, r) => s + (r.values[i] ?? 0), 0);
    values.set(cellId(table, TOTAL, column), sum);
    equations.push({
      total: cellId(table, TOTAL, column),
      parts: rowIds.map((r) => cellId(table, r, column)),
    });
  });
  if (!table.rowTotals) return;
  for (const r of [...rowIds, TOTAL]) {
    const parts = table.columns.map((c) => cellId(table, r, c));
    values.set(
      cellId(table, r, TOTAL),
      parts.reduce((s, p) => s + (values.get(p) ?? 0), 0),
    );
    equations.push({ total: cellId(table, r, TOTAL), parts });
  }
  equations.push({
    total: cellId(table, TOTAL, TOTAL),
    parts: rowIds.map((r) => cellId(table, r, TOTAL)),
  });
}

function publish(table: RawTable, published: ReadonlyMap<string, Count>): MonitoringTable {
  const get = (row: string, column: string): Count =>
    published.get(cellId(table, row, column)) ?? null;
  const rowOf = (json: string, key: TableRow['key'], stats: RawRow | undefined): TableRow => ({
    key,
    values: table.columns.map((c) => get(json, c)),
    ...(table.rowTotals ? { total: get(json, TOTAL) } : {}),
    ...(stats === undefined || table.rowTotals ? {} : { stats: statsOf(table.id, stats) }),
  });
  const all: RawRow = {
    key: {},
    values: [],
    decisionMs: [...table.rows.values()].flatMap((r) => r.decisionMs),
    fetchMs: [...table.rows.values()].flatMap((r) => r.fetchMs),
  };
  return {
    id: table.id,
    rowKeys: table.rowKeys,
    columns: table.columns,
    rows: [...table.rows].map(([json, row]) => rowOf(json, row.key, row)),
    total: rowOf(TOTAL, {}, all),
  };
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function statsOf(id: TableId, row: RawRow): Record<string, number | null> {
  if (id.startsWith('consents')) {
    return {
      decisionDaysMedian: percentile(row.decisionMs, 0.5, DAY_MS),
      decisionDaysP90: percentile(row.decisionMs, 0.9, DAY_MS),
    };
  }
  return { fetchHoursMedian: percentile(row.fetchMs, 0.5, HOUR_MS) };
}

/**
 * The nearest-rank percentile (the smallest value with at least that share of cases at or below
 * it), in the given unit to one decimal; null below {@link MIN_CASES_FOR_STATS} cases.
 */
export function percentile(values: readonly number[], share: number, unit: number): number | null {
  if (values.length < MIN_CASES_FOR_STATS) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? 0;
  return Math.round((at / unit) * 10) / 10;
}
