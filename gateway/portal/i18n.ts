import { OFFICE_TIME_ZONE } from '../../core/index.ts';
import { LANGUAGES, isRightToLeft, type Language } from '../../policies/index.ts';
import { ar } from './messages/ar.ts';
import { deXLs } from './messages/de-x-ls.ts';
import { de, type Catalogue, type MessageKey } from './messages/de.ts';
import { en } from './messages/en.ts';
import { weightedList } from '../weighted-list.ts';
import { fa } from './messages/fa.ts';
import { tr } from './messages/tr.ts';
import { uk } from './messages/uk.ts';

export type { Catalogue, MessageKey };

/** One catalogue per portal language; German is the reference the others must match. */
export const CATALOGUES: Readonly<Record<Language, Catalogue>> = {
  de,
  'de-x-ls': deXLs,
  en,
  ar,
  uk,
  fa,
  tr,
};

/** The cookie that keeps the language a person chose with `?lang=` (set by the portal kit). */
export const LANGUAGE_COOKIE = 'cg_lang';

/** German is the language of the offices and the fallback when nothing else fits. */
export const DEFAULT_LANGUAGE: Language = 'de';

/**
 * BCP 47 locales for `Intl`. Dates use the Gregorian calendar everywhere, also in Farsi (whose
 * default would be the Solar Hijri one): the dates on the person's letters from German offices are
 * Gregorian, and the portal's must match them. Leichte Sprache is German and formats as German.
 */
const LOCALE: Readonly<Record<Language, string>> = {
  de: 'de-DE',
  'de-x-ls': 'de-DE',
  en: 'en-GB',
  ar: 'ar-u-ca-gregory',
  uk: 'uk-UA',
  fa: 'fa-IR-u-ca-gregory',
  tr: 'tr-TR',
};

/**
 * Leichte Sprache writes the month as a word ("15. Januar 2027 um 13:00"): a row of digits such as
 * 15.01.2027 is harder to read. The other languages keep the short form people know from letters.
 */
const MOMENT_DATE_STYLE: Readonly<Record<Language, 'medium' | 'long'>> = {
  de: 'medium',
  'de-x-ls': 'long',
  en: 'medium',
  ar: 'medium',
  uk: 'medium',
  fa: 'medium',
  tr: 'medium',
};

export const isLanguage = (value: string | undefined): value is Language =>
  value !== undefined && (LANGUAGES as readonly string[]).includes(value);

/** Text, direction and formats of one language, for one page. */
export interface Translator {
  readonly language: Language;
  readonly dir: 'ltr' | 'rtl';
  /** The text of `key`, with `{name}` placeholders filled from `values`. */
  t(key: MessageKey, values?: Readonly<Record<string, string | number>>): string;
  /**
   * A calendar date in the language's own format, e.g. `31. März 2027`: for the end of a
   * validity, which the consent notice states as a UTC date. Moments (granted, changed, sent) use
   * `dateTime`, in the offices' local time.
   */
  date(iso: string): string;
  /** A date and time of day, e.g. `31.03.2027, 14:05`. */
  dateTime(iso: string): string;
  /** Items joined as the language lists them (`A, B und C`; Arabic with `،` and `و`). */
  list(items: readonly string[]): string;
}

/** One per language: building `Intl` formatters costs more than rendering a page. */
const translators = new Map<Language, Translator>();

export function translator(language: Language): Translator {
  const known = translators.get(language);
  if (known !== undefined) return known;
  const made = makeTranslator(language);
  translators.set(language, made);
  return made;
}

function makeTranslator(language: Language): Translator {
  const catalogue = CATALOGUES[language];
  // Calendar dates (valid from, valid until) in UTC, as the consent notice states them, so the
  // page and the signed text never name different days for the same moment.
  const dateFormat = new Intl.DateTimeFormat(LOCALE[language], {
    dateStyle: 'long',
    timeZone: 'UTC',
  });
  const dateTimeFormat = new Intl.DateTimeFormat(LOCALE[language], {
    dateStyle: MOMENT_DATE_STYLE[language],
    timeStyle: 'short',
    timeZone: OFFICE_TIME_ZONE,
  });
  const listFormat = new Intl.ListFormat(LOCALE[language], { type: 'conjunction' });
  return {
    language,
    dir: isRightToLeft(language) ? 'rtl' : 'ltr',
    t(key, values) {
      const text = catalogue[key];
      if (values === undefined) return text;
      return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
        Object.hasOwn(values, name) ? String(values[name]) : whole,
      );
    },
    date: (iso) => dateFormat.format(new Date(iso)),
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    list: (items) => listFormat.format(items),
  };
}

/**
 * The language of a page: an explicit `?lang=` first, then the one the person chose before (a
 * cookie), then the browser's Accept-Language, then German. In Accept-Language a whole tag we
 * speak (`de-x-ls`) wins over its primary subtag (`de`); tags compare case-insensitively.
 */
export function negotiateLanguage(input: {
  readonly query?: string | undefined;
  readonly cookie?: string | undefined;
  readonly acceptLanguage?: string | undefined;
}): Language {
  if (isLanguage(input.query)) return input.query;
  if (isLanguage(input.cookie)) return input.cookie;
  for (const tag of acceptedLanguages(input.acceptLanguage ?? '')) {
    const whole = tag.toLowerCase();
    if (isLanguage(whole)) return whole;
    const primary = whole.split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}

/** Accept-Language tags by falling quality; at most 20 are looked at, so a huge header costs nothing. */
function acceptedLanguages(header: string): string[] {
  return weightedList(header, { maxChars: 512, maxItems: 20 })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.value);
}
