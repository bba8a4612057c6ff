import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { GatewayError } from '../../core/index.ts';
import { LANGUAGE_COOKIE, negotiateLanguage, translator, type Translator } from './i18n.ts';
import type { MessageKey } from './messages/de.ts';
import { ErrorPage } from './pages/error.tsx';
import { weightedList } from '../weighted-list.ts';

/** Media types that mean "a page for a person"; `*\/*` alone never does (API clients send it). */
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const JSON_TYPES = new Set(['application/json', 'application/problem+json', 'application/*']);

/**
 * Whether a request would rather have a page than problem+json: `Accept` names `text/html` (or
 * XHTML) with a weight above every JSON type, or equal and listed first. Browsers navigating send
 * `text/html,…,*\/*;q=0.8`; API clients send `application/json`, `*\/*` or nothing, and keep
 * problem+json exactly as the API contract describes it.
 *
 * @example
 * ```ts
 * prefersHtml('text/html,application/xhtml+xml,*\/*;q=0.8'); // true
 * prefersHtml('application/json'); // false
 * ```
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let html = { q: 0, at: Infinity };
  let json = { q: 0, at: Infinity };
  for (const { value, q, index } of weightedList(accept, { maxChars: 1024, maxItems: 32 })) {
    if (HTML_TYPES.has(value) && q > html.q) html = { q, at: index };
    if (isJson(value) && q > json.q) json = { q, at: index };
  }
  return html.q > 0 && (html.q > json.q || (html.q === json.q && html.at < json.at));
}

/** JSON in any of its media types, also the structured-syntax ones (`application/vnd.x+json`). */
const isJson = (type: string) => JSON_TYPES.has(type) || /^application\/[\w.+-]+\+json$/.test(type);

/** The words for a refusal by status: a person learns what to do, never what went wrong inside. */
function wordsFor({ code, status }: GatewayError): { title: MessageKey; text: MessageKey } {
  // Not a busy portal but a closed one: "wait a moment" would send people back in vain.
  if (code === 'portal_not_ready') return { title: 'error.title', text: 'error.generic' };
  if (status === 404) return { title: 'error.notFoundTitle', text: 'error.notFoundHelp' };
  if (status === 405) return { title: 'error.title', text: 'error.methodNotAllowed' };
  if (status === 401 || status === 403) return { title: 'error.title', text: 'error.forbidden' };
  if (status === 429) return { title: 'error.title', text: 'error.rateLimited' };
  if (status === 503) return { title: 'error.title', text: 'error.overloaded' };
  if (status >= 500) return { title: 'error.title', text: 'error.generic' };
  return { title: 'error.title', text: 'error.badRequest' };
}

/** The language a request asks for: `?lang=`, then the portal's cookie, then the browser's. */
export function requestTranslator(c: Context): Translator {
  return translator(
    negotiateLanguage({
      query: c.req.query('lang'),
      cookie: getCookie(c, LANGUAGE_COOKIE),
      acceptLanguage: c.req.header('Accept-Language'),
    }),
  );
}

/**
 * A refusal as a portal page for a browser: same status, `Retry-After` and `WWW-Authenticate`
 * as the problem+json would carry, words in the person's language, the request id to quote, and
 * a link to the portal's start. Detail never shows: it is for API clients and the log. The
 * language links lead to the portal's start, not to the path asked for: that path is whatever the
 * client sent (`//evil.example` would make them links off-site).
 */
export async function problemPage(c: Context, error: GatewayError): Promise<Response> {
  const tr = requestTranslator(c);
  const words = wordsFor(error);
  const requestId: unknown = c.get('requestId');
  const html = await c.html(
    <ErrorPage
      frame={{ tr, title: tr.t(words.title), path: '/portal' }}
      heading={tr.t(words.title)}
      text={tr.t(words.text)}
      requestId={typeof requestId === 'string' ? requestId : 'unknown'}
    />,
    error.status as 400,
  );
  if (error.status === 401) html.headers.set('WWW-Authenticate', 'Bearer realm="consent-gateway"');
  if (error.retryAfter !== undefined) html.headers.set('Retry-After', String(error.retryAfter));
  return html;
}
