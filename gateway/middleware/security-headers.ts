import type { MiddlewareHandler } from 'hono';

/**
 * The one Content-Security-Policy of the gateway: nothing inline, nothing from elsewhere. Pages
 * (the API reference now, the portal later) load scripts and styles from the gateway only.
 * `img-src data:` is for the SVG icons the API reference embeds.
 */
export const contentSecurityPolicy = policyWith([]);

/** The policy, with `form-action` widened to origins a form may lead to (the eID provider). */
function policyWith(formOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    ["form-action 'self'", ...formOrigins].join(' '),
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface SecurityHeadersOptions {
  /** Sends HSTS when the gateway is reached over TLS. */
  readonly https: boolean;
  /**
   * Origins a form may lead to besides the gateway: browsers apply `form-action` to a form's
   * redirects too, so the ID-card button's redirect to the provider needs the provider named.
   */
  readonly formOrigins?: readonly string[];
}

/**
 * Hardening headers on every answer, errors included. Answers are `no-store` unless a handler
 * chose a cache policy itself (static assets of the API reference): API answers carry personal
 * data and must not linger in caches.
 */
export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler {
  const policy = policyWith(options.formOrigins ?? []);
  return async function securityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Content-Security-Policy', policy);
    headers.set('X-Frame-Options', 'DENY');
    headers.set('Referrer-Policy', 'no-referrer');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (options.https) headers.set('Strict-Transport-Security', 'max-age=31536000');
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  };
}
