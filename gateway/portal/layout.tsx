import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';
import { LANGUAGES } from '../../policies/index.ts';
import { CATALOGUES, type Translator } from './i18n.ts';
import { LanguageLinks, languageLinks } from './language-links.tsx';
import { LEGAL_PATHS, LEGAL_TEXTS, type LegalPage } from './legal/index.ts';

export interface PageFrame {
  readonly tr: Translator;
  /** The page's own heading, also the first part of `<title>`. */
  readonly title: string;
  /**
   * Path of this page, with any query to keep, for the language links. Anything but a plain
   * same-site path (`/…`, not `//…` nor `/\…`, no whitespace or control characters, which
   * browsers drop from URLs) is replaced by `/portal`.
   */
  readonly path: string;
  /** Shown with the main menu and a sign-out form when the person is signed in. */
  readonly csrf?: string | undefined;
  /** An identity-verified session: the menu offers the person's own data report. */
  readonly personWide?: boolean | undefined;
  /** A portal path to go on to at once (a same-site step after a cross-site redirect). */
  readonly refreshTo?: string | undefined;
  /**
   * The municipality whose site the portal is, named in the header and the title; absent where
   * a page must not read storage (the overload page) or the gateway has no tenant yet.
   */
  readonly site?: { readonly name: string } | undefined;
}

const LEGAL_PAGES: readonly LegalPage[] = ['impressum', 'privacy', 'accessibility', 'help'];

const LANGUAGE_LINKS = languageLinks(LANGUAGES, CATALOGUES);

// A browser reads `//host` and `/\host` as another site, and strips tabs and newlines from a URL
// before it does: `/\t/host` is `//host` too.
const SAME_SITE_PATH = /^\/(?![/\\])[^\\\s\p{Cc}]*$/u;

/**
 * The path as the frame may link it, or `/portal` when it could lead anywhere else.
 *
 * @example
 * ```ts
 * sameSitePath('/portal/help?x=1'); // '/portal/help?x=1'
 * sameSitePath('//evil.example'); // '/portal'
 * ```
 */
export function sameSitePath(path: string): string {
  return SAME_SITE_PATH.test(path) ? path : '/portal';
}

/**
 * The frame of every portal page: language and direction on `<html>`, a skip link, the site
 * header with the municipality's name and the main menu, a language switch on every page, one
 * `<main>`, and a footer linking the Impressum, privacy and accessibility statements and help
 * (an official site must reach them from every page). No script anywhere: the portal works
 * without JavaScript and the CSP forbids inline code.
 */
export const Layout: FC<PageFrame & { children?: Child }> = ({
  tr,
  title,
  path: given,
  csrf,
  personWide,
  refreshTo,
  site,
  children,
}) => {
  const path = sameSitePath(given);
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={tr.language} dir={tr.dir}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          {refreshTo === undefined ? null : (
            <meta http-equiv="refresh" content={`0; url=${refreshTo}`} />
          )}
          <title>
            {`${title} – ${tr.t('site.name')}${site === undefined ? '' : ` – ${site.name}`}`}
          </title>
          <link rel="stylesheet" href="/portal/assets/portal.css" />
          <link rel="icon" href="/portal/assets/favicon.svg" type="image/svg+xml" />
        </head>
        <body>
          <a class="skip" href="#main">
            {tr.t('site.skip')}
          </a>
          <header class="site">
            <div class="bar">
              <a class="brand" href="/portal">
                {site === undefined ? null : (
                  <>
                    <span class="municipality" lang="de" dir="auto">
                      {site.name}
                    </span>{' '}
                  </>
                )}
                <span class="portal">{tr.t('site.name')}</span>
              </a>
              {csrf === undefined ? null : (
                <MainMenu tr={tr} path={path} csrf={csrf} personWide={personWide === true} />
              )}
            </div>
          </header>
          <LanguageLinks text={tr} path={path} languages={LANGUAGE_LINKS} />
          <main id="main" tabindex={-1}>
            {children}
          </main>
          <footer class="site">
            <LegalLinks tr={tr} path={path} />
            <p>{tr.t('site.footer')}</p>
          </footer>
        </body>
      </html>
    </>
  );
};

/** The signed-in person's menu and sign-out form, the current page marked. */
const MainMenu: FC<{ tr: Translator; path: string; csrf: string; personWide: boolean }> = ({
  tr,
  path,
  csrf,
  personWide,
}) => (
  <nav class="main" aria-label={tr.t('nav.label')}>
    <ul>
      <li>
        <a href="/portal/consents" aria-current={path === '/portal/consents' ? 'page' : undefined}>
          {tr.t('nav.consents')}
        </a>
      </li>
      <li>
        <a href="/portal/history" aria-current={path === '/portal/history' ? 'page' : undefined}>
          {tr.t('nav.history')}
        </a>
      </li>
      {personWide ? (
        <li>
          <a href="/v1/portal/report" download="access-report.json">
            {tr.t('nav.report')}
          </a>
        </li>
      ) : null}
      <li>
        <form method="post" action="/portal/sign-out">
          <input type="hidden" name="csrf" value={csrf} />
          <button type="submit">{tr.t('nav.signOut')}</button>
        </form>
      </li>
    </ul>
  </nav>
);

/** The footer's links to the official pages, the current one marked. */
const LegalLinks: FC<{ tr: Translator; path: string }> = ({ tr, path }) => {
  const links = LEGAL_TEXTS[tr.language].links;
  const current = path.split('?')[0];
  return (
    <nav class="legal" aria-label={links.label}>
      <ul>
        {LEGAL_PAGES.map((page) => (
          <li>
            <a
              href={LEGAL_PATHS[page]}
              aria-current={current === LEGAL_PATHS[page] ? 'page' : undefined}
            >
              {links[page]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
};

/** A status line the person should notice: after an action, or what went wrong. */
export const Message: FC<{ kind: 'info' | 'success' | 'error'; children?: Child }> = ({
  kind,
  children,
}) => (
  <div class={`message ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
    <p>{children}</p>
  </div>
);

/** The hidden CSRF field every form carries. */
export const CsrfField: FC<{ token: string }> = ({ token }) => (
  <input type="hidden" name="csrf" value={token} />
);
