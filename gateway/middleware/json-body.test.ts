import { describe, expect, it } from 'vitest';
import { jsonDepth } from './json-body.ts';

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['"[[["', 0],
    ['{}', 1],
    ['[[], {}]', 2],
    ['{"a":{"b":[1,{"c":[]}]}}', 5],
    ['["\\"[[["]', 1],
    ['["\\\\",[[]]]', 3],
  ])('measures %s as %i', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });

  it('measures a very deep document without recursion', () => {
    expect(jsonDepth('['.repeat(1_000_000))).toBe(1_000_000);
  });
});
