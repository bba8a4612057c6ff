import type { GatewayApp } from '../../gateway/app.ts';

/**
 * The person's side of a consent request through the portal JSON API: sign in with the code and
 * the birth date, grant. Answers the consent id and the session cookie for further calls.
 */
export async function personGrants(
  app: GatewayApp,
  request: { id: string; code: string },
  secondFactor = '1990-01-31',
): Promise<{ consentId: string; cookie: string; receipt: string }> {
  const session = await app.request('/v1/portal/session', {
    method: 'POST',
    body: JSON.stringify({ code: request.code, secondFactor }),
    headers: { 'Content-Type': 'application/json' },
  });
  if (session.status !== 201) throw new Error(`sign-in answered ${session.status}`);
  const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  const granted = await app.request(`/v1/portal/requests/${request.id}/grant`, {
    method: 'POST',
    headers: { Cookie: cookie },
  });
  if (granted.status !== 200) throw new Error(`grant answered ${granted.status}`);
  const body = (await granted.json()) as { consent: { id: string }; receipt: string };
  return { consentId: body.consent.id, cookie, receipt: body.receipt };
}

/**
 * A program acting as the person through the portal JSON API: keeps the session cookie (only it:
 * pages also set the CSRF cookie, which must not replace it), sends JSON bodies.
 */
export function portalClient(app: GatewayApp) {
  let cookie = '';
  const call = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set('Cookie', cookie);
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    const res = await app.request(path, { ...init, headers });
    const set = res.headers.getSetCookie().find((line) => line.startsWith('cg_session='));
    if (set) cookie = set.split(';')[0] ?? '';
    return res;
  };
  /** Signs in with `{ code, secondFactor }` or `{ withdrawalCode }`. */
  const session = (body: Record<string, string>) =>
    call('/v1/portal/session', { method: 'POST', body: JSON.stringify(body) });
  return {
    call,
    session,
    signIn: (code: string, secondFactor = '1990-01-31') => session({ code, secondFactor }),
  };
}
