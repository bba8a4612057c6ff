import { CompactSign } from 'jose';
import type { TestPrincipal } from './pki.ts';
import type { KoelnWorld } from './world.ts';
import { residenceStatusRequest } from './person.ts';

/** A person as agencies name them: scheme and value. */
export interface Subject {
  readonly scheme: string;
  readonly value: string;
}

/**
 * The usual Köln request: the immigration office may tell the Jobcenter residence status and
 * employment permission, for labour-market integration; birth date 1990-01-31 as second factor.
 * Answers the request id and the code the person signs in with.
 */
export async function askConsent(
  world: KoelnWorld,
  requester: TestPrincipal,
  subject: Subject,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; code: string }> {
  const res = await world.as(requester, '/v1/consent-requests', {
    method: 'POST',
    body: consentRequestBody(subject, overrides),
  });
  if (res.status !== 201) throw new Error(`consent request answered ${res.status}`);
  return (await res.json()) as { id: string; code: string };
}

/** `message` as its sender signs it for the gateway: a compact JWS (ES256) over its JSON. */
export function signedBy(by: TestPrincipal, message: unknown): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(message)))
    .setProtectedHeader({ alg: 'ES256' })
    .sign(by.privateKey);
}

/** What the immigration office tells the Jobcenter by default: a Duldung, employment allowed. */
export const RESIDENCE_NOTICE = {
  residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
  employmentPermission: { allowed: true },
};

/**
 * The `POST /v1/exchanges` body of a residence status notice to the Jobcenter about `subject`;
 * `payload` is the sender's signed message, or whatever a refusal test sends instead.
 */
export function noticeBody(subject: Subject, payload: string): string {
  return JSON.stringify({
    recipient: 'jc-koeln',
    subject,
    purpose: 'labour_market_integration',
    messageType: 'residence_status.notice',
    payload,
  });
}

/** A residence status notice from `by` to the Jobcenter about `subject`, through the API. */
export async function sendNotice(
  world: KoelnWorld,
  by: TestPrincipal,
  subject: Subject,
  message: unknown = RESIDENCE_NOTICE,
): Promise<Response> {
  return world.as(by, '/v1/exchanges', {
    method: 'POST',
    body: noticeBody(subject, await signedBy(by, message)),
  });
}

/**
 * The Köln Jobcenter's usual request (from the immigration office to the Jobcenter, for labour
 * market integration, residence status and employment permission, birth date 1990-01-31), as
 * JSON: {@link residenceStatusRequest} with the employment permission too; `overrides` replace
 * its fields.
 */
export function consentRequestBody(
  subject: Subject,
  overrides: Record<string, unknown> = {},
): string {
  return residenceStatusRequest(subject, {
    categories: ['residence_status', 'employment_permission'],
    validUntil: '2027-06-01T00:00:00Z',
    ...overrides,
  });
}
