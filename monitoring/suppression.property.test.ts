import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { disclosed, protect, type CountSystem, type Equation } from './suppression.ts';

// Properties of protect() and disclosed() against an attacker written here apart from
// disclosure.ts: plain backtracking over the non-negative integer assignments to the withheld
// counts (each at most twice the grand total, plus 2), so that a bug in the LP, the elimination or
// the bounds of the real attacker cannot hide itself.

/** Counts drawn for a table of up to 4 rows, each split into up to 2 linked rows, of 4 columns. */
const drawArb = fc.record({
  rows: fc.integer({ min: 2, max: 4 }),
  columns: fc.integer({ min: 2, max: 4 }),
  linked: fc.boolean(),
  split: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 4, maxLength: 4 }),
  counts: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 32, maxLength: 32 }),
  threshold: fc.constantFrom(2, 3, 3, 4),
});
type Draw = typeof drawArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * A type-pair table t (cells, row totals, column totals, grand total) and, when linked, an
 * agency-pair table a whose rows split t's rows: t|i|j = Σ_s a|i.s|j, with its own row totals
 * and t's column totals as its column totals. A row split in one is a type pair of one agency pair.
 */
function systemOf(draw: Draw): CountSystem {
  const values = new Map<string, number>();
  const equations: Equation[] = [];
  const sum = (total: string) => ({
    of(parts: string[]) {
      values.set(
        total,
        parts.reduce((n, id) => n + (values.get(id) ?? 0), 0),
      );
      equations.push({ total, parts });
    },
  });
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const [rows, columns] = [range(draw.rows), range(draw.columns)];
  const counts = draw.counts.values();
  const count = () => counts.next().value ?? 0;
  const t = (i: number | '+', j: number | '+') => `t|${i}|${j}`;
  const a = (i: number, s: number, j: number | '+') => `a|${i}.${s}|${j}`;
  const agencyRows: [number, number][] = [];
  for (const i of rows) {
    const subrows = draw.linked ? range(draw.split[i] ?? 1) : [];
    for (const j of columns) {
      for (const s of subrows) values.set(a(i, s, j), count());
      if (draw.linked) sum(t(i, j)).of(subrows.map((s) => a(i, s, j)));
      else values.set(t(i, j), count());
    }
    for (const s of subrows) sum(a(i, s, '+')).of(columns.map((j) => a(i, s, j)));
    for (const s of subrows) agencyRows.push([i, s]);
    sum(t(i, '+')).of(columns.map((j) => t(i, j)));
  }
  for (const j of columns) sum(t('+', j)).of(rows.map((i) => t(i, j)));
  sum(t('+', '+')).of(rows.map((i) => t(i, '+')));
  equations.push({ total: t('+', '+'), parts: columns.map((j) => t('+', j)) });
  for (const j of draw.linked ? columns : []) {
    equations.push({ total: t('+', j), parts: agencyRows.map(([i, s]) => a(i, s, j)) });
  }
  return { values, equations };
}

/** Counts drawn for three months of one table of 2–3 rows and 2–3 columns. */
const monthsArb = fc.record({
  rows: fc.integer({ min: 2, max: 3 }),
  columns: fc.integer({ min: 2, max: 3 }),
  counts: fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 9, maxLength: 9 }), {
    minLength: 3,
    maxLength: 3,
  }),
  threshold: fc.constantFrom(2, 3, 3, 4),
});
type Months = typeof monthsArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * Each month a table `m<k>|i|j` with row, column and grand totals, and the quarter `t|i|j`: the
 * same table, each of its counts, totals included, the sum of the three months' counts.
 */
