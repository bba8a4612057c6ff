import type { GatewayApp } from '../../gateway/app.ts';

/**
 * A browser without JavaScript, in process: a cookie jar, GETs and form posts, redirects not
 * followed. `origin` is the Origin header its forms send (null: none, as some browsers do).
 */
export function formBrowser(app: GatewayApp, origin: string | null) {
  const jar = new Map<string, string>();
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await app.request(path, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (/Max-Age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return {
    jar,
    get: (path: string, headers: Record<string, string> = {}) => request(path, { headers }),
    async post(path: string, fields: Record<string, string>) {
      const headers: Record<string, string> = {
        'Content-Type': 'application/x-www-form-urlencoded',
      };
      if (origin !== null) headers['Origin'] = origin;
      return request(path, { method: 'POST', headers, body: new URLSearchParams(fields) });
    },
    csrfOf,
    /**
     * Signs in on the page, as from the letter's link: the code pre-filled, the birth date
     * (`YYYY-MM-DD`) typed into its day, month and year fields.
     */
    async signIn(code: string, birthDate = '1990-01-31') {
      const page = await (await request(`/portal/sign-in?code=${code}`)).text();
      const [birthYear = '', birthMonth = '', birthDay = ''] = birthDate.split('-');
      return this.post('/portal/sign-in', {
        csrf: csrfOf(page),
        code,
        birthDay,
        birthMonth,
        birthYear,
      });
    },
  };
}
