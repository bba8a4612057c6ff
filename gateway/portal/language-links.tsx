import type { FC } from 'hono/jsx';

/** A language offered in the switch: its tag and its name in itself (`Deutsch`, `English`). */
export interface LanguageLink {
  readonly language: string;
  readonly name: string;
}

/**
 * The switch's entries from a list of languages and the catalogues that name them.
 *
 * @example
 * ```ts
 * const LANGUAGE_LINKS = languageLinks(PAGE_LANGUAGES, CATALOGUES); // Deutsch, English
 * ```
 */
export function languageLinks<L extends string>(
  languages: readonly L[],
  catalogues: Readonly<Record<L, { readonly 'language.name': string }>>,
): readonly LanguageLink[] {
  return languages.map((language) => ({ language, name: catalogues[language]['language.name'] }));
}

/**
 * This page in each language, the current one marked: the switch of every portal and monitoring
 * page. `path` must already be one the page may link; `lang` is added to its query.
 */
export const LanguageLinks: FC<{
  /** The page's texts (the portal's or the monitoring pages'): its language and the nav's label. */
  text: { readonly language: string; t(key: 'site.languages'): string };
  path: string;
  languages: readonly LanguageLink[];
  /** The monitoring pages' wider column. */
  wide?: boolean | undefined;
}> = ({ text, path, languages, wide }) => (
  <nav class="languages" aria-label={text.t('site.languages')}>
    <ul class={wide === true ? 'wide' : undefined}>
      {languages.map(({ language, name }) => (
        <li>
          <a
            href={`${path}${path.includes('?') ? '&' : '?'}lang=${language}`}
            lang={language}
            hreflang={language}
            aria-current={language === text.language ? 'true' : undefined}
          >
            {name}
          </a>
        </li>
      ))}
    </ul>
  </nav>
);
