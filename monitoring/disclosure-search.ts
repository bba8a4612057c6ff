/**
 * Step 4 of the attacker: an exhaustive search for an integer solution inside each gap the
 * relaxation left, bounds propagated at every node. Exact unless it spends its node budget or meets
 * an unbounded domain it had to cap; such unknowns are left undecided. Web standards only.
 */
import { narrow } from './disclosure-bounds.ts';
import type { Gap } from './disclosure-relaxation.ts';
import {
  CLEARED,
  DETERMINED,
  OPEN,
  UNDECIDED,
  type Component,
  type Row,
} from './disclosure-system.ts';

/** Nodes one search may visit before the unknown is left undecided. */
const SEARCH_NODES = 10_000;

/** Settles every open unknown with a gap: cleared, determined, or undecided. */
export function closeGaps(
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
