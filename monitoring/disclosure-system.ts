/**
 * The count system as the attacker sees it: the public shape of counts and equations, their
 * validation, and the split of the withheld counts into independent components of unknowns, each
 * with its equations Σ c·x = r (published values moved to the right). Web standards only.
 */
import { GatewayError } from '../core/index.ts';

/** value(total) = Σ value(parts). */
export interface Equation {
  readonly total: string;
  readonly parts: readonly string[];
}

/** The counts of one period, cells and totals alike, with the sums that link them. */
export interface CountSystem {
  /** Every cell and every total: non-negative integers. */
  readonly values: ReadonlyMap<string, number>;
  /** Totals may themselves be parts of other equations (grand totals, links between tables). */
  readonly equations: readonly Equation[];
}

/** Σ coefs[i]·x[vars[i]] = rhs over the unknowns of one component. */
export interface Row {
  readonly vars: readonly number[];
  readonly coefs: readonly number[];
  readonly rhs: number;
  /** The published members moved into rhs, with their coefficients. */
  readonly shown: readonly (readonly [string, number])[];
}
export interface Component {
  readonly ids: readonly string[];
  readonly truth: readonly number[];
  readonly rows: readonly Row[];
}

/** The verdict on one unknown of a component, kept in a Uint8Array indexed like its ids. */
export const OPEN = 0;
export const CLEARED = 1;
export const DETERMINED = 2;
export const UNDECIDED = 3;

/** Code-unit order: the same everywhere, unlike localeCompare. */
export const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Refuses counts that are not non-negative integers and equations naming unknown ids. */
export function checkSystem(system: CountSystem): void {
  for (const [id, value] of system.values) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw refusal(`count ${JSON.stringify(id)} is ${value}, not a non-negative integer`);
    }
  }
  for (const { total, parts } of system.equations) {
    const unknown = [total, ...parts].find((id) => !system.values.has(id));
    if (unknown !== undefined) {
      throw refusal(
        `equation for ${JSON.stringify(total)} names unknown id ${JSON.stringify(unknown)}`,
      );
    }
  }
}

function refusal(detail: string): GatewayError {
  return new GatewayError('validation_failed', { detail });
}

/**
 * The withheld ids (null or absent in `published`) split into connected components, each with the
 * rows over its own unknowns, numbered locally.
 *
 * @throws GatewayError `validation_failed` when the system is malformed, a published number differs
 * from the true count, or the counts do not add up.
 */
export function components(
  system: CountSystem,
  published: ReadonlyMap<string, number | null>,
): Component[] {
  checkSystem(system);
  const truthOf = (id: string) => system.values.get(id) ?? 0;
  const ids = [...system.values.keys()].sort(byId);
  for (const id of ids) {
    const shown = published.get(id);
    if (typeof shown === 'number' && shown !== truthOf(id)) {
      throw refusal(`published ${JSON.stringify(id)} is ${shown}, not its count ${truthOf(id)}`);
    }
  }
  const unknowns = ids.filter((id) => typeof published.get(id) !== 'number');
  const index = new Map(unknowns.map((id, k) => [id, k]));
  const parent = unknowns.map((_, k) => k);
  const root = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k] ?? k] ?? k;
    return k;
  };
  const rows: Row[] = [];
  for (const equation of system.equations) {
    const row = rowOf(equation, index, truthOf);
    if (!row) continue;
    rows.push(row);
    for (const k of row.vars) parent[root(k)] = root(row.vars[0] ?? k);
  }
  const groups = new Map<number, { ks: number[]; rows: Row[] }>();
  unknowns.forEach((_, k) => {
    const group = groups.get(root(k)) ?? { ks: [], rows: [] };
    group.ks.push(k);
    groups.set(root(k), group);
  });
  for (const row of rows) groups.get(root(row.vars[0] ?? 0))?.rows.push(row);
  return [...groups.values()].map(({ ks, rows: own }): Component => {
    const local = new Map(ks.map((k, i) => [k, i]));
    return {
      ids: ks.map((k) => unknowns[k] ?? ''),
      truth: ks.map((k) => truthOf(unknowns[k] ?? '')),
      rows: own.map((r) => ({ ...r, vars: r.vars.map((k) => local.get(k) ?? 0) })),
    };
  });
}

/** One equation over the unknowns numbered by `index`; undefined when no unknown is left in it. */
function rowOf(
  { total, parts }: Equation,
  index: ReadonlyMap<string, number>,
  truthOf: (id: string) => number,
): Row | undefined {
  const coef = new Map<number, number>();
  const shown = new Map<string, number>();
  let rhs = 0;
  let balance = 0;
  for (const [id, c] of [[total, -1] as const, ...parts.map((p) => [p, 1] as const)]) {
    balance += c * truthOf(id);
    const k = index.get(id);
    if (k === undefined) shown.set(id, (shown.get(id) ?? 0) + c);
    else coef.set(k, (coef.get(k) ?? 0) + c);
    if (k === undefined) rhs -= c * truthOf(id);
  }
  if (balance !== 0) throw refusal(`the counts do not add up to ${JSON.stringify(total)}`);
  const vars = [...coef.keys()].filter((k) => coef.get(k) !== 0).sort((a, b) => a - b);
  if (vars.length === 0) return undefined;
  return { vars, coefs: vars.map((k) => coef.get(k) ?? 0), rhs, shown: [...shown] };
}
