import { isGatewayError } from '../../core/index.ts';
import type { CountSystem, Equation } from '../../monitoring/suppression.ts';

// Count systems for the tests of monitoring's suppression and its attacker.

/** A table with row totals, column totals and a grand total: ids `t|r0|c1`, `t|r0|+`, `t|+|+`. */
export function table(name: string, cells: readonly (readonly number[])[]): CountSystem {
  const values = new Map<string, number>();
  const equations: Equation[] = [];
  const id = (r: number | '+', c: number | '+') =>
    `${name}|${r === '+' ? '+' : `r${r}`}|${c === '+' ? '+' : `c${c}`}`;
  const width = cells[0]?.length ?? 0;
  const rows = cells.map((_, r) => r);
  const columns = Array.from({ length: width }, (_, c) => c);
  cells.forEach((line, r) => {
    line.forEach((v, c) => values.set(id(r, c), v));
    values.set(
      id(r, '+'),
      line.reduce((a, b) => a + b, 0),
    );
    equations.push({ total: id(r, '+'), parts: columns.map((c) => id(r, c)) });
  });
  for (const c of columns) {
    values.set(
      id('+', c),
      cells.reduce((a, line) => a + (line[c] ?? 0), 0),
    );
    equations.push({ total: id('+', c), parts: rows.map((r) => id(r, c)) });
  }
  values.set(
    id('+', '+'),
    cells.flat().reduce((a, b) => a + b, 0),
  );
  equations.push({ total: id('+', '+'), parts: rows.map((r) => id(r, '+')) });
  equations.push({ total: id('+', '+'), parts: columns.map((c) => id('+', c)) });
  return { values, equations };
}

/** The code and message of the GatewayError `run` throws. */
export function refusalOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isGatewayError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}
