import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../core/index.ts';

/**
 * Whether a request body carries no fields: none, empty (also under `Content-Type:
 * application/json`) or `{}`. Many HTTP clients always send one of these; the contract treats them
 * alike. `jsonBody()` has already refused a non-empty body that is not JSON.
 */
export function hasNoFields(text: string): boolean {
  if (text.trim() === '') return true;
  const value: unknown = JSON.parse(text);
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
  );
}

/**
 * For a route that takes no fields: no body, an empty body and `{}` alike pass; anything else is
 * refused with `validation_failed`.
 *
 * @example
 * ```ts
 * app.openapi(revokeRoute, async (c) => {
 *   await assertNoFields(await c.req.text());
 *   …
 * });
 * ```
 */
export function assertNoFields(text: string): Promise<void> {
  if (hasNoFields(text)) return Promise.resolve();
  return Promise.reject(
    new GatewayError('validation_failed', {
      errors: [{ path: '', message: 'this route takes no fields: send no body or {}' }],
    }),
  );
}

/**
 * For a route whose JSON body is optional (its schema accepting `{}`): an empty body sent as
 * `application/json` reads as `{}`, where the validator would otherwise refuse it as malformed
 * JSON. Use it on the route's path before the route.
 */
export function emptyBodyAsNoFields(): MiddlewareHandler {
  return async function emptyBodyAsNoFields(c, next) {
    // Only a body declared as JSON reaches the validator; without a Content-Type the route's own
    // gate must keep seeing an empty body (a made-up `{}` would read as an undeclared one: 415).
    const declared = (c.req.header('Content-Type') ?? '') !== '';
    if (
      declared &&
      c.req.method !== 'GET' &&
      c.req.method !== 'HEAD' &&
      (await c.req.text()).trim() === ''
    ) {
      // Hono's validator parses the request's cached text, so from here on the body reads as `{}`.
      // The cache holds promises (Hono's declared type names the values); test/contract.test.ts
      // drives this through the app, so a Hono that caches otherwise fails there.
      (c.req.bodyCache as Record<string, unknown>)['text'] = Promise.resolve('{}');
    }
    await next();
  };
}
