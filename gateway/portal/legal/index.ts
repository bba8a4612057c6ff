import type { Language } from '../../../policies/index.ts';
import { ar } from './ar.ts';
import { de } from './de.ts';
import { deXLs } from './de-x-ls.ts';
import { en } from './en.ts';
import { fa } from './fa.ts';
import type { LegalTexts } from './texts.ts';
import { tr } from './tr.ts';
import { uk } from './uk.ts';

export { fill } from './texts.ts';
export type { LegalTexts } from './texts.ts';

/**
 * The official pages' texts, one module per portal language. A language added to `LANGUAGES`
 * fails the type check here until its module (`<language>.ts`, typed `LegalTexts`) is added.
 */
export const LEGAL_TEXTS: Readonly<Record<Language, LegalTexts>> = {
  de,
  'de-x-ls': deXLs,
  en,
  ar,
  uk,
  fa,
  tr,
};

/** Where the official pages live; the footer of every portal page links to all four. */
export const LEGAL_PATHS = {
  impressum: '/portal/impressum',
  privacy: '/portal/privacy',
  accessibility: '/portal/accessibility',
  help: '/portal/help',
} as const;
export type LegalPage = keyof typeof LEGAL_PATHS;

/**
 * When the accessibility statement was made (BITV 2.0 asks for its date). Change it whenever the
 * statement's assessment or its list of known limits changes.
 */
export const ACCESSIBILITY_STATEMENT_DATE = '2026-12-05';
