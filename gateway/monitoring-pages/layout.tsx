import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';
import type { PageText } from './i18n.ts';
import { LEGAL_PATHS, LEGAL_TEXTS, type LegalPage } from '../portal/legal/index.ts';
import { LanguageLinks, languageLinks } from '../portal/language-links.tsx';
import { CATALOGUES, PAGE_LANGUAGES } from './messages.ts';

const LANGUAGE_LINKS = languageLinks(PAGE_LANGUAGES, CATALOGUES);

/** The signed-in menu: the two views and sign-out. */
export interface MonitoringNav {
  readonly csrf: string;
  /** The programme the tenant takes part in, if any: the menu then offers its view. */
  readonly programme: string | undefined;
  readonly current: 'tenant' | 'programme';
  /** The period shown, carried over when switching views. */
  readonly period: string;
}

export interface MonitoringFrame {
  readonly text: PageText;
  readonly title: string;
  /** This page's path with the query to keep (not `lang`), for the language links. */
  readonly path: string;
  readonly nav?: MonitoringNav | undefined;
}

/** A link within the monitoring pages in the page's language. */
export const hrefIn = (text: PageText, path: string, query: Record<string, string> = {}) => {
  const params = new URLSearchParams({ ...query, lang: text.language });
  return `${path}?${params.toString()}`;
};

/**
 * The frame of every monitoring page, on the portal's stylesheet and look: language on `<html>`,
 * a skip link, the header with the menu, a language switch, one `<main>`, a footer. No script.
 */
export const MonitoringLayout: FC<MonitoringFrame & { children?: Child }> = ({
  text,
  title,
  path,
  nav,
  children,
}) => (
  <>
    {raw('<!doctype html>')}
    <html lang={text.language} dir="ltr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} – ${text.t('site.name')}`}</title>
        <link rel="stylesheet" href="/monitoring/assets/monitoring.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          {text.t('site.skip')}
        </a>
        <header class="site">
          <div class="bar wide">
            <a class="brand" href={hrefIn(text, '/monitoring')}>
              {text.t('site.name')}
            </a>
            {nav === undefined ? null : <Menu text={text} nav={nav} />}
          </div>
        </header>
        <LanguageLinks text={text} path={path} languages={LANGUAGE_LINKS} wide />
        <main id="main" class="wide" tabindex={-1}>
          {children}
        </main>
        <footer class="site">
          <OfficialPages text={text} />
          <p class="wide">{text.t('site.footer')}</p>
        </footer>
      </body>
    </html>
  </>
);

const Menu: FC<{ text: PageText; nav: MonitoringNav }> = ({ text, nav }) => (
  <nav class="main" aria-label={text.t('site.nav')}>
    <ul>
      <li>
        <a
          href={hrefIn(text, '/monitoring', { period: nav.period })}
          aria-current={nav.current === 'tenant' ? 'page' : undefined}
        >
          {text.t('nav.tenant')}
        </a>
      </li>
      {nav.programme === undefined ? null : (
        <li>
          <a
            href={hrefIn(text, '/monitoring/programme', { period: nav.period })}
            aria-current={nav.current === 'programme' ? 'page' : undefined}
          >
            {text.t('nav.programme')}
          </a>
        </li>
      )}
      <li>
        <form method="post" action="/monitoring/sign-out">
          <input type="hidden" name="csrf" value={nav.csrf} />
          <input type="hidden" name="lang" value={text.language} />
          <button type="submit">{text.t('nav.signOut')}</button>
        </form>
      </li>
    </ul>
  </nav>
);

/** A status line to notice: after an action, or what went wrong. */
export const Notice: FC<{ kind: 'info' | 'error'; children?: Child }> = ({ kind, children }) => (
  <div class={`message ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
    <p>{children}</p>
  </div>
);

const OFFICIAL_PAGES = Object.keys(LEGAL_PATHS) as LegalPage[];

/**
 * The municipality's Impressum, privacy and accessibility statements and help: the portal's pages
 * (their texts cover the site as a whole), in this page's language.
 */
const OfficialPages: FC<{ text: PageText }> = ({ text }) => {
  const links = LEGAL_TEXTS[text.language].links;
  return (
    <nav class="legal" aria-label={links.label}>
      <ul class="wide">
        {OFFICIAL_PAGES.map((page) => (
          <li>
            <a href={`${LEGAL_PATHS[page]}?lang=${text.language}`}>{links[page]}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
};
