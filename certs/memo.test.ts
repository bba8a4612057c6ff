import { describe, expect, it } from 'vitest';
import { BoundedMemo } from './memo.ts';

describe('BoundedMemo', () => {
  it('computes once per key and answers the same value after', async () => {
    const memo = new BoundedMemo<object>();
    let computed = 0;
    const compute = () => Promise.resolve({ n: ++computed });
    const first = await memo.getOrCompute('a', compute);
    expect(await memo.getOrCompute('a', compute)).toBe(first);
    expect(computed).toBe(1);
  });

  it('remembers no failure', async () => {
    const memo = new BoundedMemo<number>();
    await expect(memo.getOrCompute('a', () => Promise.reject(new Error('bad')))).rejects.toThrow();
    expect(await memo.getOrCompute('a', () => Promise.resolve(7))).toBe(7);
  });

  it('drops the oldest entries beyond its bound', () => {
    const memo = new BoundedMemo<number>(3);
    for (let i = 0; i < 5; i++) memo.set(`k${i}`, i);
    expect([0, 1, 2, 3, 4].map((i) => memo.get(`k${i}`))).toEqual([undefined, undefined, 2, 3, 4]);
  });
});
