import { expect } from 'vitest';
import { decideConsent, type ConsentDecision } from '../../consent/index.ts';
import type { TestGateway } from './app.ts';
import type { ConsentQuestion } from './consents.ts';
import { consentRequestBody } from './flows.ts';
import type { TestPrincipal } from './pki.ts';
import { koelnWorld, type KoelnWorld } from './world.ts';

/**
 * The consent flow through HTTP as test/consent-flow-*.test.ts drive it: the Köln world, the
 * request about one canary identifier that must never show in clear, and the consent question a
 * send asks about the person who granted it.
 */

/** The person's identifier (scheme `azr`): no answer, receipt, log or database file may hold it. */
export const CANARY = '908170000017';

/** Köln with its three offices and no DPO, on a fresh test gateway; the caller closes it. */
export function consentFlowWorld(): Promise<KoelnWorld> {
  // One test sends 100 sign-ins at once to show the throttle alone holds: above the default bound
  // of requests in flight, which would answer some of them 503 `overloaded` first.
  return koelnWorld({ dpo: false, maxInflight: 128 });
}

/** The usual Köln request about {@link CANARY}, valid until 2027-11-25; `overrides` replace fields. */
export const canaryRequestBody = (overrides: Record<string, unknown> = {}): string =>
  consentRequestBody(
    { scheme: 'azr', value: CANARY },
    { validUntil: '2027-11-25T00:00:00Z', ...overrides },
  );

/** A consent request about {@link CANARY} as `by` (the Jobcenter by default) asks it; expects 201. */
export async function askCanaryConsent(
  world: KoelnWorld,
  overrides: Record<string, unknown> = {},
  by: TestPrincipal = world.jc,
) {
  const res = await world.as(by, '/v1/consent-requests', {
    method: 'POST',
    body: canaryRequestBody(overrides),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; code: string; portalUrl: string; expiresAt: string };
}

/** The exchange's consent question for the (one) granted person: abh-koeln → jc-koeln. */
export function grantedPersonQuestion(gw: TestGateway): ConsentQuestion {
  const subject = gw.storage.db.prepare('SELECT subject FROM consents').pluck().get() as string;
  return {
    tenantId: 'koeln',
    subject,
    sender: 'abh-koeln',
    recipient: 'jc-koeln',
    purpose: 'labour_market_integration',
    categories: ['residence_status'],
  };
}

/** The consent question exactly as a send asks it: every consent for the purpose, decided now. */
export async function consentCheckAt(
  gw: TestGateway,
  question: ConsentQuestion,
): Promise<ConsentDecision> {
  const consents = await gw.storage.consents.consentsFor(
    question.tenantId,
    question.subject,
    question.purpose,
  );
  return decideConsent(consents, question, gw.clock.now());
}
