/**
 * The attacker of statistical confidentiality: which withheld counts can be computed exactly from
 * the published ones, the equations linking them and the knowledge that every count is a
 * non-negative integer. Web standards only.
 *
 * The unknowns are the withheld ids; each equation becomes Σ c·x = r over them once the published
 * values are moved to the right. An unknown is disclosed when it takes one value in every
 * non-negative integer solution. The true counts are one solution, so the question per unknown is
 * whether a second solution moves it. Each connected component of unknowns is decided apart:
 *
 * 1. Bounds: interval propagation with integer rounding to a fixpoint (x + y = 3 beside y + z = 0).
 * 2. Linear algebra: integer Gauss–Jordan elimination; an unknown alone in its echelon row is
 *    fixed by the equations (leaks through combinations of rows that bounds do not see).
 * 3. Exact LP: a simplex over integers (each tableau row a vector of integers over a denominator of
 *    its own, overflow checked, so nothing is rounded) gives the largest and smallest value of
 *    each open unknown over the real relaxation. floor(max) = ceil(min) proves it disclosed. An
 *    unbounded ray or an integral optimal vertex is a second integer solution and clears every
 *    unknown it moves.
 * 4. Integer gaps: where the relaxation reaches past the true value only at a fractional vertex, an
 *    exhaustive search (bounds propagated at every node) looks for an integer solution there.
 *
 * Completeness: 1 and 2 are sound but incomplete and only save work; 3 is exact for the real
 * relaxation, so what it leaves open is purely a question of integrality, which 4 settles exactly
 * unless it spends its node budget, meets an unbounded domain it had to cap, or the arithmetic
 * would leave the safe-integer range. Such unknowns are `undecided`, and `disclosed` counts them as
 * disclosed: the attacker may over-report, never under-report. For 2-D tables with totals and
 * hierarchical links (two laminar families of sums, as type-pair and agency-pair tables are) every
 * vertex is integral, step 4 never runs and nothing is undecided; it matters for 3-D structures
 * (all three 2-D margins of a cube published), where parity can pin a count the reals leave open.
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

/** The attacker's findings among the withheld ids, each list sorted. */
export interface Disclosures {
  /** Proven to take one value in every solution. */
  readonly determined: readonly string[];
  /** Neither proven nor refuted within the search budget; to be treated as disclosed. */
  readonly undecided: readonly string[];
}

/**
 * Ids of withheld cells (null or absent in `published`) whose true value an attacker can determine
 * exactly from the published values, the equations and non-negativity; sorted, undecided included.
 *
 * @throws GatewayError `validation_failed` when the system is malformed or a published number
 * differs from the true count (rounded output is not what this attacker models).
 * @example
 * ```ts
 * disclosed(system, new Map([['a', null], ['b', 4], ['a+b', 5]])); // ['a']
 * ```
 */
export function disclosed(
  system: CountSystem,
  published: ReadonlyMap<string, number | null>,
): string[] {
  const { determined, undecided } = findDisclosures(system, published);
  return [...determined, ...undecided].sort(byId);
}

/**
 * As `disclosed`, but keeping apart what is proven from what the search gave up on. `memo` keeps
 * each component's verdict for later calls on the same system (protect() asks again and again).
 */
export function findDisclosures(
  system: CountSystem,
  published: ReadonlyMap<string, number | null>,
  memo?: Map<string, Uint8Array>,
): Disclosures {
  const determined: string[] = [];
  const undecided: string[] = [];
  for (const component of components(system, published)) {
    // Given the system, a component's unknowns fix its rows, and so its verdict.
    const key = JSON.stringify(component.ids);
    const verdict = memo?.get(key) ?? decide(component);
    memo?.set(key, verdict);
    verdict.forEach((status, k) => {
      const id = component.ids[k] ?? '';
      if (status === DETERMINED) determined.push(id);
      if (status === UNDECIDED || status === OPEN) undecided.push(id);
    });
  }
  return { determined: determined.sort(byId), undecided: undecided.sort(byId) };
}

/**
 * For each given withheld id that the LP pins, the published ids its proof leans on: those with a
 * non-zero weight in the dual certificate of its largest or smallest value. Withholding one of them
 * breaks that proof (another may remain, for the next round to find), so that is where a
 * complementary suppression does the most good.
 */
