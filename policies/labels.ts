/**
 * Plain-language labels for the vocabulary (`../shared/API.md`, Vocabulary) in every portal
 * language, one file per language (`labels-<language>.ts`). The portal, the consent notice and the
 * person's history show these, never the ids.
 *
 * German follows "Einfache Sprache": short sentences, everyday words, long compounds split with a
 * hyphen; `de-x-ls` is Leichte Sprache, simpler still, compounds split with a Mediopunkt. The
 * other languages address the person formally (Sie, Ви, siz, شما, and the Arabic plural of
 * respect). Where a German office name or term appears on the letters a person gets
 * (Ausländerbehörde, Sozialamt, Bürgergeld), it stays next to the translation so they can match it.
 *
 * These strings end up inside consent notices whose SHA-256 hash is recorded: changing one changes
 * the text of every notice generated afterwards (notices already given keep their stored text).
 */
import { ar } from './labels-ar.ts';
import { deXLs } from './labels-de-x-ls.ts';
import { de } from './labels-de.ts';
import { en } from './labels-en.ts';
import { fa } from './labels-fa.ts';
import { tr } from './labels-tr.ts';
import { uk } from './labels-uk.ts';
import type { AgencyType } from './vocabulary.ts';
import type { DataCategory, Language, Purpose } from './vocabulary.ts';

/** What a label names: a purpose, a data category or an agency type. */
export type LabelKind = 'purpose' | 'category' | 'agencyType';

/** A short name and one sentence a person without legal or administrative knowledge understands. */
export interface Label {
  readonly name: string;
  readonly description: string;
}

/** The labels of one language; every id of the vocabulary must be present. */
export interface LanguageLabels {
  readonly purpose: Readonly<Record<Purpose, Label>>;
  readonly category: Readonly<Record<DataCategory, Label>>;
  readonly agencyType: Readonly<Record<AgencyType, Label>>;
}

/** Freezes the table all the way down, so no caller can alter what later notices will say. */
function frozen<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null) frozen(inner as object);
  }
  return Object.freeze(value);
}

/**
 * Every label in every portal language. The `satisfies` on each language and this annotation
 * make a missing language, kind or id a compile error.
 */
export const LABELS: Readonly<Record<Language, LanguageLabels>> = frozen({
  de,
  'de-x-ls': deXLs,
  en,
  ar,
  uk,
  fa,
  tr,
});

/**
 * The label of one vocabulary id in one language.
 *
 * @throws Error when the language or id is not in the vocabulary: callers pass validated ids, so
 *   an unknown one is a programming error, not a user's mistake.
 * @example label('category', 'residence_status', 'de').name // 'Aufenthalts-Status'
 */
export function label(kind: LabelKind, id: string, language: Language): Label {
  if (!Object.hasOwn(LABELS, language)) throw new Error(`no labels for language "${language}"`);
  const table: Readonly<Record<string, Label>> = LABELS[language][kind];
  const found = Object.hasOwn(table, id) ? table[id] : undefined;
  if (found === undefined) throw new Error(`no ${kind} "${id}" in the vocabulary`);
  return found;
}

const DIRECTION: Readonly<Record<Language, 'ltr' | 'rtl'>> = {
  de: 'ltr',
  'de-x-ls': 'ltr',
  en: 'ltr',
  ar: 'rtl',
  uk: 'ltr',
  fa: 'rtl',
  tr: 'ltr',
};

/** Whether a language is written right to left (`ar`, `fa`), for `dir="rtl"` in the portal. */
export function isRightToLeft(language: Language): boolean {
  return DIRECTION[language] === 'rtl';
}
