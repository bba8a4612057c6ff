import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../policies/index.ts';
import { CATALOGUES, negotiateLanguage, translator } from './i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogues', () => {
  const german = CATALOGUES.de;

  it.each(LANGUAGES.filter((l) => l !== 'de'))(
    '%s has every key German has, and no other',
    (language) => {
      const keys = Object.keys(CATALOGUES[language]).sort();
      expect(keys).toEqual(Object.keys(german).sort());
    },
  );

  it.each(LANGUAGES)(
    '%s keeps every placeholder of the German text and leaves no text empty',
    (language) => {
      for (const [key, text] of Object.entries(CATALOGUES[language])) {
        expect(text.trim(), `${language} ${key}`).not.toBe('');
        expect(placeholders(text), `${language} ${key}`).toEqual(
          placeholders(german[key as keyof typeof german]),
        );
      }
    },
  );

  it.each(LANGUAGES)('%s names every channel and assurance level a receipt carries', (language) => {
    const keys = Object.keys(CATALOGUES[language]);
    for (const channel of ['portal-code', 'portal-eid', 'assisted', 'paper']) {
      expect(keys).toContain(`channel.${channel}`);
    }
    for (const level of ['low', 'substantial', 'high'])
      expect(keys).toContain(`assurance.${level}`);
    expect(CATALOGUES[language]['signIn.withdrawalHint']).toContain('WXYZ-2345-ABCD-6789-EFGH');
    expect(CATALOGUES[language]['assurance.text']).toContain('§ 67b SGB X');
  });

  it('notices a catalogue that misses a key German has', () => {
    const incomplete = Object.keys(CATALOGUES.en).filter((key) => key !== 'nav.history');
    expect(incomplete.sort()).not.toEqual(Object.keys(german).sort());
  });
});

describe('translator', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    const tr = translator('en');
    expect(tr.t('signIn.rateLimited', { minutes: 15 })).toBe(
      'There were too many attempts. Please wait 15 minutes, then try again.',
    );
    expect(tr.t('signIn.rateLimited')).toContain('{minutes}');
  });

  it('writes dates in each language, with the Gregorian calendar also in Farsi', () => {
    const at = '2027-03-31T10:00:00Z';
    expect(translator('de').date(at)).toBe('31. März 2027');
    expect(translator('en').date(at)).toBe('31 March 2027');
    expect(translator('tr').date(at)).toBe('31 Mart 2027');
    expect(translator('uk').date(at)).toMatch(/31 березня 2027/);
    // Persian digits for 2027 and 31, Gregorian month name (not the Solar Hijri year 1406).
    expect(translator('fa').date(at)).toMatch(/۲۰۲۷/);
    expect(translator('fa').date(at)).not.toMatch(/۱۴۰۶/);
    expect(translator('ar').date(at)).toMatch(/مارس|آذار/);
  });

  it('writes Leichte Sprache dates with the month as a word, moments too', () => {
    expect(translator('de-x-ls').date('2027-03-31T10:00:00Z')).toBe('31. März 2027');
    expect(translator('de-x-ls').dateTime('2027-01-15T12:00:00Z')).toBe('15. Januar 2027 um 13:00');
    expect(translator('de-x-ls').list(['A', 'B', 'C'])).toBe('A, B und C');
  });

  it('names the calendar day in UTC, as the consent notice does', () => {
    expect(translator('de').date('2027-05-28T23:30:00Z')).toBe('28. Mai 2027');
  });

  it('shows times of day in the offices’ local time', () => {
    expect(translator('de').dateTime('2027-01-15T12:00:00Z')).toBe('15.01.2027, 13:00');
  });

  it('lists items as each language does', () => {
    expect(translator('de').list(['A', 'B', 'C'])).toBe('A, B und C');
    expect(translator('en').list(['A', 'B'])).toBe('A and B');
    expect(translator('ar').list(['أ', 'ب'])).toBe('أ وب');
  });

  it('reads right to left in Arabic and Farsi only', () => {
    expect(LANGUAGES.filter((l) => translator(l).dir === 'rtl')).toEqual(['ar', 'fa']);
  });
});

describe('negotiateLanguage', () => {
  it('prefers ?lang=, then the cookie, then Accept-Language by quality, then German', () => {
    expect(negotiateLanguage({ query: 'ar', cookie: 'tr', acceptLanguage: 'uk' })).toBe('ar');
    expect(negotiateLanguage({ query: 'xx', cookie: 'tr', acceptLanguage: 'uk' })).toBe('tr');
    expect(negotiateLanguage({ acceptLanguage: 'fr-FR, uk;q=0.8, en;q=0.9' })).toBe('en');
    expect(negotiateLanguage({ acceptLanguage: 'fa-IR;q=0.5, fr' })).toBe('fa');
    expect(negotiateLanguage({ acceptLanguage: 'en;q=0, fr' })).toBe('de');
    expect(negotiateLanguage({})).toBe('de');
  });

  it('takes Leichte Sprache from ?lang=, the cookie, and a whole Accept-Language tag', () => {
    expect(negotiateLanguage({ query: 'de-x-ls', acceptLanguage: 'en' })).toBe('de-x-ls');
    expect(negotiateLanguage({ cookie: 'de-x-ls', acceptLanguage: 'en' })).toBe('de-x-ls');
    expect(negotiateLanguage({ acceptLanguage: 'de-x-ls, de;q=0.9' })).toBe('de-x-ls');
    expect(negotiateLanguage({ acceptLanguage: 'DE-X-LS;q=0.8, fr' })).toBe('de-x-ls');
    // Any other German, or another private use, is German.
    expect(negotiateLanguage({ acceptLanguage: 'de-DE, de-x-ls;q=0.5' })).toBe('de');
    expect(negotiateLanguage({ acceptLanguage: 'de-x-other' })).toBe('de');
  });

  it('looks at a bounded part of a huge header', () => {
    const header = `${'xx;q=0.1, '.repeat(10_000)}ar`;
    expect(negotiateLanguage({ acceptLanguage: header })).toBe('de');
  });
});
