import { OFFICE_TIME_ZONE } from '../../core/index.ts';
import type { Count, Period } from '../../monitoring/index.ts';
import { negotiateLanguage } from '../portal/i18n.ts';
import { CATALOGUES, PAGE_LANGUAGES, type MessageKey, type PageLanguage } from './messages.ts';

/** Shown for a suppressed count or a statistic on fewer than five cases. */
export const SUPPRESSED = '•';

const LOCALE: Readonly<Record<PageLanguage, string>> = { de: 'de-DE', en: 'en-GB' };

export const isPageLanguage = (value: string | undefined): value is PageLanguage =>
  value !== undefined && (PAGE_LANGUAGES as readonly string[]).includes(value);

/** Text and number, date and period formats of one page language. */
export interface PageText {
  readonly language: PageLanguage;
  t(key: MessageKey, values?: Readonly<Record<string, string | number>>): string;
  /** A count as the language writes it (`1.234`, `1,234`), `•` where suppressed. */
  count(value: Count | undefined): string;
  /** A statistic to one decimal, `•` where null (fewer than five cases). */
  stat(value: number | null | undefined): string;
  /** `November 2026`, `4. Quartal 2026`, `2026`. */
  period(period: Pick<Period, 'kind' | 'key'>): string;
  /** A month's short name for a chart's axis: `Nov.`. */
  shortMonth(month: string): string;
  dateTime(iso: string): string;
}

const texts = new Map<PageLanguage, PageText>();

/** One per language: building `Intl` formatters costs more than rendering a page. */
export function pageText(language: PageLanguage): PageText {
  let made = texts.get(language);
  if (made === undefined) texts.set(language, (made = makePageText(language)));
  return made;
}

function makePageText(language: PageLanguage): PageText {
  const catalogue = CATALOGUES[language];
  const locale = LOCALE[language];
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  // Month keys are calendar months, so they are formatted at noon UTC of their first day, where no
  // time zone moves them into another month.
  const monthYear = new Intl.DateTimeFormat(locale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const monthShort = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' });
  const moment = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: OFFICE_TIME_ZONE,
  });
  const t: PageText['t'] = (key, values) => {
    const text = catalogue[key];
    if (values === undefined) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(values, name) ? String(values[name]) : whole,
    );
  };
  const firstOf = (month: string) => new Date(`${month}-01T12:00:00Z`);
  return {
    language,
    t,
    count: (value) => (value === null || value === undefined ? SUPPRESSED : integer.format(value)),
    stat: (value) => (value === null || value === undefined ? SUPPRESSED : decimal.format(value)),
    period(period) {
      if (period.kind === 'month') return monthYear.format(firstOf(period.key));
      if (period.kind === 'quarter') {
        const [year = '', quarter = ''] = period.key.split('-Q');
        return t('period.quarter', { quarter, year });
      }
      return period.key;
    },
    shortMonth: (month) => monthShort.format(firstOf(month)),
    dateTime: (iso) => moment.format(new Date(iso)),
  };
}

/** The page language: `?lang=de|en`, else the browser's Accept-Language, else German. */
export function pageLanguageOf(query: string | undefined, acceptLanguage: string | undefined) {
  if (isPageLanguage(query)) return query;
  // The portal's negotiation knows more languages; of those only German and English are offered.
  const negotiated = negotiateLanguage({ acceptLanguage: onlyOurs(acceptLanguage) });
  return isPageLanguage(negotiated) ? negotiated : 'de';
}

/** Accept-Language with every tag that is not German or English dropped, weights kept. */
function onlyOurs(header: string | undefined): string {
  return (header ?? '')
    .slice(0, 512)
    .split(',')
    .filter((part) => /^\s*(de|en)(-|;|\s*$)/i.test(part))
    .join(',');
}
