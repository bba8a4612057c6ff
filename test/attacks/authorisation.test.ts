import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addPrincipal, provisionedTenant, type TestPrincipal } from '../support/pki.ts';
import {
  attackWorld,
  AZR,
  BIRTH,
  exchangeBody,
  refused,
  type AttackWorld,
} from './support/world.ts';

/**
 * Object-level and function-level authorisation. The world: jc holds a message from abh about the
 * person, under a consent (abh → jc) to which so and the DPO are no party. Every refusal must leave
 * the guarded tables as they were.
 */
let w: AttackWorld;
let foreign: TestPrincipal;
beforeAll(async () => {
  w = await attackWorld();
  await provisionedTenant(w.deps, 'dortmund');
  foreign = await addPrincipal(w.deps, {
    tenantId: 'dortmund',
    id: 'jc-dortmund',
    kind: 'agency',
    agencyType: 'jobcenter',
  });
});
afterAll(() => {
  w.gw.close();
});
// The clock is frozen; a second per test refills the per-principal rate budget (50/s).
beforeEach(() => {
  w.gw.clock.advance(1_000);
});

type Who = 'abh' | 'so' | 'dpo' | 'foreign';
const principal = (who: Who): TestPrincipal => (who === 'foreign' ? foreign : w[who]);

interface Attempt {
  who: Who;
  method?: 'GET' | 'POST';
  /** `:msg` and `:consent` stand for the world's message and consent ids. */
  path: string;
  body?: (w: AttackWorld) => unknown;
  status: number;
  code: string;
}

const subject = { scheme: 'azr', value: AZR };

const OBJECT_LEVEL: Record<string, Attempt> = {
  "another agency reads jc's message": {
    who: 'so',
    path: '/v1/mailbox/:msg',
    status: 404,
    code: 'not_found',
  },
  "the sender reads the recipient's copy": {
    who: 'abh',
    path: '/v1/mailbox/:msg',
    status: 404,
    code: 'not_found',
  },
  "another agency acknowledges jc's message": {
    who: 'so',
    method: 'POST',
    path: '/v1/mailbox/:msg/ack',
    status: 404,
    code: 'not_found',
  },
  "the sender acknowledges jc's message": {
    who: 'abh',
    method: 'POST',
    path: '/v1/mailbox/:msg/ack',
    status: 404,
    code: 'not_found',
  },
  'an agency revokes a consent it is no party to': {
    who: 'so',
    method: 'POST',
    path: '/v1/consents/:consent/revoke',
    status: 404,
    code: 'not_found',
  },
  "another tenant's agency reads the message": {
    who: 'foreign',
    path: '/v1/mailbox/:msg',
    status: 404,
    code: 'not_found',
  },
  "another tenant's agency acknowledges the message": {
    who: 'foreign',
    method: 'POST',
    path: '/v1/mailbox/:msg/ack',
    status: 404,
    code: 'not_found',
  },
  "another tenant's agency revokes the consent": {
    who: 'foreign',
    method: 'POST',
    path: '/v1/consents/:consent/revoke',
    status: 404,
    code: 'not_found',
  },
  'an agency sends under a consent that names another recipient': {
    who: 'abh',
    method: 'POST',
    path: '/v1/exchanges',
    body: async (w) => ({ ...(await exchangeBody(w.abh)), recipient: 'so-koeln' }),
    status: 403,
    code: 'consent_missing',
  },
  'an agency claims to send as another (extra sender field)': {
    who: 'so',
    method: 'POST',
    path: '/v1/exchanges',
    body: async (w) => ({ ...(await exchangeBody(w.abh)), sender: 'abh-koeln' }),
    status: 422,
    code: 'validation_failed',
  },
  "an agency forwards another agency's signed payload as its own": {
    who: 'so',
    method: 'POST',
    path: '/v1/exchanges',
    body: (w) => exchangeBody(w.abh),
    status: 422,
    code: 'validation_failed',
  },
};

