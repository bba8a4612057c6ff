/**
 * Step 3 of the attacker: the largest and smallest value of each open unknown over the real
 * relaxation, by the exact simplex. floor(max) = ceil(min) proves it disclosed; an unbounded ray or
 * an integral optimal vertex is a second integer solution and clears every unknown it moves. What is
 * left are gaps the reals reach only at fractional vertices, for the search. Web standards only.
 */
import { CLEARED, DETERMINED, OPEN, type Component } from './disclosure-system.ts';
import { feasibleTableau, objectiveLine, optimise } from './disclosure-simplex.ts';
import type { Tableau } from './disclosure-tableau.ts';

/** An integer range of one unknown in which a second solution might still lie. */
export interface Gap {
  readonly k: number;
  readonly from: number;
  readonly to: number;
}

/** Marks in `status` what the relaxation decides; returns the gaps it leaves to integrality. */
export function clearByProgramming(component: Component, status: Uint8Array): Gap[] {
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
