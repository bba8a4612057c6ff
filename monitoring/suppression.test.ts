import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../core/index.ts';
import { certificates, findDisclosures } from './disclosure.ts';
import {
  describeRule,
  disclosed,
  parseRule,
  protect,
  type CountSystem,
  type Equation,
} from './suppression.ts';

const SUPPRESS = { kind: 'suppress', threshold: 3 } as const;

/** A table with row totals, column totals and a grand total: ids `t|r0|c1`, `t|r0|+`, `t|+|+`. */
function table(name: string, cells: readonly (readonly number[])[]): CountSystem {
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

function merge(...systems: CountSystem[]): { values: Map<string, number>; equations: Equation[] } {
  return {
    values: new Map(systems.flatMap((s) => [...s.values])),
    equations: systems.flatMap((s) => [...s.equations]),
  };
}

const withheld = (published: ReadonlyMap<string, number | null>) =>
  [...published].filter(([, v]) => v === null).map(([id]) => id);

function refusalOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isGatewayError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('protect, suppressing', () => {
  it('publishes every count of a table without small values', () => {
    const system = table('t', [
      [3, 5],
      [4, 6],
    ]);
    expect(withheld(protect(system, SUPPRESS))).toEqual([]);
  });

  it('withholds all four cells of a 2x2 table with one small cell, and none of its totals', () => {
    const system = table('t', [
      [1, 5],
      [4, 6],
    ]);
    const published = protect(system, SUPPRESS);
    expect(withheld(published)).toEqual(['t|r0|c0', 't|r0|c1', 't|r1|c0', 't|r1|c1']);
    expect(published.get('t|r0|+')).toBe(6);
    expect(published.get('t|+|+')).toBe(16);
    expect(disclosed(system, published)).toEqual([]);
  });

  it('closes the 4-cell rectangle around a single small cell of a larger table', () => {
    const system = table('t', [
      [9, 7, 8, 6],
      [5, 2, 9, 7],
      [8, 6, 4, 9],
      [7, 9, 5, 8],
    ]);
    const published = protect(system, SUPPRESS);
    const cells = withheld(published);
    expect(cells).toHaveLength(4);
    expect(cells).toContain('t|r1|c1');
    const rows = new Set(cells.map((id) => id.split('|')[1]));
    const columns = new Set(cells.map((id) => id.split('|')[2]));
    expect([rows.size, columns.size, rows.has('+'), columns.has('+')]).toEqual([
      2,
      2,
      false,
      false,
    ]);
    expect(disclosed(system, published)).toEqual([]);
  });

  it('withholds a small total as well as its small cells', () => {
    const system = table('t', [
      [1, 5, 4],
      [1, 6, 3],
      [0, 4, 8],
    ]);
    const published = protect(system, SUPPRESS);
    expect(published.get('t|+|c0')).toBeNull();
    expect(disclosed(system, published)).toEqual([]);
  });

  it('never withholds a zero: a zero row and its zero total stay published', () => {
    const system = table('t', [
      [0, 0, 0],
      [1, 5, 4],
      [3, 4, 6],
    ]);
    const published = protect(system, SUPPRESS);
    for (const id of ['t|r0|c0', 't|r0|c1', 't|r0|c2', 't|r0|+']) expect(published.get(id)).toBe(0);
    expect(withheld(published)).toEqual(['t|r1|c0', 't|r1|c2', 't|r2|c0', 't|r2|c2']);
  });

  it('withholds a type pair cell together with its only agency pair cell', () => {
    // Agency pairs a1 (type X) and a2, a3 (type Y); each type-pair cell sums its agency pairs'.
    const agencies = table('agency', [
      [2, 6, 5],
      [4, 7, 9],
      [5, 3, 8],
    ]);
    const types = table('type', [
      [2, 6, 5],
      [9, 10, 17],
    ]);
    const links = [0, 1, 2].flatMap((c) => [
      { total: `type|r0|c${c}`, parts: [`agency|r0|c${c}`] },
      { total: `type|r1|c${c}`, parts: [`agency|r1|c${c}`, `agency|r2|c${c}`] },
    ]);
    const system = merge(agencies, types, { values: new Map(), equations: links });
    const published = protect(system, SUPPRESS);
    expect(published.get('agency|r0|c0')).toBeNull();
    expect(published.get('type|r0|c0')).toBeNull();
    expect(disclosed(system, published)).toEqual([]);
  });

  it('withholds a sibling agency pair when the type pair cell would give a small cell away', () => {
    const agencies = table('agency', [
      [1, 6],
      [5, 7],
    ]);
    const system = merge(agencies, {
      values: new Map([['type|Y|c0', 6]]),
      equations: [{ total: 'type|Y|c0', parts: ['agency|r0|c0', 'agency|r1|c0'] }],
    });
    const published = protect(system, SUPPRESS);
    expect(published.get('agency|r0|c0')).toBeNull();
    expect(disclosed(system, published)).toEqual([]);
  });

  it('gives the same answer whatever the order of the Map and of the equations', () => {
    const system = table('t', [
      [1, 5, 7, 2],
      [4, 6, 8, 0],
      [9, 3, 4, 1],
    ]);
    const reversed = {
      values: new Map([...system.values].reverse()),
      equations: [...system.equations]
        .reverse()
        .map((e) => ({ ...e, parts: [...e.parts].reverse() })),
    };
    expect([...protect(reversed, SUPPRESS)].sort()).toEqual([...protect(system, SUPPRESS)].sort());
  });

  it('refuses counts that are negative or fractional, unknown ids and sums that do not add up', () => {
    const cases: CountSystem[] = [
      { values: new Map([['a', -1]]), equations: [] },
      { values: new Map([['a', 1.5]]), equations: [] },
      { values: new Map([['a', 1]]), equations: [{ total: 'a', parts: ['b'] }] },
      {
        values: new Map([
          ['a', 3],
          ['b', 4],
        ]),
        equations: [{ total: 'a', parts: ['b'] }],
      },
    ];
    for (const system of cases) {
      expect(refusalOf(() => protect(system, SUPPRESS)).code).toBe('validation_failed');
    }
  });

  it('refuses a rule outside its range', () => {
    const system = table('t', [[1, 2]]);
    expect(refusalOf(() => protect(system, { kind: 'suppress', threshold: 1 })).code).toBe(
      'validation_failed',
    );
    expect(refusalOf(() => protect(system, { kind: 'round', base: 101 })).code).toBe(
      'validation_failed',
    );
  });
});

describe('protect, rounding', () => {
  it('rounds 1 and 2 to 0, 3 to 7 to 5 and 8 to 10, withholding nothing', () => {
    const counts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13];
    const system = { values: new Map(counts.map((v) => [`v${v}`, v])), equations: [] };
    const published = protect(system, { kind: 'round', base: 5 });
    expect(counts.map((v) => published.get(`v${v}`))).toEqual([0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 15]);
  });

  it('rounds totals on their own, not as the sum of rounded cells', () => {
    const system = table('t', [[3, 3, 3]]);
    const published = protect(system, { kind: 'round', base: 5 });
    expect(['t|r0|c0', 't|r0|c1', 't|r0|c2', 't|r0|+'].map((id) => published.get(id))).toEqual([
      5, 5, 5, 10,
    ]);
  });

  it('rounds halves up with an even base', () => {
    const system = {
      values: new Map([
        ['a', 2],
        ['b', 5],
      ]),
      equations: [],
    };
    const published = protect(system, { kind: 'round', base: 4 });
    expect([published.get('a'), published.get('b')]).toEqual([4, 4]);
  });
});

