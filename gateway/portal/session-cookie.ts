import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The portal's session cookie, shared by the JSON API and the pages. Over TLS it carries the
 * `__Host-` prefix, so no subdomain or plain-HTTP page can set or shadow it.
 */
export interface SessionCookie {
  read(c: Context): string | undefined;
  write(c: Context, token: string): void;
  clear(c: Context): void;
}

/** Session tokens are 43 characters of base64url; anything longer is not ours. */
const MAX_TOKEN_LENGTH = 64;

export function sessionCookie(https: boolean): SessionCookie {
  const name = https ? '__Host-cg_session' : 'cg_session';
  return {
    read(c) {
      const token = getCookie(c, name);
      return token === undefined || token.length > MAX_TOKEN_LENGTH ? undefined : token;
    },
    write(c, token) {
      setCookie(c, name, token, { httpOnly: true, sameSite: 'Strict', secure: https, path: '/' });
    },
    clear(c) {
      deleteCookie(c, name, { path: '/', secure: https });
    },
  };
}
