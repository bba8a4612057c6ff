import { describe, expect, it } from 'vitest';
import { AGENCY_TYPES } from './vocabulary.ts';
import { LABELS, isRightToLeft, label, type Label, type LabelKind } from './labels.ts';
import { DATA_CATEGORIES, LANGUAGES, PURPOSES, type Language } from './vocabulary.ts';

const IDS: Readonly<Record<LabelKind, readonly string[]>> = {
  purpose: PURPOSES,
  category: DATA_CATEGORIES,
  agencyType: AGENCY_TYPES,
};
const KINDS = Object.keys(IDS) as LabelKind[];

function allLabels(language: Language): { kind: LabelKind; id: string; label: Label }[] {
  return KINDS.flatMap((kind) =>
    IDS[kind].map((id) => ({ kind, id, label: label(kind, id, language) })),
  );
}

const ARABIC_SCRIPT = /\p{Script=Arabic}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;

describe('LABELS', () => {
  it.each(LANGUAGES)('has a name and a description for every id in %s', (language) => {
    for (const kind of KINDS) {
      const table: Readonly<Record<string, Label | undefined>> = LABELS[language][kind];
      expect(Object.keys(table).sort()).toEqual([...IDS[kind]].sort());
      for (const id of IDS[kind]) {
        expect(table[id]?.name.trim(), `${language} ${kind} ${id}`).not.toBe('');
        expect(table[id]?.description.trim(), `${language} ${kind} ${id}`).not.toBe('');
      }
    }
  });

  it.each(LANGUAGES)('gives no two ids of one kind the same name in %s', (language) => {
    for (const kind of KINDS) {
      const names = IDS[kind].map((id) => label(kind, id, language).name.toLowerCase());
      expect(new Set(names).size, `${language} ${kind}: ${names.join(', ')}`).toBe(names.length);
    }
  });

  it.each(LANGUAGES)('writes %s as clean text: NFC, trimmed, single spaces, one sentence', (l) => {
    for (const {
      kind,
      id,
      label: { name, description },
    } of allLabels(l)) {
      for (const text of [name, description]) {
        expect(text, `${l} ${kind} ${id}`).toBe(text.normalize('NFC'));
        expect(text, `${l} ${kind} ${id}`).toBe(text.trim());
        expect(text, `${l} ${kind} ${id}`).not.toMatch(/\s{2}|\n/);
      }
      expect(name, `${l} ${kind} ${id}`).not.toMatch(/[.:]$/);
      expect(description, `${l} ${kind} ${id}`).toMatch(/\.$/);
      // One sentence: no full stop inside, except in abbreviations there are none of.
      expect(description.slice(0, -1), `${l} ${kind} ${id}`).not.toMatch(/\.\s/);
    }
  });

  it('writes Arabic and Persian in Arabic script, Ukrainian in Cyrillic, the rest in Latin', () => {
    for (const language of LANGUAGES) {
      for (const { kind, id, label: l } of allLabels(language)) {
        const text = `${l.name} ${l.description}`;
        const where = `${language} ${kind} ${id}`;
        if (language === 'ar' || language === 'fa') expect(text, where).toMatch(ARABIC_SCRIPT);
        else expect(text, where).not.toMatch(ARABIC_SCRIPT);
        if (language === 'uk') expect(text, where).toMatch(CYRILLIC);
        else expect(text, where).not.toMatch(CYRILLIC);
      }
    }
  });

  it('uses Persian letters in Persian and Arabic letters in Arabic', () => {
    const text = (language: Language) =>
      allLabels(language)
        .map(({ label: l }) => l.name + l.description)
        .join(' ');
    // Arabic yeh and kaf (U+064A, U+0643) versus Persian yeh and keheh (U+06CC, U+06A9).
    expect(text('fa')).not.toMatch(/[\u064A\u0643]/u);
    expect(text('fa')).toMatch(/[\u06CC\u06A9]/u);
    expect(text('ar')).not.toMatch(/[\u06CC\u06A9]/u);
    // Persian verb prefixes join with a zero-width non-joiner, never a space.
    expect(text('fa')).not.toMatch(/(?<!\p{L})می /u);
  });

  it('addresses the person formally', () => {
    const words = (language: Language) =>
      allLabels(language).map(({ label: l }) => `${l.name} ${l.description}`);
    for (const text of [...words('de'), ...words('de-x-ls')]) {
      expect(text).not.toMatch(/(?<!\p{L})(du|dich|dir|dein\p{L}*)(?!\p{L})/iu);
    }
    // The polite Ukrainian «Ви» is capitalised when it addresses one person.
    for (const text of words('uk')) {
      expect(text).not.toMatch(/(?<!\p{L})(ви|вас|вам|вами|ваш\p{L}*)(?!\p{L})/u);
    }
  });

  it('writes Leichte Sprache: short, no abbreviations, compounds split with a Mediopunkt', () => {
    for (const { kind, id, label: l } of allLabels('de-x-ls')) {
      const where = `de-x-ls ${kind} ${id}`;
      expect(l.description.split(' ').length, where).toBeLessThanOrEqual(20);
      // "z. B.", "bzw.", "Art." and the like: Leichte Sprache writes words out.
      expect(`${l.name} ${l.description}`, where).not.toMatch(
        /\p{L}\.\s*\p{L}|\b(bzw|usw|ggf|ca)\b/u,
      );
      // A hyphen only where the word is written so anyway (E-Mail).
      expect(
        `${l.name} ${l.description}`.replaceAll('E-Mail-', '').replaceAll('E-Mail', ''),
      ).not.toMatch(/-/);
    }
    expect(label('category', 'residence_status', 'de-x-ls').name).toBe('Aufenthalts·status');
    expect(label('agencyType', 'immigration_office', 'de-x-ls').name).toBe('Ausländer·behörde');
  });

  it('names the residence status in plain German with examples', () => {
    expect(label('category', 'residence_status', 'de')).toEqual({
      name: 'Aufenthalts-Status',
      description: 'Ihr Aufenthalts-Status (zum Beispiel Duldung oder Aufenthalts-Erlaubnis).',
    });
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(LABELS)).toBe(true);
    expect(Object.isFrozen(LABELS.de.category)).toBe(true);
    expect(Object.isFrozen(LABELS.fa.category.health)).toBe(true);
  });
});

describe('label', () => {
  it('returns the entry of LABELS', () => {
    expect(label('agencyType', 'jobcenter', 'en')).toBe(LABELS.en.agencyType.jobcenter);
    expect(label('purpose', 'case_management', 'tr')).toBe(LABELS.tr.purpose.case_management);
  });

  it('throws for an id outside the vocabulary', () => {
    expect(() => label('category', 'religion', 'de')).toThrow(/category "religion"/);
    expect(() => label('purpose', 'health', 'en')).toThrow(Error);
    expect(() => label('agencyType', 'school_office', 'ar')).toThrow(Error);
  });

  it('throws for names inherited from Object.prototype instead of returning them', () => {
    expect(() => label('category', 'toString', 'de')).toThrow(Error);
    expect(() => label('purpose', '__proto__', 'de')).toThrow(Error);
  });

  it('throws for a language it has no labels for', () => {
    expect(() => label('category', 'identity', 'fr' as Language)).toThrow(/language "fr"/);
  });
});

describe('isRightToLeft', () => {
  it.each([
    ['ar', true],
    ['fa', true],
    ['de', false],
    ['de-x-ls', false],
    ['en', false],
    ['uk', false],
    ['tr', false],
  ] as const)('%s → %s', (language, rtl) => {
    expect(isRightToLeft(language)).toBe(rtl);
  });
});