export function certificates(
  system: CountSystem,
  published: ReadonlyMap<string, number | null>,
  ids: readonly string[],
): Map<string, string[]> {
  const wanted = new Set(ids);
  const found = new Map<string, string[]>();
  for (const component of components(system, published)) {
    const n = component.ids.length;
    const ks = component.ids.flatMap((id, k) => (wanted.has(id) ? [k] : []));
    if (ks.length === 0 || component.rows.length === 0) continue;
    try {
      const t = feasibleTableau(component.rows, n, true);
      for (const k of ks) {
        const leaning = new Set<string>();
        for (const sense of [1, -1]) {
          const objective = objectiveLine(t, k, sense);
          if (optimise(t, objective) === 'unbounded') continue;
          const weights = new Map<string, number>();
          component.rows.forEach((row, i) => {
            const dual = (objective.a[n + i] ?? 0) * (row.rhs < 0 ? -1 : 1);
            for (const [id, c] of dual === 0 ? [] : row.shown) {
              weights.set(id, (weights.get(id) ?? 0) + dual * c);
            }
          });
          for (const [id, w] of weights) if (w !== 0) leaning.add(id);
        }
        found.set(component.ids[k] ?? '', [...leaning].sort(byId));
      }
    } catch (error) {
      if (!(error instanceof PrecisionLoss)) throw error;
    }
  }
  return found;
}

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

/* ------------------------------------------------------------------------------------------ */

/** Σ coefs[i]·x[vars[i]] = rhs over the unknowns of one component. */
interface Row {
  readonly vars: readonly number[];
  readonly coefs: readonly number[];
  readonly rhs: number;
  /** The published members moved into rhs, with their coefficients. */
  readonly shown: readonly (readonly [string, number])[];
}
interface Component {
  readonly ids: readonly string[];
  readonly truth: readonly number[];
  readonly rows: readonly Row[];
}

const OPEN = 0;
const CLEARED = 1;
const DETERMINED = 2;
const UNDECIDED = 3;

/** Thrown where exact integer arithmetic would leave the safe range; the component stays open. */
class PrecisionLoss extends Error {}

