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
 *
 * This module is the entry; the steps live in disclosure-bounds (1), disclosure-elimination (2),
 * disclosure-relaxation over disclosure-simplex and disclosure-tableau (3), disclosure-search (4),
 * the system and its components in disclosure-system, the dual certificates in
 * disclosure-certificates.
 */
import { narrow } from './disclosure-bounds.ts';
import { fixedByEquations } from './disclosure-elimination.ts';
import { clearByProgramming } from './disclosure-relaxation.ts';
import { closeGaps } from './disclosure-search.ts';
import {
  byId,
  CLEARED,
  components,
  DETERMINED,
  OPEN,
  UNDECIDED,
  type Component,
  type CountSystem,
} from './disclosure-system.ts';
import { PrecisionLoss } from './disclosure-tableau.ts';

export { certificates } from './disclosure-certificates.ts';
export { byId, checkSystem } from './disclosure-system.ts';
export type { CountSystem, Equation } from './disclosure-system.ts';

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

/** Steps 1 to 4 on one component: the status of each of its unknowns, in the order of its ids. */
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
