import { describe, expect, it } from 'vitest';
import {
  CODE_SYMBOLS,
  newOneTimeCode,
  newWithdrawalCode,
  normalizeCode,
  WITHDRAWAL_CODE_SYMBOLS,
} from './codes.ts';

/** Crockford's base32, written out here so the test does not borrow the code's own table. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SHAPE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const DRAWS = 10_000;

// One batch for the statistical tests: 10,000 codes are 120,000 symbols.
const codes = Array.from({ length: DRAWS }, () => newOneTimeCode());
const symbolsOf = (code: string): string[] => Array.from(code.replaceAll('-', ''));

describe('newOneTimeCode', () => {
  it('is shaped XXXX-XXXX-XXXX over the Crockford alphabet, never I, L, O or U', () => {
    for (const code of codes) expect(code).toMatch(SHAPE);
    expect(codes.join('')).not.toMatch(/[ILOU]/);
  });

  it('carries at least 50 bits: 12 symbols of 5 bits each', () => {
    expect(CODE_SYMBOLS).toBe(12);
    expect(CROCKFORD).toHaveLength(32);
    expect(CODE_SYMBOLS * Math.log2(CROCKFORD.length)).toBeGreaterThanOrEqual(50);
    for (const code of codes.slice(0, 100)) expect(symbolsOf(code)).toHaveLength(CODE_SYMBOLS);
  });

  it('draws no code twice in 10,000', () => {
    expect(new Set(codes).size).toBe(DRAWS);
  });

  it('uses every one of the 32 symbols, overall and in every position', () => {
    const overall = new Set(codes.flatMap(symbolsOf));
    expect([...overall].sort().join('')).toBe(CROCKFORD);
    for (let position = 0; position < CODE_SYMBOLS; position++) {
      const seen = new Set(codes.map((code) => symbolsOf(code)[position]));
      expect(seen.size, `position ${position}`).toBe(32);
    }
  });

  it('spreads symbols evenly (bounds many standard deviations wide, so it cannot flake)', () => {
    const counts = new Map<string, number>();
    for (const code of codes) {
      for (const s of symbolsOf(code)) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const total = DRAWS * CODE_SYMBOLS;
    const expected = total / 32; // 3750, standard deviation ≈ 60
    for (const symbol of CROCKFORD) {
      const n = counts.get(symbol) ?? 0;
      expect(n, `symbol ${symbol}`).toBeGreaterThan(expected * 0.8);
      expect(n, `symbol ${symbol}`).toBeLessThan(expected * 1.2);
    }
    // Pearson's chi-square with 31 degrees of freedom: mean 31; P(> 150) is below 1e-16, while a
    // modulo bias on even one symbol (say 2/256 instead of 8/256) pushes it into the thousands.
    let chiSquare = 0;
    for (const symbol of CROCKFORD)
      chiSquare += ((counts.get(symbol) ?? 0) - expected) ** 2 / expected;
    expect(chiSquare).toBeLessThan(150);
  });
});

describe('normalizeCode', () => {
  it('gives back the twelve symbols of a code as the gateway issued it', () => {
    for (const code of codes.slice(0, 200)) {
      expect(normalizeCode(code)).toBe(code.replaceAll('-', ''));
    }
  });

  it.each([
    ['lower case', 'abcd-efgh-jkmn', 'ABCDEFGHJKMN'],
    ['mixed case', 'aBcD-eFgH-jKmN', 'ABCDEFGHJKMN'],
    ['no hyphens', 'ABCDEFGHJKMN', 'ABCDEFGHJKMN'],
    ['spaces instead of hyphens', 'ABCD EFGH JKMN', 'ABCDEFGHJKMN'],
    ['surrounding white space and a tab', '  ABCD\tEFGH-JKMN \n', 'ABCDEFGHJKMN'],
    ['hyphens in odd places', 'A-B-C-D-EFGH--JKMN', 'ABCDEFGHJKMN'],
    ['O read as zero', 'OOOO-oooo-0000', '000000000000'],
    ['I read as one', 'IIII-iiii-1111', '111111111111'],
    ['L read as one', 'LLLL-llll-1111', '111111111111'],
    ['all forgiven at once', ' o1Il-ab cd-xyz9 ', '0111ABCDXYZ9'],
  ])('forgives %s', (_, typed, canonical) => {
    expect(normalizeCode(typed)).toBe(canonical);
  });

  it.each([
    ['empty', ''],
    ['only separators', ' - - - '],
    ['eleven symbols', 'ABCD-EFGH-JKM'],
    ['thirteen symbols', 'ABCD-EFGH-JKMNP'],
    ['a U (not in Crockford base32)', 'ABCD-EFGH-JKMU'],
    ['punctuation', 'ABCD-EFGH-JK*N'],
    ['an underscore as separator', 'ABCD_EFGH_JKMN'],
    ['a dot as separator', 'ABCD.EFGH.JKMN'],
    ['full-width digits', '０１２３-4567-89AB'],
    ['Arabic-Indic digits', '٠١٢٣-4567-89AB'],
    ['a Cyrillic look-alike А', 'АBCD-EFGH-JKMN'],
    ['an emoji', 'ABCD-EFGH-JK🙂'],
    ['a NUL byte', 'ABCD-EFGH-JKM\u0000'],
    ['a zero-width space', 'ABCD-EFGH-JKM\u200b'],
    ['an SQL fragment', "' OR 1=1 --"],
  ])('refuses %s (undefined)', (_, typed) => {
    expect(normalizeCode(typed)).toBeUndefined();
  });
});

describe('newWithdrawalCode', () => {
  it('is 20 Crockford symbols in groups of four, 100 bits, and normalises back only at its length', () => {
    const code = newWithdrawalCode();
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(WITHDRAWAL_CODE_SYMBOLS * Math.log2(CROCKFORD.length)).toBe(100);
    expect(normalizeCode(code.toLowerCase(), WITHDRAWAL_CODE_SYMBOLS)).toBe(
      code.replaceAll('-', ''),
    );
    // A one-time code is never taken for a withdrawal code, nor the other way round.
    expect(normalizeCode(code)).toBeUndefined();
    expect(normalizeCode(newOneTimeCode(), WITHDRAWAL_CODE_SYMBOLS)).toBeUndefined();
  });
});