describe('parseRule', () => {
  it('reads suppress and round with and without a number', () => {
    expect(parseRule('suppress:3')).toEqual({ kind: 'suppress', threshold: 3 });
    expect(parseRule('suppress:10')).toEqual({ kind: 'suppress', threshold: 10 });
    expect(parseRule('round:5')).toEqual({ kind: 'round', base: 5 });
    expect(parseRule('round:100')).toEqual({ kind: 'round', base: 100 });
    expect(parseRule('suppress')).toEqual({ kind: 'suppress', threshold: 3 });
    expect(parseRule(' round ')).toEqual({ kind: 'round', base: 5 });
  });

  it.each([
    ['suppress:1', 'threshold 1 is outside 2..10'],
    ['suppress:11', 'threshold 11 is outside 2..10'],
    ['round:1', 'rounding base 1 is outside 2..100'],
    ['round:101', 'rounding base 101 is outside 2..100'],
    ['suppress:0', 'unknown rule "suppress:0"'],
    ['suppress:x', 'unknown rule "suppress:x"'],
    ['hide:3', 'unknown rule "hide:3"'],
    ['', 'unknown rule ""'],
    ['suppress:3\nround:5', 'unknown rule "suppress:3\\nround:5"'],
  ])('refuses %j with a one-line message', (text, message) => {
    const refusal = refusalOf(() => parseRule(text));
    expect(refusal.code).toBe('validation_failed');
    expect(refusal.message).toContain(message);
    expect(refusal.message).not.toContain('\n');
  });
});

