import type { Context, ErrorHandler, Hono, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { GatewayError, isGatewayError, type ErrorCode } from '../core/index.ts';
import type { GatewayEnv } from './env.ts';
import { prefersHtml, problemPage } from './portal/problem-page.tsx';
import { problemResponse } from './problem.ts';

/** Hono's own exceptions (from its validators and middleware) mapped onto our stable codes. */
const codeForStatus: Partial<Record<number, ErrorCode>> = {
  400: 'malformed_json',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * A refusal in the form the client asked for: a page in the person's language for a browser
 * (`Accept` prefers `text/html`), problem+json for everyone else, with the same status and
 * headers either way. A page that cannot be rendered falls back to problem+json: the answer to
 * an error must not fail itself.
 */
export async function refusal(c: Context, error: GatewayError): Promise<Response> {
  if (!prefersHtml(c.req.header('Accept'))) return problemResponse(c, error);
  try {
    return await problemPage(c, error);
  } catch (failure) {
    const log = (c.var as Partial<GatewayEnv['Variables']>).log;
    log?.error(
      { errorType: errorTypeOf(failure), stack: stackFrames(failure) },
      'error page failed',
    );
    return problemResponse(c, error);
  }
}

/**
 * Renders every error as problem+json (a page for a browser, see `refusal`). Anything that is not a deliberate refusal is a 500 with the
 * request id and nothing else: no message, no stack, no hint of internals. The log gets the error's
 * type and stack frames but not its message, which may quote request data.
 */
export const onError: ErrorHandler<GatewayEnv> = (error, c) => {
  if (isGatewayError(error)) {
    if (error.status < 500) return refusal(c, error);
    // A server-side failure says nothing about our internals to the caller; the log keeps the
    // detail (details never carry payload, identifiers or secrets).
    c.var.log.error({ code: error.code, detail: error.detail }, 'server error');
    return refusal(c, new GatewayError(error.code, { status: error.status }));
  }
  if (error instanceof HTTPException) {
    const code = codeForStatus[error.status];
    if (code) return refusal(c, new GatewayError(code, { status: error.status }));
  }
  // A client that hung up mid-body: its own doing, and nobody is left to read an answer.
  if (c.req.raw.signal.aborted) {
    c.var.log.info({ errorType: errorTypeOf(error) }, 'client closed the request');
    return c.body(null, 499 as 400);
  }
  reportUnexpected(c, error);
  return refusal(c, new GatewayError('internal_error'));
};

/** Logs an error nobody planned for: its type and stack frames, never its message. */
export function reportUnexpected(c: Context<GatewayEnv>, error: unknown): void {
  c.var.log.error({ errorType: errorTypeOf(error), stack: stackFrames(error) }, 'unexpected error');
}

/**
 * Unknown paths: 404, as a page for a browser. Two addresses people type are sent on instead: the
 * site's root, for a browser, to the portal (API clients keep their 404), and `/portal/` to
 * `/portal`, the portal's one address.
 */
export const onNotFound: NotFoundHandler<GatewayEnv> = (c) => {
  const reading = c.req.method === 'GET' || c.req.method === 'HEAD';
  const query = new URL(c.req.url).search;
  if (reading && c.req.path === '/portal/') return c.redirect(`/portal${query}`, 301);
  if (reading && c.req.path === '/' && prefersHtml(c.req.header('Accept'))) {
    return c.redirect(`/portal${query}`, 303);
  }
  return refusal(c, new GatewayError('not_found', { detail: 'no such resource' }));
};

/** Paths that already answer a wrong method, per app, so a second call adds nothing twice. */
const answering = new WeakMap<object, Set<string>>();

/**
 * Makes each of `paths` (by default every path with a route so far) answer a method it has no
 * route for with 405 `method_not_allowed` and an `Allow` header naming the methods it has
 * (RFC 9110 §15.5.6), instead of the 404 Hono gives a known path under a wrong method. Call it
 * after the paths' routes are registered; middleware registered for the paths (authentication,
 * limits) still runs first. Calling it again for a path changes nothing.
 *
 * @example
 * ```ts
 * app.openapi(sendRoute, handler);
 * answerWrongMethods(app, ['/v1/exchanges']); // DELETE /v1/exchanges → 405, Allow: POST
 * ```
 */
export function answerWrongMethods<E extends GatewayEnv>(
  app: Hono<E>,
  paths: readonly string[] = [
    ...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => r.path)),
  ].filter((path) => !path.includes('*')),
): void {
  const done = answering.get(app) ?? new Set<string>();
  answering.set(app, done);
  for (const path of paths) {
    if (done.has(path)) continue;
    const methods = new Set(
      app.routes.filter((r) => r.path === path && r.method !== 'ALL').map((r) => r.method),
    );
    if (methods.size === 0) throw new Error(`answerWrongMethods: no route for ${path} yet`);
    if (methods.has('GET')) methods.add('HEAD');
    const allow = [...methods].sort().join(', ');
    app.all(path, async function methodNotAllowed(c) {
      const res = await refusal(
        c,
        new GatewayError('method_not_allowed', { detail: `this resource answers ${allow}` }),
      );
      res.headers.set('Allow', allow);
      return res;
    });
    done.add(path);
  }
}

function errorTypeOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function stackFrames(error: unknown): string[] {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return [];
  return error.stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .map((line) => line.trim());
}
