import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { constantTimeEqual, GatewayError, randomBytes, toBase64Url } from '../../core/index.ts';

/**
 * CSRF protection for the portal's forms: a random token in an HttpOnly, SameSite=Strict cookie
 * that each form repeats in a hidden field (double submit). A cross-site page can neither read the
 * cookie nor make the browser send it, and the Origin check refuses what a browser without
 * SameSite would let through. Sign-in is covered too, so nobody can sign a person into a session
 * of someone else's choosing.
 */
export interface CsrfGuard {
  /** The token for the forms on this page; sets the cookie when the browser has none yet. */
  token(c: Context): string;
  /** Throws 403 `forbidden` unless the form's token matches the cookie and the origin is ours. */
  check(c: Context, formToken: string | undefined): void;
  /** The same check, answered as a boolean for pages that show the refusal themselves. */
  valid(c: Context, formToken: string | undefined): boolean;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function csrfGuard(options: { https: boolean; origin: string }): CsrfGuard {
  const name = options.https ? '__Host-cg_csrf' : 'cg_csrf';
  // A page may ask for the token several times before its cookie exists: one per request.
  const minted = new WeakMap<Context, string>();
  const guard: CsrfGuard = {
    token(c) {
      const existing = getCookie(c, name);
      if (existing !== undefined && TOKEN.test(existing)) return existing;
      const already = minted.get(c);
      if (already !== undefined) return already;
      const token = toBase64Url(randomBytes(32));
      minted.set(c, token);
      setCookie(c, name, token, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: options.https,
        path: '/',
      });
      return token;
    },
    check(c, formToken) {
      // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` even for our own forms;
      // the token decides then. Any named origin other than ours is refused outright.
      const from = c.req.header('Origin');
      if (from !== undefined && from !== 'null' && from !== options.origin) {
        throw new GatewayError('forbidden', { detail: 'cross-origin form refused' });
      }
      const cookie = getCookie(c, name);
      if (
        cookie === undefined ||
        formToken === undefined ||
        !TOKEN.test(cookie) ||
        !constantTimeEqual(cookie, formToken)
      ) {
        throw new GatewayError('forbidden', {
          detail: 'the form is missing its CSRF token or it does not match',
          reasons: [{ code: 'csrf_token_invalid', message: 'reload the page and try again' }],
        });
      }
    },
    valid(c, formToken) {
      try {
        guard.check(c, formToken);
        return true;
      } catch {
        return false;
      }
    },
  };
  return guard;
}