describe('describeRule', () => {
  it('states the suppression rule in German and English', () => {
    expect(describeRule({ kind: 'suppress', threshold: 3 }, 'de')).toBe(
      'Werte 1 und 2 sowie Werte, aus denen sie sich über Summen errechnen ließen, sind gesperrt (•) – Geheimhaltung nach § 16 BStatG.',
    );
    expect(describeRule({ kind: 'suppress', threshold: 3 }, 'en')).toBe(
      'Values of 1 and 2, and values from which they could be derived through totals, are withheld (•) – statistical confidentiality under § 16 BStatG.',
    );
  });

  it('names the withheld values for other thresholds', () => {
    expect(describeRule({ kind: 'suppress', threshold: 2 }, 'de')).toMatch(
      /^Der Wert 1 sowie Werte, aus denen er sich über Summen errechnen ließe, sind gesperrt/,
    );
    expect(describeRule({ kind: 'suppress', threshold: 2 }, 'en')).toMatch(
      /^The value 1, and values from which it could be derived/,
    );
    expect(describeRule({ kind: 'suppress', threshold: 5 }, 'de')).toMatch(
      /^Werte von 1 bis 4 sowie/,
    );
    expect(describeRule({ kind: 'suppress', threshold: 5 }, 'en')).toMatch(
      /^Values from 1 to 4, and/,
    );
  });

  it('states the rounding rule in German and English', () => {
    expect(describeRule({ kind: 'round', base: 5 }, 'de')).toBe(
      'Alle Werte auf Vielfache von 5 gerundet; Summen können von der Summe der gerundeten Einzelwerte abweichen.',
    );
    expect(describeRule({ kind: 'round', base: 5 }, 'en')).toBe(
      'All values rounded to multiples of 5; totals may differ from the sum of the rounded values.',
    );
  });
});