function components(system: CountSystem, published: ReadonlyMap<string, number | null>) {
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
  for (const { total, parts } of system.equations) {
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
    if (vars.length === 0) continue;
    rows.push({ vars, coefs: vars.map((k) => coef.get(k) ?? 0), rhs, shown: [...shown] });
    for (const k of vars) parent[root(k)] = root(vars[0] ?? k);
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

function decide(component: Component): Uint8Array {
  const n = component.ids.length;
  const status = new Uint8Array(n);
  if (component.rows.length === 0) return status.fill(CLEARED);
  const lo = new Array<number>(n).fill(0);
  const hi = new Array<number>(n).fill(Infinity);
  narrow(component.rows, lo, hi);
  lo.forEach((l, k) => {
    if (l === hi[k]) status[k] = DETERMINED;
  });
  try {
    for (const k of fixedByEquations(component.rows, n)) status[k] = DETERMINED;
    const gaps = clearByProgramming(component, status);
    closeGaps(component, status, gaps, lo, hi);
  } catch (error) {
    if (!(error instanceof PrecisionLoss)) throw error;
  }
  return status;
}

/* ---- 1. Bounds ------------------------------------------------------------------------------ */

/** Past this many passes the bounds are left looser than the fixpoint, which is still sound. */
const NARROW_PASSES = 64;

/** Tightens integer bounds by every row; false when some range empties (no solution). */
function narrow(rows: readonly Row[], lo: number[], hi: number[]): boolean {
  for (let pass = 0; pass < NARROW_PASSES; pass++) {
    let changed = false;
    for (const row of rows) {
      const outcome = narrowRow(row, lo, hi);
      if (outcome === 'empty') return false;
      changed ||= outcome === 'changed';
    }
    if (!changed) return true;
  }
  return true;
}

function narrowRow(row: Row, lo: number[], hi: number[]): 'same' | 'changed' | 'empty' {
  const { vars, coefs, rhs } = row;
  // c·x ranges over [least, most] term by term; infinite ends are counted apart so that the rest
  // of a row never computes ∞ − ∞. Bounds raised during the sweep leave the sums looser: sound.
  const least = new Array<number>(vars.length);
  const most = new Array<number>(vars.length);
  let [leastSum, mostSum, leastOpen, mostOpen] = [0, 0, 0, 0];
  vars.forEach((k, i) => {
    const c = coefs[i] ?? 0;
    const [a, b] = [c * (lo[k] ?? 0), c * (hi[k] ?? 0)];
    least[i] = Math.min(a, b);
    most[i] = Math.max(a, b);
    if (least[i] === -Infinity) leastOpen++;
    else leastSum += least[i] ?? 0;
    if (most[i] === Infinity) mostOpen++;
    else mostSum += most[i] ?? 0;
  });
  let outcome: 'same' | 'changed' = 'same';
  for (const [i, k] of vars.entries()) {
    const [c, min, max] = [coefs[i] ?? 0, least[i] ?? 0, most[i] ?? 0];
    const restLeast = leastOpen > (min === -Infinity ? 1 : 0) ? -Infinity : leastSum - finite(min);
    const restMost = mostOpen > (max === Infinity ? 1 : 0) ? Infinity : mostSum - finite(max);
    const [from, to] =
      c > 0 ? [rhs - restMost, rhs - restLeast] : [rhs - restLeast, rhs - restMost];
    const l = Math.ceil(from / c);
    const h = Math.floor(to / c);
    if (l > (lo[k] ?? 0)) [lo[k], outcome] = [l, 'changed'];
    if (h < (hi[k] ?? 0)) [hi[k], outcome] = [h, 'changed'];
    if ((lo[k] ?? 0) > (hi[k] ?? 0)) return 'empty';
  }
  return outcome;
}

const finite = (x: number) => (Number.isFinite(x) ? x : 0);

/* ---- 2. Linear algebra ---------------------------------------------------------------------- */

/** Unknowns fixed by the equations alone: Gauss–Jordan with the simplex's exact pivot. */
function fixedByEquations(rows: readonly Row[], n: number): number[] {
  const t: Tableau = {
    lines: rows.map((row) => lineOf(row, n, 0)),
    basis: [],
    width: n,
    priced: n,
  };
  for (let col = 0; col < n && t.basis.length < t.lines.length; col++) {
    const rank = t.basis.length;
    const r = t.lines.findIndex((line, i) => i >= rank && line.a[col] !== 0);
    const line = t.lines[r];
    if (!line) continue;
    [t.lines[r], t.lines[rank]] = [t.lines[rank] ?? line, line];
    pivot(t, null, rank, col);
  }
  return t.basis.filter((col, i) => t.lines[i]?.a.every((x, k) => k === col || k === n || x === 0));
}

/** A row as a tableau line with room for `extra` columns before the rhs, the rhs made ≥ 0. */
function lineOf(row: Row, n: number, extra: number): Line {
  const sign = row.rhs < 0 ? -1 : 1;
  const a = new Array<number>(n + extra + 1).fill(0);
  row.vars.forEach((k, j) => (a[k] = sign * (row.coefs[j] ?? 0)));
  a[n + extra] = sign * row.rhs;
  return { a, d: 1 };
}

function product(a: number, b: number): number {
  return exact(a * b);
}

function exact(x: number): number {
  if (!Number.isSafeInteger(x)) throw new PrecisionLoss();
  return x;
}

/* ---- 3. Exact LP ---------------------------------------------------------------------------- */

/**
 * One tableau row, a / d with d > 0: integers throughout, so nothing is rounded. A row of its own
 * denominator is left alone by every pivot that does not touch it, and d stays 1 in the totally
 * unimodular systems of plain tables.
 */
interface Line {
  a: number[];
  d: number;
}
/** Row i reads x[basis[i]] + Σ_k (a[k] / d)·x_k = a[width] / d; columns from `priced` on never enter. */
interface Tableau {
  lines: Line[];
  basis: number[];
  width: number;
  priced: number;
}

/** An integer range of one unknown in which a second solution might still lie. */
interface Gap {
  readonly k: number;
  readonly from: number;
  readonly to: number;
}

function clearByProgramming(component: Component, status: Uint8Array): Gap[] {
  const t = feasibleTableau(component.rows, component.ids.length);
  const isOpen = (k: number) => status[k] === OPEN;
  const gaps: Gap[] = [];
  component.truth.forEach((v, k) => {
    const sides: Gap[] = [];
    for (const sense of [1, -1]) {
      if (!isOpen(k)) return;
      if (optimise(t, objectiveLine(t, k, sense)) === 'unbounded') {
        status[k] = CLEARED;
        return;
      }
      clearMoved(t, component.truth, status);
      const line = t.lines[t.basis.indexOf(k)];
      const value = line ? (line.a[t.width] ?? 0) / line.d : 0;
      const bound = sense > 0 ? Math.floor(value) : Math.ceil(value);
      if (isOpen(k) && bound !== v) {
        sides.push(sense > 0 ? { k, from: v + 1, to: bound } : { k, from: bound, to: v - 1 });
      }
    }
    if (isOpen(k) && sides.length === 0) status[k] = DETERMINED;
    gaps.push(...sides);
  });
  return gaps;
}

/**
 * Phase 1 with one artificial unknown per row; the true counts guarantee it ends feasible. With
 * `keepDuals` the artificial columns stay (never to enter again): their reduced costs are then the
 * duals of the rows, in row order.
 */
function feasibleTableau(rows: readonly Row[], n: number, keepDuals = false): Tableau {
  const m = rows.length;
  const lines = rows.map((row, i) => {
    const line = lineOf(row, n, m);
    line.a[n + i] = 1;
    return line;
  });
  const t: Tableau = { lines, basis: lines.map((_, i) => n + i), width: n + m, priced: n + m };
  const objective: Line = { a: new Array<number>(n + m + 1).fill(0), d: 1 };
  for (const { a } of lines) {
    for (let k = 0; k < n; k++) objective.a[k] = (objective.a[k] ?? 0) - (a[k] ?? 0);
    objective.a[n + m] = (objective.a[n + m] ?? 0) - (a[n + m] ?? 0);
  }
  optimise(t, objective);
  if (objective.a[n + m] !== 0) throw new Error('phase 1 failed although the counts solve it');
  // Artificials still basic sit at zero: pivot each out, or drop its row as redundant.
  for (let i = lines.length - 1; i >= 0; i--) {
    if ((t.basis[i] ?? 0) < n) continue;
    const s = lines[i]?.a.findIndex((x, k) => k < n && x !== 0) ?? -1;
    if (s >= 0) {
      pivot(t, null, i, s);
    } else if (!keepDuals) {
      lines.splice(i, 1);
      t.basis.splice(i, 1);
    }
  }
  t.priced = n;
  if (keepDuals) return t;
  for (const line of lines) line.a.splice(n, m);
  t.width = n;
  return t;
}

/** The reduced costs of maximising sense·x_k from the current basis. */
function objectiveLine(t: Tableau, k: number, sense: number): Line {
  const line = t.lines[t.basis.indexOf(k)];
  if (!line) {
    const a = new Array<number>(t.width + 1).fill(0);
    a[k] = -sense;
    return { a, d: 1 };
  }
  const a = line.a.map((x) => sense * x);
  a[k] = 0;
  return { a, d: line.d };
}

/** Degenerate pivots in a row after which Bland's rule takes over, so that nothing cycles. */
const STALL_LIMIT = 50;

/** Primal simplex: steepest reduced cost, Bland's rule within long degenerate stretches. */
function optimise(t: Tableau, objective: Line): 'optimal' | 'unbounded' {
  const rhs = t.width;
  for (let stalled = 0; ;) {
    const bland = stalled >= STALL_LIMIT;
    let s = -1;
    for (let k = 0; k < t.priced && !(bland && s >= 0); k++) {
      const x = objective.a[k] ?? 0;
      if (x < 0 && (s < 0 || x < (objective.a[s] ?? 0))) s = k;
    }
    if (s < 0) return 'optimal';
    let r = -1;
    t.lines.forEach(({ a }, i) => {
      const x = a[s] ?? 0;
      if (x <= 0) return;
      const best = t.lines[r]?.a;
      if (!best) return void (r = i);
      const c = product(a[rhs] ?? 0, best[s] ?? 0) - product(best[rhs] ?? 0, x);
      if (c < 0 || (c === 0 && (t.basis[i] ?? 0) < (t.basis[r] ?? 0))) r = i;
    });
    if (r < 0) return 'unbounded';
    stalled = t.lines[r]?.a[rhs] === 0 ? stalled + 1 : 0;
    pivot(t, objective, r, s);
  }
}

function pivot(t: Tableau, objective: Line | null, r: number, s: number): void {
  const pr = t.lines[r];
  if (!pr) return;
  const a = pr.a;
  // Row r divided by its entry at s: same numerators over that entry, signs keeping d > 0.
  if ((a[s] ?? 0) < 0) for (let k = 0; k < a.length; k++) a[k] = -(a[k] ?? 0);
  const p = a[s] ?? 0;
  pr.d = p;
  t.basis[r] = s;
  const support: number[] = [];
  for (let k = 0; k < a.length; k++) if (a[k] !== 0) support.push(k);
  for (const line of t.lines) if (line !== pr) eliminate(line, a, s, support);
  if (objective) eliminate(objective, a, s, support);
}

/** a/d − (f/d)·(row/p) = (p·a − f·row) / (p·d): with p = 1 only the row's non-zero columns move. */
function eliminate(
  line: Line,
  row: readonly number[],
  s: number,
  support: readonly number[],
): void {
  const a = line.a;
  const f = a[s] ?? 0;
  if (f === 0) return;
  const p = row[s] ?? 1;
  if (p !== 1) {
    for (let k = 0; k < a.length; k++) a[k] = product(a[k] ?? 0, p);
    line.d = product(line.d, p);
  }
  for (const k of support) a[k] = exact((a[k] ?? 0) - product(f, row[k] ?? 0));
  if (line.d > 1) reduce(line);
}

function reduce(line: Line): void {
  const g = line.a.reduce((acc, x) => (acc === 1 ? 1 : gcd(acc, x)), line.d);
  if (g <= 1) return;
  line.a.forEach((x, k) => (line.a[k] = x / g));
  line.d /= g;
}

function gcd(a: number, b: number): number {
  [a, b] = [Math.abs(a), Math.abs(b)];
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** An integral vertex is a second integer solution: it clears every unknown it moves. */
function clearMoved(t: Tableau, truth: readonly number[], status: Uint8Array): void {
  const vertex = new Array<number>(truth.length).fill(0);
  for (const [i, { a, d }] of t.lines.entries()) {
    const num = a[t.width] ?? 0;
    if (num % d !== 0) return;
    vertex[t.basis[i] ?? 0] = num / d;
  }
  vertex.forEach((x, k) => {
    if (x !== truth[k] && status[k] === OPEN) status[k] = CLEARED;
  });
}

/* ---- 4. Integer gaps ------------------------------------------------------------------------ */

/** Nodes one search may visit before the unknown is left undecided. */
const SEARCH_NODES = 10_000;

function closeGaps(
  component: Component,
  status: Uint8Array,
  gaps: readonly Gap[],
  lo: readonly number[],
  hi: readonly number[],
): void {
  // Unbounded domains are capped for enumeration; a search that met a cap cannot prove anything.
  const cap =
    component.truth.reduce((a, b) => a + b, 0) +
    component.rows.reduce((a, r) => a + Math.abs(r.rhs), 0) +
    1;
  const capped = hi.some((h) => h > cap);
  const gaveUp = new Set<number>();
  for (const { k, from, to } of gaps) {
    if (status[k] !== OPEN) continue;
    const l = [...lo];
    const h = hi.map((x) => Math.min(x, cap));
    [l[k], h[k]] = [Math.max(from, l[k] ?? 0), Math.min(to, h[k] ?? 0)];
    const budget = { nodes: SEARCH_NODES };
    const found = search(component, l, h, budget);
    if (Array.isArray(found)) {
      found.forEach((x, j) => {
        if (x !== component.truth[j] && status[j] === OPEN) status[j] = CLEARED;
      });
    } else if (found === 'gave-up' || capped) gaveUp.add(k);
  }
  for (const { k } of gaps) {
    if (status[k] === OPEN) status[k] = gaveUp.has(k) ? UNDECIDED : DETERMINED;
  }
}

/** Depth-first over the smallest domains, values nearest the truth first, bounds narrowed at each node. */
function search(
  component: Component,
  lo: number[],
  hi: number[],
  budget: { nodes: number },
): number[] | 'none' | 'gave-up' {
  if (budget.nodes-- <= 0) return 'gave-up';
  if (!narrow(component.rows, lo, hi)) return 'none';
  let k = -1;
  hi.forEach((h, j) => {
    if (h > (lo[j] ?? 0) && (k < 0 || h - (lo[j] ?? 0) < (hi[k] ?? 0) - (lo[k] ?? 0))) k = j;
  });
  if (k < 0) return satisfies(component.rows, lo) ? lo : 'none';
  for (const v of nearest(component.truth[k] ?? 0, lo[k] ?? 0, hi[k] ?? 0)) {
    const [l, h] = [[...lo], [...hi]];
    [l[k], h[k]] = [v, v];
    const found = search(component, l, h, budget);
    if (found !== 'none') return found;
  }
  return 'none';
}

function* nearest(target: number, lo: number, hi: number): Generator<number> {
  const c = Math.min(Math.max(target, lo), hi);
  yield c;
  for (let d = 1; c - d >= lo || c + d <= hi; d++) {
    if (c + d <= hi) yield c + d;
    if (c - d >= lo) yield c - d;
  }
}

function satisfies(rows: readonly Row[], x: readonly number[]): boolean {
  return rows.every(
    (row) => row.vars.reduce((sum, k, i) => sum + (row.coefs[i] ?? 0) * (x[k] ?? 0), 0) === row.rhs,
  );
}