function periodsOf(draw: Months): { months: CountSystem[]; quarter: CountSystem } {
  const rows: (number | '+')[] = [...Array.from({ length: draw.rows }, (_, i) => i), '+'];
  const columns: (number | '+')[] = [...Array.from({ length: draw.columns }, (_, j) => j), '+'];
  const cells = rows.flatMap((i) => columns.map((j) => [i, j] as const));
  const table = (name: string, count: (i: number, j: number) => number): CountSystem => {
    const values = new Map<string, number>();
    const equations: Equation[] = [];
    const id = (i: number | '+', j: number | '+') => `${name}|${i}|${j}`;
    const value = (i: number | '+', j: number | '+'): number =>
      i === '+'
        ? rows.reduce<number>((n, r) => (r === '+' ? n : n + value(r, j)), 0)
        : j === '+'
          ? columns.reduce<number>((n, c) => (c === '+' ? n : n + value(i, c)), 0)
          : count(i, j);
    for (const [i, j] of cells) values.set(id(i, j), value(i, j));
    for (const i of rows) {
      equations.push({
        total: id(i, '+'),
        parts: columns.flatMap((j) => (j === '+' ? [] : [id(i, j)])),
      });
    }
    for (const j of columns) {
      equations.push({
        total: id('+', j),
        parts: rows.flatMap((i) => (i === '+' ? [] : [id(i, j)])),
      });
    }
    return { values, equations };
  };
  const months = draw.counts.map((counts, k) =>
    table(`m${k}`, (i, j) => counts[i * draw.columns + j] ?? 0),
  );
  const own = table('t', (i, j) =>
    draw.counts.reduce((n, counts) => n + (counts[i * draw.columns + j] ?? 0), 0),
  );
  const links = cells.map(([i, j]) => ({
    total: `t|${i}|${j}`,
    parts: months.map((_, k) => `m${k}|${i}|${j}`),
  }));
  const quarter = {
    values: new Map([...months.flatMap((m) => [...m.values]), ...own.values]),
    equations: [...months.flatMap((m) => m.equations), ...own.equations, ...links],
  };
  return { months, quarter };
}

/** Nodes one brute-force search may visit; far above what these sizes need when all is well. */
const NODES = 200_000;

/**
 * Some solution of the equations, consistent with the published values, with every count in
 * 0..bound and `id` different from its true value; null when there is none.
 */
function otherSolution(
  system: CountSystem,
  published: ReadonlyMap<string, number | null>,
  id: string,
  bound: number,
): Map<string, number> | null {
  const unknown = [...published].filter(([, v]) => v === null).map(([k]) => k);
  const truth = (k: string) => system.values.get(k) ?? 0;
  const known = new Map<string, number>();
  for (const [k, v] of published) if (v !== null) known.set(k, v);
  let nodes = 0;
  const consistent = () =>
    system.equations.every(({ total, parts }) => {
      const t = known.get(total);
      const assigned = parts.filter((p) => known.has(p));
      const partial = assigned.reduce((a, p) => a + (known.get(p) ?? 0), 0);
      if (t === undefined) return true;
      return assigned.length === parts.length ? partial === t : partial <= t;
    });
  const descend = (): boolean => {
    if (++nodes > NODES) throw new Error('brute force ran out of nodes');
    if (!consistent()) return false;
    // A sum with one unknown member left fixes it: no need to enumerate that one.
    for (const { total, parts } of system.equations) {
      const open = [total, ...parts].filter((k) => !known.has(k));
      const k = open[0];
      if (k === undefined || open.length !== 1) continue;
      const rest = parts.filter((p) => p !== k).reduce((a, p) => a + (known.get(p) ?? 0), 0);
      const v = k === total ? rest : (known.get(total) ?? 0) - rest;
      if (v < 0 || v > bound || (k === id && v === truth(id))) return false;
      known.set(k, v);
      if (descend()) return true;
      known.delete(k);
      return false;
    }
    const k = known.has(id) ? unknown.find((u) => !known.has(u)) : id;
    if (k === undefined) return true;
    const values = Array.from({ length: bound + 1 }, (_, v) => v)
      .filter((v) => k !== id || v !== truth(id))
      .sort((a, b) => Math.abs(a - truth(k)) - Math.abs(b - truth(k)) || a - b);
    for (const v of values) {
      known.set(k, v);
      if (descend()) return true;
      known.delete(k);
    }
    return false;
  };
  return descend() ? known : null;
}

