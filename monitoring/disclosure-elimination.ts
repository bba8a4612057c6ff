/**
 * Step 2 of the attacker: integer Gauss–Jordan elimination. An unknown alone in its echelon row is
 * fixed by the equations, a leak through combinations of rows that bounds do not see. Sound but
 * incomplete. Web standards only.
 */
import type { Row } from './disclosure-system.ts';
import { lineOf, pivot, type Tableau } from './disclosure-tableau.ts';

/** Unknowns fixed by the equations alone: Gauss–Jordan with the simplex's exact pivot. */
export function fixedByEquations(rows: readonly Row[], n: number): number[] {
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