describe('disclosed', () => {
  const shown = (system: CountSystem, hidden: readonly string[]) =>
    new Map([...system.values].map(([id, v]) => [id, hidden.includes(id) ? null : v]));

  it('finds the single withheld cell of a row with a published total', () => {
    const system = table('t', [
      [1, 5],
      [4, 6],
    ]);
    expect(disclosed(system, shown(system, ['t|r0|c0']))).toEqual(['t|r0|c0']);
  });

  it('finds counts pinned by non-negativity: y + z = 0 leaves x of x + y = 3', () => {
    const system = {
      values: new Map([
        ['x', 3],
        ['y', 0],
        ['z', 0],
        ['x+y', 3],
        ['y+z', 0],
      ]),
      equations: [
        { total: 'x+y', parts: ['x', 'y'] },
        { total: 'y+z', parts: ['y', 'z'] },
      ],
    };
    expect(disclosed(system, shown(system, ['x', 'y', 'z']))).toEqual(['x', 'y', 'z']);
    expect(disclosed(system, shown(system, ['y', 'z']))).toEqual(['y', 'z']);
  });

  it('finds counts fixed by a combination of sums that no bound reveals', () => {
    const system = {
      values: new Map([
        ['a', 3],
        ['b', 2],
        ['c', 1],
        ['a+b', 5],
        ['a+c', 4],
        ['b+c', 3],
      ]),
      equations: [
        { total: 'a+b', parts: ['a', 'b'] },
        { total: 'a+c', parts: ['a', 'c'] },
        { total: 'b+c', parts: ['b', 'c'] },
      ],
    };
    expect(findDisclosures(system, shown(system, ['a', 'b', 'c']))).toEqual({
      determined: ['a', 'b', 'c'],
      undecided: [],
    });
  });

  it('finds counts pinned by non-negativity of a derived sum, which only the LP sees', () => {
    // The totals force t|r2|c0 + t|r2|c1 = 0 without any one row saying so; then t|r0|c0 = 3.
    const system = table('t', [
      [3, 0, 0, 2],
      [3, 3, 4, 0],
      [0, 0, 0, 0],
    ]);
    const hidden = ['t|r0|c0', 't|r0|c1', 't|r0|c3', 't|r1|c2', 't|r2|c0', 't|r2|c1', 't|r2|c2'];
    const totals = ['t|r1|+', 't|r2|+', 't|+|c1', 't|+|c3'];
    expect(findDisclosures(system, shown(system, [...hidden, ...totals]))).toEqual({
      determined: ['t|r0|c0', 't|r2|c0', 't|r2|c1'],
      undecided: [],
    });
  });

  it('finds counts fixed only by integrality, which the real relaxation leaves open', () => {
    // u = 2a = y + z and y + z + w = 1: y + z is even and at most 1, so it is 0 and w is 1;
    // over the reals y could be 1 with a = 1/2.
    const system = {
      values: new Map([
        ['a', 0],
        ['u', 0],
        ['y', 0],
        ['z', 0],
        ['w', 1],
        ['t', 1],
      ]),
      equations: [
        { total: 'u', parts: ['a', 'a'] },
        { total: 'u', parts: ['y', 'z'] },
        { total: 't', parts: ['y', 'z', 'w'] },
      ],
    };
    expect(findDisclosures(system, shown(system, ['a', 'u', 'w', 'y', 'z']))).toEqual({
      determined: ['a', 'u', 'w', 'y', 'z'],
      undecided: [],
    });
  });

  it('finds nothing in a protected rectangle, nor in counts without a published bound', () => {
    const system = table('t', [
      [1, 5],
      [4, 6],
    ]);
    expect(disclosed(system, shown(system, ['t|r0|c0', 't|r0|c1', 't|r1|c0', 't|r1|c1']))).toEqual(
      [],
    );
    expect(disclosed(system, shown(system, [...system.values.keys()]))).toEqual([]);
  });

  it('names the published counts a proof leans on, where a complement helps most', () => {
    const system = table('t', [
      [1, 5],
      [4, 6],
    ]);
    const proofs = certificates(system, shown(system, ['t|r0|c0', 't|r0|c1']), ['t|r0|c0']);
    // Row 0 alone hides nothing: column 0 gives t|r0|c0 = 5 − 4, column 1 gives t|r0|c1 = 11 − 6.
    expect(proofs.get('t|r0|c0')).toEqual(['t|+|c0', 't|r1|c0']);
  });

  it('counts an id missing from the published map as withheld', () => {
    const system = table('t', [[1, 5]]);
    const published = shown(system, []);
    published.delete('t|r0|c0');
    expect(disclosed(system, published)).toEqual(['t|r0|c0']);
  });

  it('refuses a published number that is not the true count, such as a rounded one', () => {
    const system = table('t', [[1, 5]]);
    const refusal = refusalOf(() => disclosed(system, protect(system, { kind: 'round', base: 5 })));
    expect(refusal.code).toBe('validation_failed');
  });
});