/** The withheld ids that take one value only, by exhaustive search. */
function bruteForceDisclosed(
  system: CountSystem,
  published: ReadonlyMap<string, number | null>,
): string[] {
  const bound = 2 * Math.max(0, ...system.values.values()) + 2;
  const ambiguous = new Set<string>();
  const hidden = [...published].filter(([, v]) => v === null).map(([k]) => k);
  for (const id of hidden.sort()) {
    if (ambiguous.has(id)) continue;
    const other = otherSolution(system, published, id, bound);
    for (const [k, v] of other ?? []) if (v !== system.values.get(k)) ambiguous.add(k);
  }
  return hidden.filter((id) => !ambiguous.has(id));
}

describe('protect, suppressing, against a brute-force attacker', () => {
  it('withholds every small count, publishes true values, and leaves each withheld count open', () => {
    fc.assert(
      fc.property(drawArb, (draw) => {
        const system = systemOf(draw);
        const published = protect(system, { kind: 'suppress', threshold: draw.threshold });
        expect([...published.keys()].sort()).toEqual([...system.values.keys()].sort());
        for (const [id, v] of system.values) {
          const shown = published.get(id);
          if (v > 0 && v < draw.threshold) expect(shown, id).toBeNull();
          if (shown !== null) expect(shown, id).toBe(v);
        }
        expect(bruteForceDisclosed(system, published)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('is a function of the counts alone, not of Map or equation order', () => {
    fc.assert(
      fc.property(drawArb, (draw) => {
        const system = systemOf(draw);
        const shuffled = {
          values: new Map([...system.values].reverse()),
          equations: [...system.equations].reverse(),
        };
        const rule = { kind: 'suppress', threshold: draw.threshold } as const;
        expect([...protect(shuffled, rule)].sort()).toEqual([...protect(system, rule)].sort());
      }),
      { numRuns: 50 },
    );
  });
});

describe('protect with frozen months, against a brute-force attacker', () => {
  it('keeps every month as published and leaves no withheld count of months and quarter open', () => {
    fc.assert(
      fc.property(monthsArb, (draw) => {
        const rule = { kind: 'suppress', threshold: draw.threshold } as const;
        const { months, quarter } = periodsOf(draw);
        const frozen = new Map(months.flatMap((month) => [...protect(month, rule)]));
        const published = protect(quarter, rule, frozen);
        for (const [id, decision] of frozen) expect(published.get(id), id).toBe(decision);
        for (const [id, v] of quarter.values) {
          const shown = published.get(id);
          if (!frozen.has(id) && v > 0 && v < draw.threshold) expect(shown, id).toBeNull();
          if (shown !== null) expect(shown, id).toBe(v);
        }
        expect(bruteForceDisclosed(quarter, published)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('disclosed against a brute-force attacker', () => {
  it('names exactly the withheld counts that take one value, for any withheld set', () => {
    const caseArb = drawArb
      .map((draw) => ({
        ...draw,
        rows: Math.min(draw.rows, 3),
        columns: Math.min(draw.columns, 3),
      }))
      .chain((draw) => {
        const ids = [...systemOf(draw).values.keys()];
        return fc.record({
          draw: fc.constant(draw),
          hidden: fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 7 }),
        });
      });
    fc.assert(
      fc.property(caseArb, ({ draw, hidden }) => {
        const system = systemOf(draw);
        const published = new Map(
          [...system.values].map(([id, v]) => [id, hidden.includes(id) ? null : v]),
        );
        expect(disclosed(system, published)).toEqual(bruteForceDisclosed(system, published).sort());
      }),
      { numRuns: 150 },
    );
  });
});
