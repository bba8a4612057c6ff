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
