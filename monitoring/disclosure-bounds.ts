/**
 * Step 1 of the attacker: interval propagation with integer rounding to a fixpoint, so that
 * x + y = 3 beside y + z = 0 pins x. Sound but incomplete; the search narrows at every node with it.
 * Web standards only.
 */
import type { Row } from './disclosure-system.ts';

/** Past this many passes the bounds are left looser than the fixpoint, which is still sound. */
const NARROW_PASSES = 64;

/** Tightens integer bounds by every row; false when some range empties (no solution). */
export function narrow(rows: readonly Row[], lo: number[], hi: number[]): boolean {
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