const FUNCTION_LEVEL: Record<string, Attempt> = {
  'an agency searches the audit log': {
    who: 'abh',
    path: '/v1/audit/entries',
    status: 403,
    code: 'forbidden',
  },
  'an agency reads the tree head': {
    who: 'so',
    path: '/v1/audit/tree-head',
    status: 403,
    code: 'forbidden',
  },
  'an agency asks for an inclusion proof': {
    who: 'abh',
    path: '/v1/audit/proofs/inclusion?seq=0&treeSize=1',
    status: 403,
    code: 'forbidden',
  },
  'an agency asks for a consistency proof': {
    who: 'abh',
    path: '/v1/audit/proofs/consistency?from=1&to=2',
    status: 403,
    code: 'forbidden',
  },
  'an agency exports the audit log': {
    who: 'abh',
    method: 'POST',
    path: '/v1/audit/exports',
    body: () => ({ from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' }),
    status: 403,
    code: 'forbidden',
  },
  "an agency asks for a person's access report": {
    who: 'so',
    method: 'POST',
    path: '/v1/subjects/access-report',
    body: () => ({ subject }),
    status: 403,
    code: 'forbidden',
  },
  "an agency erases a person's linkage": {
    who: 'so',
    method: 'POST',
    path: '/v1/subjects/erasure',
    body: () => ({ subject }),
    status: 403,
    code: 'forbidden',
  },
  'an agency lists the principals': {
    who: 'abh',
    path: '/v1/principals',
    status: 403,
    code: 'forbidden',
  },
  'a DPO sends an exchange': {
    who: 'dpo',
    method: 'POST',
    path: '/v1/exchanges',
    body: (w) => exchangeBody(w.abh),
    status: 403,
    code: 'forbidden',
  },
  "a DPO reads an agency's mailbox message": {
    who: 'dpo',
    path: '/v1/mailbox/:msg',
    status: 403,
    code: 'forbidden',
  },
  'a DPO acknowledges a message': {
    who: 'dpo',
    method: 'POST',
    path: '/v1/mailbox/:msg/ack',
    status: 403,
    code: 'forbidden',
  },
  'a DPO asks a person for consent': {
    who: 'dpo',
    method: 'POST',
    path: '/v1/consent-requests',
    body: () => ({
      subject,
      senders: ['abh-koeln'],
      recipients: ['so-koeln'],
      purpose: 'benefit_eligibility',
      categories: ['residence_status'],
      validUntil: '2027-11-25T00:00:00Z',
      language: 'de',
      secondFactor: { type: 'birthDate', value: BIRTH },
    }),
    status: 403,
    code: 'forbidden',
  },
  "a DPO revokes a person's consent": {
    who: 'dpo',
    method: 'POST',
    path: '/v1/consents/:consent/revoke',
    status: 403,
    code: 'forbidden',
  },
};

async function attempt(a: Attempt): Promise<Response> {
  const path = a.path.replace(':msg', w.messageId).replace(':consent', w.consentId);
  const body = a.body ? JSON.stringify(await a.body(w)) : undefined;
  return w.as(principal(a.who), path, {
    method: a.method ?? 'GET',
    ...(body === undefined ? {} : { body }),
  });
}

describe('object-level authorisation', () => {
  it.each(Object.entries(OBJECT_LEVEL))('refuses: %s', async (_name, a) => {
    const before = w.state();
    await refused(await attempt(a), a.status, a.code);
    expect(w.state()).toBe(before);
  });

  it('shows no other agency the message in its mailbox list, nor the consent in its list', async () => {
    for (const who of ['so', 'foreign'] as const) {
      const mailbox = await w.as(principal(who), '/v1/mailbox');
      expect(mailbox.status).toBe(200);
      expect(await mailbox.text()).not.toContain(w.messageId);
      const consents = await w.as(
        principal(who),
        `/v1/consents?subject.scheme=azr&subject.value=${AZR}`,
      );
      expect(consents.status).toBe(200);
      expect(await consents.text()).not.toContain(w.consentId);
    }
  });

  it('leaves the message fetchable by its recipient after all of the above', async () => {
    const res = await w.as(w.jc, `/v1/mailbox/${w.messageId}`);
    expect(res.status).toBe(200);
  });
});

describe('function-level authorisation', () => {
  it.each(Object.entries(FUNCTION_LEVEL))('refuses: %s', async (_name, a) => {
    const before = w.state();
    await refused(await attempt(a), a.status, a.code);
    expect(w.state()).toBe(before);
  });
});
