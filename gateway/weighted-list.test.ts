import { describe, expect, it } from 'vitest';
import { prefersHtml } from './portal/problem-page.tsx';
import { weightedList } from './weighted-list.ts';

const LIMITS = { maxChars: 1024, maxItems: 32 };

describe('weightedList', () => {
  it('reads members with their weights in order, lower-cased and without parameters', () => {
    expect(weightedList('text/HTML;level=1, application/json;q=0.5 ,*/*;q=0', LIMITS)).toEqual([
      { value: 'text/html', q: 1, index: 0 },
      { value: 'application/json', q: 0.5, index: 1 },
      { value: '*/*', q: 0, index: 2 },
    ]);
  });

  it.each(['q=2', 'q=abc', 'q=1.5', 'q=0.1234', 'q=-1', 'q='])(
    'weighs a malformed %s as 0, so it never wins',
    (weight) => {
      expect(weightedList(`text/html;${weight}`, LIMITS)[0]?.q).toBe(0);
    },
  );

  it('reads no further than its limits', () => {
    const many = Array.from({ length: 100 }, (_, i) => `t/${String(i)}`).join(',');
    expect(weightedList(many, { maxChars: 10_000, maxItems: 5 })).toHaveLength(5);
    expect(weightedList('a'.repeat(50) + ',b', { maxChars: 20, maxItems: 5 })).toHaveLength(1);
  });
});

describe('prefersHtml', () => {
  it.each([
    ['text/html,application/xhtml+xml,*/*;q=0.8', true],
    ['application/json', false],
    ['*/*', false],
    ['text/html;q=2, application/json;q=0.5', false],
    ['application/vnd.api+json, text/html', false],
    ['text/html;q=0.5, application/vnd.api+json', false],
    ['application/vnd.api+json;q=0.5, text/html', true],
  ])('%s → %s', (accept, html) => {
    expect(prefersHtml(accept)).toBe(html);
  });
});
