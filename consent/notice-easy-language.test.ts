import { describe, expect, it } from 'vitest';
import { NRW_SUPERVISORY_AUTHORITY } from '../tenants/index.ts';
import { consentNotice, type NoticeInput } from './notice.ts';

/**
 * The notice in Leichte Sprache (`de-x-ls`): the same legal content as the German reference, in
 * the rules of DIN SPEC 33429. notice.test.ts checks what every language must say; this checks how
 * Leichte Sprache says it.
 */
const office = {
  id: 'abh-koeln',
  name: 'Stadt Köln, Ausländerbehörde',
  agencyType: 'immigration_office',
  address: 'Willy-Brandt-Platz 3, 50679 Köln',
  dpoContact: 'datenschutz@stadt-koeln.de',
} as const;
const jobcenter = {
  id: 'jc-koeln',
  name: 'Jobcenter Köln',
  agencyType: 'jobcenter',
  address: 'Luxemburger Straße 121, 50939 Köln',
  dpoContact: 'jobcenter-koeln.datenschutz@jobcenter-ge.de',
  retentionDays: 365,
} as const;

function input(overrides: Partial<NoticeInput> = {}): NoticeInput {
  return {
    language: 'de-x-ls',
    senders: [office],
    recipients: [jobcenter],
    purpose: 'labour_market_integration',
    categories: ['residence_status', 'health'],
    validUntil: '2027-03-31T21:59:59Z',
    special: true,
    supervisoryAuthority: NRW_SUPERVISORY_AUTHORITY,
    ...overrides,
  };
}

const notice = consentNotice(input());
/** The lines the phrases write, without the lines naming offices, addresses and categories. */
const ownLines = notice.sections
  .slice(0, -1)
  .flatMap((s) => [s.heading, ...s.body.split('\n')])
  .filter((line) => !/^\s*-|^\s+\S+:|LDI NRW|Düsseldorf|^E-Mail:|^Internet:/u.test(line))
  .filter((line) => !line.includes(': Die Ämter helfen'));

describe('the consent notice in Leichte Sprache', () => {
  it('has the sections of the German notice, in the same order', () => {
    const german = consentNotice(input({ language: 'de' }));
    expect(notice.sections).toHaveLength(german.sections.length);
    expect(notice.language).toBe('de-x-ls');
    expect(notice.text).not.toBe(german.text);
  });

  it('says what the German reference says: who, what, what for, how long, and the rights', () => {
    for (const statement of [
      'Diese Ämter geben Ihre Daten weiter:',
      '- Stadt Köln, Ausländerbehörde – Ausländer·behörde',
      '- Jobcenter Köln – Jobcenter',
      '- Aufenthalts·status: ',
      'Ihre Einwilligung gilt bis zum 31. März 2027.',
      '- Jobcenter Köln: höchstens 365 Tage, das ist ungefähr 1 Jahr',
      'Die Einwilligung ist freiwillig.',
      'Ein Nein hat keine Nachteile für Sie.',
      'Sie können Ihre Einwilligung jederzeit zurücknehmen.',
      '- Im Portal mit Ihrem Widerrufs·code.',
      '- Im Portal mit Ihrem Ausweis.',
      '- Bei einem von den Ämtern oben.',
      'Das Zurücknehmen gilt sofort.',
      'Aber: Der Austausch vor dem Zurücknehmen bleibt erlaubt.',
      '  Adresse: Willy-Brandt-Platz 3, 50679 Köln',
      '  Daten·schutz·beauftragte: datenschutz@stadt-koeln.de',
      'Dann können Sie sich beschweren.',
      NRW_SUPERVISORY_AUTHORITY.name,
      `E-Mail: ${NRW_SUPERVISORY_AUTHORITY.email}`,
      'Artikel 6, Absatz 1, Buchstabe a',
      'Artikel 9, Absatz 2, Buchstabe a',
    ]) {
      expect(notice.text).toContain(statement);
    }
  });

  it('explains each hard word where it first comes', () => {
    const lines = notice.text.split('\n');
    for (const word of [
      'Einwilligung',
      'Ausdrücklich',
      'Löschen',
      'Freiwillig',
      'Nachteil',
      'Jederzeit',
      'Beschweren',
    ]) {
      expect(
        lines.some((line) => line.startsWith(`${word} heißt: `)),
        word,
      ).toBe(true);
    }
    expect(notice.text).toContain('Daten sind Angaben über Sie.');
    expect(notice.text).toContain('Das Portal ist eine Seite im Internet.');
    // The term is explained before the section that relies on it.
    expect(notice.text.indexOf('Einwilligung heißt: ')).toBeLessThan(
      notice.text.indexOf('Wie lange gilt Ihre Einwilligung?'),
    );
  });

  it('writes one short sentence per line', () => {
    expect(ownLines.length).toBeGreaterThan(40);
    for (const line of ownLines) {
      // A full stop after a digit is the day of a date ("31. März"), not a sentence's end.
      expect(line.trim().split(/(?<=\D[.?!])\s+/u), line).toHaveLength(1);
      expect(line.trim().split(/\s+/u).length, line).toBeLessThanOrEqual(12);
    }
  });

  it('writes words out and splits compounds with a Mediopunkt', () => {
    const text = notice.sections.map((s) => `${s.heading}\n${s.body}`).join('\n');
    const own = text.replaceAll(NRW_SUPERVISORY_AUTHORITY.name, '');
    expect(own).not.toMatch(/\b(Art|Abs|lit|DSGVO|GDPR|bzw|ggf|usw)\b|z\. ?B\./u);
    for (const hyphenated of ['Widerrufs-Code', 'Datenschutz-Beauftragte', 'Online-Ausweis']) {
      expect(text).not.toContain(hyphenated);
    }
    for (const split of ['Widerrufs·code', 'Daten·schutz·beauftragte', 'Online·ausweis']) {
      expect(text).toContain(split);
    }
    expect(notice.text).toBe(notice.text.normalize('NFC'));
  });

  it('addresses the person as "Sie", never "du"', () => {
    expect(notice.text).not.toMatch(/(?<!\p{L})(du|dich|dir|dein\p{L}*)(?!\p{L})/iu);
    expect(notice.text).toMatch(/(?<!\p{L})Sie(?!\p{L})/u);
  });

  it('asks for explicit consent to health data only where there is some', () => {
    const plain = consentNotice(input({ categories: ['residence_status'], special: false }));
    expect(notice.text).toContain('Daten über Ihre Gesundheit\nEs geht auch um Daten');
    expect(plain.text).not.toContain('Es geht auch um Daten über Ihre Gesundheit.');
    expect(plain.text).not.toContain('Artikel 9');
  });
});
