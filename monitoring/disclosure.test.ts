import { describe, expect, it } from 'vitest';
import { refusalOf, table } from '../test/support/count-tables.ts';
import { certificates, disclosed, findDisclosures, type CountSystem } from './disclosure.ts';

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
    const rounded = new Map([
      ['t|r0|c0', 0],
      ['t|r0|c1', 5],
      ['t|r0|+', 5],
    ]);
    const refusal = refusalOf(() => disclosed(system, rounded));
    expect(refusal.code).toBe('validation_failed');
  });
});
