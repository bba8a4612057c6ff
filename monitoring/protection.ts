import type { Period } from './periods.ts';
import { parsePeriod } from './periods.ts';
import { protect, type CountSystem, type SuppressionRule } from './suppression.ts';
import { buildTables, cellId, countSystem, TOTAL, type RawTable } from './tables.ts';
import type { MonitoringTally } from './tally.ts';

export interface Protected {
  /** The period's own tables. */
  readonly tables: RawTable[];
  /** Its own counts and equations, with those of every period below it and the sums linking them. */
  readonly system: CountSystem;
  /** The published value or null of every id in `system`. */
  readonly published: Map<string, number | null>;
}

/**
 * Protects a period's tables so that, together with everything published for the periods within
 * it, no withheld count can be computed. A month is protected alone. A quarter holds three months
 * whose reports were published when each ended; its cells are their sums, so it is protected with
 * the months' decisions kept as they were (protect's `frozen`), and a year likewise around its
 * quarters and months. Every decision follows from the log alone, so the DPO's recomputation
 * withholds the same cells, and a month's report never changes because its quarter came later.
 * `memo` keeps what was protected, by period: pass one only for periods that have ended, whose
 * counts never change.
 */
export function protectPeriod(
  tally: MonitoringTally,
  period: Period,
  rule: SuppressionRule,
  typeOf: (id: string) => string,
  memo?: Map<string, Protected>,
): Protected {
  const known = memo?.get(period.key);
  if (known !== undefined) return known;
  const done = protectAfresh(tally, period, rule, typeOf, memo);
  memo?.set(period.key, done);
  return done;
}

function protectAfresh(
  tally: MonitoringTally,
  period: Period,
  rule: SuppressionRule,
  typeOf: (id: string) => string,
  memo: Map<string, Protected> | undefined,
): Protected {
  const tables = buildTables(tally, period, typeOf);
  const own = countSystem(tables, typeOf);
  const children = childrenOf(period).map((child) =>
    protectPeriod(tally, child, rule, typeOf, memo),
  );
  if (children.length === 0) return { tables, system: own, published: protect(own, rule) };
  const values = new Map(own.values);
  const equations = [...own.equations];
  const frozen = new Map<string, number | null>();
  for (const child of children) {
    for (const [id, value] of child.system.values) values.set(id, value);
    equations.push(...child.system.equations);
    for (const [id, decision] of child.published) frozen.set(id, decision);
  }
  equations.push(
    ...links(
      tables,
      children.map((c) => c.tables),
    ),
  );
  const system = { values, equations };
  return { tables, system, published: protect(system, rule, frozen) };
}

/** The quarters of a year, the months of a quarter; a month has none. */
export function childrenOf(period: Period): Period[] {
  if (period.kind === 'month') return [];
  if (period.kind === 'quarter') return period.months.map((m) => parsePeriod(m));
  const year = period.key;
  return [1, 2, 3, 4].map((q) => parsePeriod(`${year}-Q${String(q)}`));
}

/**
 * Each count of the period as the sum of the same count in the periods within it. A row or a
 * reason that a child lacks is a true 0 there, known to everyone from its report, so it is left
 * out of the sum.
 */
function links(
  tables: readonly RawTable[],
  childTables: readonly (readonly RawTable[])[],
): { total: string; parts: string[] }[] {
  const equations: { total: string; parts: string[] }[] = [];
  for (const table of tables) {
    const mine = childTables.flatMap((c) => c.filter((t) => t.id === table.id));
    const columns = table.rowTotals ? [...table.columns, TOTAL] : table.columns;
    for (const row of [...table.rows.keys(), TOTAL]) {
      for (const column of columns) {
        const parts = mine
          .filter((child) => row === TOTAL || child.rows.has(row))
          .filter((child) => column === TOTAL || child.columns.includes(column))
          .map((child) => cellId(child, row, column));
        if (parts.length > 0) equations.push({ total: cellId(table, row, column), parts });
      }
    }
  }
  return equations;
}
