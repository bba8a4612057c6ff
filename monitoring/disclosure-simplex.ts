/**
 * The exact simplex over the tableau of one component: phase 1 from artificial unknowns, then the
 * primal simplex maximising or minimising one unknown over the real relaxation. Web standards only.
 */
import type { Row } from './disclosure-system.ts';
import { lineOf, pivot, product, type Line, type Tableau } from './disclosure-tableau.ts';

/**
 * Phase 1 with one artificial unknown per row; the true counts guarantee it ends feasible. With
 * `keepDuals` the artificial columns stay (never to enter again): their reduced costs are then the
 * duals of the rows, in row order.
 */
export function feasibleTableau(rows: readonly Row[], n: number, keepDuals = false): Tableau {
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
export function objectiveLine(t: Tableau, k: number, sense: number): Line {
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
export function optimise(t: Tableau, objective: Line): 'optimal' | 'unbounded' {
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
