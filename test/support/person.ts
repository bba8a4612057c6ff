import { expect } from 'vitest';
import type { GatewayApp } from '../../gateway/app.ts';

/**
 * What an office sends to ask the person behind `subject` to let the Ausländerbehörde tell the
 * Jobcenter the residence status; `overrides` replace single fields.
 */
export function residenceStatusRequest(
  subject: { scheme: string; value: string },
  overrides: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    subject,
    senders: ['abh-koeln'],
    recipients: ['jc-koeln'],
    purpose: 'labour_market_integration',
    categories: ['residence_status'],
    validUntil: '2027-11-25T00:00:00Z',
    language: 'de',
    secondFactor: { type: 'birthDate', value: '1990-01-31' },
    ...overrides,
  });
}

/**
 * The person signs in to the portal JSON API with a consent request's code and the birth date.
 * Answers the session cookie; throws unless the sign-in answered 201.
 */
export async function personSignsIn(
  app: GatewayApp,
  code: string,
  secondFactor = '1990-01-31',
): Promise<string> {
  const session = await app.request('/v1/portal/session', {
    method: 'POST',
    body: JSON.stringify({ code, secondFactor }),
    headers: { 'Content-Type': 'application/json' },
  });
  if (session.status !== 201) throw new Error(`sign-in answered ${session.status}`);
  return (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
}

/**
 * The person's side of a consent request through the portal JSON API: sign in with the code and
 * the birth date, grant. Answers the consent id and the session cookie for further calls.
 */
export async function personGrants(
  app: GatewayApp,
  request: { id: string; code: string },
  secondFactor = '1990-01-31',
): Promise<{ consentId: string; cookie: string; receipt: string }> {
  const cookie = await personSignsIn(app, request.code, secondFactor);
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

/** `person` signs in with the request's code and declines it; expects 204. */
export async function declineAs(
  person: ReturnType<typeof portalClient>,
  request: { readonly id: string; readonly code: string },
): Promise<void> {
  await person.signIn(request.code);
  expect(
    (await person.call(`/v1/portal/requests/${request.id}/decline`, { method: 'POST' })).status,
  ).toBe(204);
}
