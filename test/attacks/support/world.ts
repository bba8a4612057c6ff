import { CompactSign } from 'jose';
import { expect } from 'vitest';
import type { PkiDeps } from '../../../certs/index.ts';
import { testGateway, type TestGateway } from '../../support/app.ts';
import {
  addPrincipal,
  assertionFor,
  pkiDeps,
  provisionedTenant,
  type TestPrincipal,
} from '../../support/pki.ts';
import { personGrants } from '../../support/person.ts';

/**
 * The world every attack suite starts from: tenant koeln with an immigration office (abh), a
 * Jobcenter (jc), a social office (so) and a DPO, one person (AZR) whose consent lets abh tell jc
 * about residence status, and one message from abh waiting in jc's mailbox.
 */
export const AUD = 'http://localhost:8787';
export const AZR = '100200300401';
export const BIRTH = '1990-01-31';

export interface AttackWorld {
  readonly gw: TestGateway;
  readonly deps: PkiDeps;
  readonly abh: TestPrincipal;
  readonly jc: TestPrincipal;
  readonly so: TestPrincipal;
  readonly dpo: TestPrincipal;
  readonly consentId: string;
  readonly requestId: string;
  readonly cookie: string;
  readonly messageId: string;
  /** A request authenticated as `p`, with a fresh assertion. */
  readonly as: (p: TestPrincipal, path: string, init?: RequestInit) => Promise<Response>;
  /** Every row a refused request could have changed, as one comparable string. */
  readonly state: () => string;
}

/** Tables a refusal must leave alone (audit entries and used jtis may grow; they are not state). */
const GUARDED = [
  'consent_requests',
  'consents',
  'consent_versions',
  'consent_parties',
  'mailbox_messages',
  'idempotency_keys',
  'portal_sessions',
  'principals',
  'certificates',
  'subjects',
] as const;

export async function attackWorld(): Promise<AttackWorld> {
  const gw = await testGateway({ publicUrl: AUD });
  const deps = await pkiDeps(gw.storage, gw.clock, gw.masterKey);
  await provisionedTenant(deps, 'koeln');
  const agency = (id: string, agencyType: string) =>
    addPrincipal(deps, { tenantId: 'koeln', id, kind: 'agency', agencyType });
  const abh = await agency('abh-koeln', 'immigration_office');
  const jc = await agency('jc-koeln', 'jobcenter');
  const so = await agency('so-koeln', 'social_office');
  const dpo = await addPrincipal(deps, { tenantId: 'koeln', id: 'dsb-koeln', kind: 'dpo' });

  const as = async (p: TestPrincipal, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set(
      'Authorization',
      `Bearer ${await assertionFor(p, { audience: AUD, now: gw.clock.now() })}`,
    );
    if (init.body !== undefined && !headers.has('Content-Type'))
      headers.set('Content-Type', 'application/json');
    return gw.app.request(path, { ...init, headers });
  };

  const request = await askConsent(as, jc, {
    senders: ['abh-koeln'],
    recipients: ['jc-koeln'],
    purpose: 'labour_market_integration',
    categories: ['residence_status', 'employment_permission'],
  });
  const { consentId, cookie } = await personGrants(gw.app, request);
  const sent = await as(abh, '/v1/exchanges', {
    method: 'POST',
    body: JSON.stringify(await exchangeBody(abh)),
  });
  expect(sent.status, await sent.clone().text()).toBe(201);
  const messageId = ((await sent.json()) as { id: string }).id;

  // A session's last_seen_at moves on every use; that is the session living, not a change.
  const state = () =>
    JSON.stringify(
      GUARDED.map((table) =>
        (gw.storage.db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all() as object[]).map(
          (row) => ({ ...row, last_seen_at: undefined }),
        ),
      ),
    );
  return {
    gw,
    deps,
    abh,
    jc,
    so,
    dpo,
    consentId,
    requestId: request.id,
    cookie,
    messageId,
    as,
    state,
  };
}

type As = AttackWorld['as'];

/** An agency's consent request for the person; answers its id and one-time code. */
export async function askConsent(
  as: As,
  by: TestPrincipal,
  flow: { senders: string[]; recipients: string[]; purpose: string; categories: string[] },
  subject = AZR,
): Promise<{ id: string; code: string }> {
  const res = await as(by, '/v1/consent-requests', {
    method: 'POST',
    body: JSON.stringify({
      subject: { scheme: 'azr', value: subject },
      ...flow,
      validUntil: '2027-11-25T00:00:00Z',
      language: 'de',
      secondFactor: { type: 'birthDate', value: BIRTH },
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; code: string };
}

export const notice = () => ({
  residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
  employmentPermission: { allowed: true, conditions: 'keine' },
});

/** The sender's compact JWS over the message JSON, as an agency system makes it. */
export const signedMessage = (p: TestPrincipal, message: unknown = notice(), key = p.privateKey) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(message)))
    .setProtectedHeader({ alg: p.alg })
    .sign(key);

/** A valid `POST /v1/exchanges` body from abh to jc; `payload` may be replaced. */
export async function exchangeBody(by: TestPrincipal, payload?: string) {
  return {
    recipient: 'jc-koeln',
    subject: { scheme: 'azr', value: AZR },
    purpose: 'labour_market_integration',
    messageType: 'residence_status.notice',
    payload: payload ?? (await signedMessage(by)),
  };
}

/** Asserts a problem+json refusal with exactly this status and code; answers the body. */
export async function refused(
  res: Response,
  status: number,
  code: string,
): Promise<{ code: string; detail?: string }> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  const body = JSON.parse(text) as { code: string; detail?: string };
  expect(body.code).toBe(code);
  expect(text).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  return body;
}
