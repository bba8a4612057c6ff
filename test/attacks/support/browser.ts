import type { GatewayApp } from '../../../gateway/app.ts';
import { formBrowser } from '../../support/form-browser.ts';
import { AUD, BIRTH } from './world.ts';

/** The session cookie's name on plain HTTP, as the test gateway runs. */
export const SESSION = 'cg_session';

/** A form browser of our origin, plus raw posts that bend the Origin and the cookies sent. */
export function portalBrowser(app: GatewayApp) {
  const b = formBrowser(app, AUD);
  const cookieHeader = (jar: Map<string, string>) =>
    [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    ...b,
    signIn: (code: string) => b.signIn(code, BIRTH),
    /** The CSRF token of the forms on `path`. */
    async tokenOn(path: string) {
      return b.csrfOf(await (await b.get(path)).text());
    },
    /** A form post with this browser's cookies (changed by `cookies`) from `origin`. */
    async postAs(
      path: string,
      fields: Record<string, string>,
      options: { origin?: string | null; cookies?: Record<string, string> } = {},
    ) {
      const jar = new Map(b.jar);
      for (const [k, v] of Object.entries(options.cookies ?? {})) jar.set(k, v);
      const headers: Record<string, string> = {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: cookieHeader(jar),
      };
      const origin = options.origin === undefined ? AUD : options.origin;
      if (origin !== null) headers['Origin'] = origin;
      return app.request(path, { method: 'POST', headers, body: new URLSearchParams(fields) });
    },
  };
}
