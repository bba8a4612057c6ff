import { describe, expect, it } from 'vitest';
import { refusalOf, table } from '../test/support/count-tables.ts';
import {
  describeRule,
  disclosed,
  parseRule,
  protect,
  type CountSystem,
  type Equation,
} from './suppression.ts';

const SUPPRESS = { kind: 'suppress', threshold: 3 } as const;

function merge(...systems: CountSystem[]): { values: Map<string, number>; equations: Equation[] } {
  return {
    values: new Map(systems.flatMap((s) => [...s.values])),
    equations: systems.flatMap((s) => [...s.equations]),
  };
}

const withheld = (published: ReadonlyMap<string, number | null>) =>
  [...published].filter(([, v]) => v === null).map(([id]) => id);

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

describe('protect, with decisions published before', () => {
  const cells = [
    [
      [1, 5, 7],
      [4, 6, 8],
      [9, 3, 4],
    ],
    [
      [5, 6, 7],
      [8, 9, 6],
      [7, 5, 8],
    ],
    [
      [6, 4, 9],
      [5, 7, 3],
      [8, 6, 5],
    ],
  ];
  const months = cells.map((month, k) => table(`m${k + 1}`, month));
  /** The three months, the quarter table `q` and each quarter count as the sum of the months'. */
  const own = table(
    'q',
    [0, 1, 2].map((r) => [0, 1, 2].map((c) => cells.reduce((n, m) => n + (m[r]?.[c] ?? 0), 0))),
  );
  const links = [...own.values.keys()].map((id) => ({
    total: id,
    parts: ['m1', 'm2', 'm3'].map((m) => id.replace(/^q/, m)),
  }));
  const quarter = merge(...months, own, { values: new Map(), equations: links });
  const frozen = new Map(months.flatMap((month) => [...protect(month, SUPPRESS)]));

  it('withholds a quarter count whose only withheld month count the others would give away', () => {
    expect(frozen.get('m1|r0|c0')).toBeNull();
    expect([frozen.get('m2|r0|c0'), frozen.get('m3|r0|c0')]).toEqual([5, 6]);
    const published = protect(quarter, SUPPRESS, frozen);
    expect(published.get('q|r0|c0')).toBeNull();
    for (const [id, decision] of frozen) expect(published.get(id), id).toBe(decision);
    expect(disclosed(quarter, published)).toEqual([]);
  });

  it('publishes a quarter count whose month counts were all published', () => {
    const published = protect(quarter, SUPPRESS, frozen);
    expect(['m1', 'm2', 'm3'].map((m) => frozen.get(`${m}|r2|c2`))).toEqual([4, 8, 5]);
    expect(published.get('q|r2|c2')).toBe(17);
    expect(published.get('q|+|+')).toBe(quarter.values.get('q|+|+'));
  });

  it('decides the same whatever the order of the system and of the frozen decisions', () => {
    const reversed = {
      values: new Map([...quarter.values].reverse()),
      equations: [...quarter.equations].reverse(),
    };
    const backwards = new Map([...frozen].reverse());
    expect([...protect(reversed, SUPPRESS, backwards)].sort()).toEqual(
      [...protect(quarter, SUPPRESS, frozen)].sort(),
    );
  });

  it('decides as without frozen decisions when none are given', () => {
    expect(protect(quarter, SUPPRESS, new Map())).toEqual(protect(quarter, SUPPRESS));
  });

  it('refuses a frozen number other than the count, and a frozen id the system lacks', () => {
    const wrong = new Map([...frozen, ['m2|r0|c0', 6]]);
    expect(refusalOf(() => protect(quarter, SUPPRESS, wrong))).toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('"m2|r0|c0" was published as 6, not as 5') as unknown,
    });
    const unknown = new Map([...frozen, ['m4|r0|c0', null]]);
    expect(refusalOf(() => protect(quarter, SUPPRESS, unknown))).toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('"m4|r0|c0" is not in the system') as unknown,
    });
  });

  it('refuses when the frozen counts give a small quarter count away, whatever is withheld', () => {
    // Months protected with threshold 2 published a 2; with threshold 3 its quarter is primary.
    const system = {
      values: new Map([
        ['m1', 2],
        ['m2', 0],
        ['m3', 0],
        ['q', 2],
      ]),
      equations: [{ total: 'q', parts: ['m1', 'm2', 'm3'] }],
    };
    const published = new Map([
      ['m1', 2],
      ['m2', 0],
      ['m3', 0],
    ]);
    expect(refusalOf(() => protect(system, SUPPRESS, published)).code).toBe('conflict');
  });

  it('keeps frozen rounded numbers and rounds the rest', () => {
    const round = { kind: 'round', base: 5 } as const;
    const system = {
      values: new Map([
        ['m', 3],
        ['q', 12],
      ]),
      equations: [],
    };
    expect([...protect(system, round, new Map([['m', 5]]))]).toEqual([
      ['m', 5],
      ['q', 10],
    ]);
    expect(refusalOf(() => protect(system, round, new Map([['m', 3]]))).code).toBe(
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
