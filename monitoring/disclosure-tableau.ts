/**
 * Exact tableau arithmetic shared by the elimination and the simplex: rows of integers over a
 * denominator of their own, pivots that never round, and a `PrecisionLoss` wherever a product would
 * leave the safe-integer range. Web standards only.
 */
import type { Row } from './disclosure-system.ts';

/** Thrown where exact integer arithmetic would leave the safe range; the component stays open. */
export class PrecisionLoss extends Error {}

/**
 * One tableau row, a / d with d > 0: integers throughout, so nothing is rounded. A row of its own
 * denominator is left alone by every pivot that does not touch it, and d stays 1 in the totally
 * unimodular systems of plain tables.
 */
export interface Line {
  a: number[];
  d: number;
}
/** Row i reads x[basis[i]] + Σ_k (a[k] / d)·x_k = a[width] / d; columns from `priced` on never enter. */
export interface Tableau {
  lines: Line[];
  basis: number[];
  width: number;
  priced: number;
}

/** A row as a tableau line with room for `extra` columns before the rhs, the rhs made ≥ 0. */
export function lineOf(row: Row, n: number, extra: number): Line {
  const sign = row.rhs < 0 ? -1 : 1;
  const a = new Array<number>(n + extra + 1).fill(0);
  row.vars.forEach((k, j) => (a[k] = sign * (row.coefs[j] ?? 0)));
  a[n + extra] = sign * row.rhs;
  return { a, d: 1 };
}

/** a·b, exactly or not at all. */
export function product(a: number, b: number): number {
  return exact(a * b);
}

function exact(x: number): number {
  if (!Number.isSafeInteger(x)) throw new PrecisionLoss();
  return x;
}

/** Makes column s basic in row r, eliminating it from every other line and from `objective`. */
export function pivot(t: Tableau, objective: Line | null, r: number, s: number): void {
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
