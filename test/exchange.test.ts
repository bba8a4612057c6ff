import { CompactSign, compactDecrypt, compactVerify, createLocalJWKSet, importX509 } from 'jose';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PkiDeps } from '../certs/index.ts';
import { testGateway, type TestGateway } from './support/app.ts';
import {
  addPrincipal,
  assertionFor,
  pkiDeps,
  provisionedTenant,
  type TestPrincipal,
} from './support/pki.ts';

const AUD = 'http://localhost:8787';
const SUBJECT = { scheme: 'azr', value: 'AZR-EXCHANGE-CANARY-1' };
const PAYLOAD_CANARY = 'PAYLOAD-CANARY-Aufenthalt-7731';
let gw: TestGateway;
let deps: PkiDeps;
let abh: TestPrincipal;
let jc: TestPrincipal;
let so: TestPrincipal;
let cookie = '';
let consentId = '';

const as = async (p: TestPrincipal, path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set(
    'Authorization',
    `Bearer ${await assertionFor(p, { audience: AUD, now: gw.clock.now() })}`,
  );
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  return gw.app.request(path, { ...init, headers });
};

beforeEach(async () => {
  gw = await testGateway({ publicUrl: AUD });
  deps = await pkiDeps(gw.storage, gw.clock, gw.masterKey);
  await provisionedTenant(deps, 'koeln');
  abh = await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'abh-koeln',
    kind: 'agency',
    agencyType: 'immigration_office',
  });
  jc = await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'jc-koeln',
    kind: 'agency',
    agencyType: 'jobcenter',
  });
  so = await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'so-koeln',
    kind: 'agency',
    agencyType: 'social_office',
  });
  // The person consents: immigration office → Jobcenter, residence status and permission.
  const created = (await (
    await as(jc, '/v1/consent-requests', {
      method: 'POST',
      body: JSON.stringify({
        subject: SUBJECT,
        senders: ['abh-koeln'],
        recipients: ['jc-koeln'],
        purpose: 'labour_market_integration',
        categories: ['residence_status', 'employment_permission'],
        validUntil: '2027-06-01T00:00:00Z',
        language: 'de',
        secondFactor: { type: 'birthDate', value: '1990-01-31' },
      }),
    })
  ).json()) as { id: string; code: string };
  const session = await gw.app.request('/v1/portal/session', {
    method: 'POST',
    body: JSON.stringify({ code: created.code, secondFactor: '1990-01-31' }),
    headers: { 'Content-Type': 'application/json' },
  });
  cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  const grant = (await (
    await gw.app.request(`/v1/portal/requests/${created.id}/grant`, {
      method: 'POST',
      headers: { Cookie: cookie },
    })
  ).json()) as {
    consent: { id: string };
  };
  consentId = grant.consent.id;
});
afterEach(() => {
  gw.close();
});

const notice = (extra: Record<string, unknown> = {}) => ({
  residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
  employmentPermission: { allowed: true, conditions: PAYLOAD_CANARY },
  ...extra,
});

const signed = (p: TestPrincipal, message: unknown) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(message)))
    .setProtectedHeader({ alg: 'ES256' })
    .sign(p.privateKey);

async function send(
  message: unknown = notice(),
  headers: Record<string, string> = {},
  by = abh,
  recipient = 'jc-koeln',
) {
  return as(by, '/v1/exchanges', {
    method: 'POST',
    headers,
    body: JSON.stringify({
      recipient,
      subject: SUBJECT,
      purpose: 'labour_market_integration',
      messageType: 'residence_status.notice',
      payload: await signed(by, message),
    }),
  });
}

/** The recipient's side: decrypt with its own key, verify the gateway and the sender. */
async function open(ciphertext: string, recipient: TestPrincipal) {
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', recipient.privateKey);
  const ecdh = await crypto.subtle.importKey(
    'pkcs8',
    pkcs8,
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    ['deriveBits'],
  );
  const { plaintext, protectedHeader } = await compactDecrypt(ciphertext, ecdh, {
    keyManagementAlgorithms: ['ECDH-ES+A256KW'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  expect(protectedHeader).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM' });
  expect(protectedHeader).not.toHaveProperty('zip');
  const jwks = createLocalJWKSet(
    (await (await gw.app.request('/.well-known/jwks.json')).json()) as { keys: [] },
  );
  const attested = await compactVerify(new TextDecoder().decode(plaintext), jwks, {
    algorithms: ['ES256'],
  });
  expect(attested.protectedHeader.typ).toBe('exchange-attestation+jwt');
  const attestation = JSON.parse(new TextDecoder().decode(attested.payload)) as Record<
    string,
    unknown
  > & { senderJws: string };
  const sender = await compactVerify(
    attestation.senderJws,
    await importX509(abh.certificatePem, 'ES256'),
    { algorithms: ['ES256'] },
  );
  return { attestation, message: JSON.parse(new TextDecoder().decode(sender.payload)) as unknown };
}

describe('an exchange under consent', () => {
  it('is signed, attested, encrypted to the recipient, fetched, acknowledged and forgotten', async () => {
    const res = await send();
    expect(res.status, await res.clone().text()).toBe(201);
    const accepted = (await res.json()) as {
      id: string;
      status: string;
      consentId: string;
      auditSeq: number;
    };
    expect(accepted).toMatchObject({ status: 'queued', consentId });

    const listRes = await as(jc, '/v1/mailbox');
    expect(listRes.status, await listRes.clone().text()).toBe(200);
    const list = (await listRes.json()) as {
      items: { id: string; categories: string[] }[];
    };
    expect(list.items).toEqual([
      expect.objectContaining({
        id: accepted.id,
        messageType: 'residence_status.notice',
        categories: ['residence_status', 'employment_permission'],
      }),
    ]);
    expect(JSON.stringify(list)).not.toContain(PAYLOAD_CANARY);

    const fetched = (await (await as(jc, `/v1/mailbox/${accepted.id}`)).json()) as {
      envelope: string;
      ciphertext: string;
    };
    expect(fetched.envelope).toBe('jwe');
    const { attestation, message } = await open(fetched.ciphertext, jc);
    expect(message).toEqual(notice());
    expect(attestation).toMatchObject({
      consentId,
      consentVersion: 1,
      auditSeq: accepted.auditSeq,
      messageType: 'residence_status.notice',
      purpose: 'labour_market_integration',
      categories: ['residence_status', 'employment_permission'],
    });

    expect((await as(jc, `/v1/mailbox/${accepted.id}/ack`, { method: 'POST' })).status).toBe(204);
    expect((await as(jc, `/v1/mailbox/${accepted.id}`)).status).toBe(404);
    expect(
      gw.storage.db.prepare('SELECT ciphertext FROM mailbox_messages').pluck().get(),
    ).toBeNull();
    const events = gw.storage.db
      .prepare("SELECT event FROM audit_entries WHERE event LIKE 'exchange.%' ORDER BY seq")
      .pluck()
      .all();
    expect(events).toEqual(['exchange.accepted', 'exchange.delivered', 'exchange.acknowledged']);
  });

  it('answers a retry with the same Idempotency-Key with the first result, and another body with 409', async () => {
    const body = JSON.stringify({
      recipient: 'jc-koeln',
      subject: SUBJECT,
      purpose: 'labour_market_integration',
      messageType: 'residence_status.notice',
      payload: await signed(abh, notice()),
    });
    const post = (b: string) =>
      as(abh, '/v1/exchanges', { method: 'POST', body: b, headers: { 'Idempotency-Key': 'k-1' } });
    const first = (await (await post(body)).json()) as { id: string };
    const again = await post(body);
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).toBe(first.id);
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM mailbox_messages').pluck().get()).toBe(1);
    const other = await post(body.replace('jc-koeln', 'so-koeln'));
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ code: 'conflict' });
  });

  it('withholds and deletes a waiting message when the person revokes', async () => {
    const { id } = (await (await send()).json()) as { id: string };
    await gw.app.request(`/v1/portal/consents/${consentId}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    const res = await as(jc, `/v1/mailbox/${id}`);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ code: 'consent_revoked' });
    expect(gw.storage.db.prepare('SELECT state, ciphertext FROM mailbox_messages').get()).toEqual({
      state: 'withheld',
      ciphertext: null,
    });
    // And nothing new passes.
    expect(await (await send()).json()).toMatchObject({ code: 'consent_revoked' });
  });

  it('keeps other agencies out of the mailbox with 404', async () => {
    const { id } = (await (await send()).json()) as { id: string };
    const theirs = await as(so, `/v1/mailbox/${id}`);
    const missing = await as(so, '/v1/mailbox/ex_nothing');
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await (await as(so, '/v1/mailbox')).json()).toEqual({ items: [] });
  });

  it('keeps no plaintext, identifier or payload on disk or in logs', async () => {
    await send();
    gw.storage.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = ['gateway.db', 'gateway.db-wal']
      .map((f) => join(gw.dataDir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('');
    for (const canary of [PAYLOAD_CANARY, SUBJECT.value, '60a AufenthG'])
      expect(bytes.includes(canary), canary).toBe(false);
    expect(gw.logs.text).not.toMatch(/CANARY/);
  });
});

describe('exchanges that are refused', () => {
  it('refuses a field whose category the consent does not cover, listing it', async () => {
    const res = await send(
      notice({ address: { street: 'Hauptstr. 1', postalCode: '50667', city: 'Köln' } }),
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      code: 'fields_not_covered',
      fields: [{ pointer: '/address', category: 'contact' }],
    });
    const refused = gw.storage.db
      .prepare("SELECT entry FROM audit_entries WHERE event = 'exchange.refused'")
      .pluck()
      .all() as string[];
    expect(refused).toHaveLength(1);
    expect(JSON.parse(refused[0] ?? '{}')).toMatchObject({
      outcome: 'refused',
      reasons: ['fields_not_covered'],
    });
  });

  it('refuses without a consent naming the recipient (consent_missing)', async () => {
    const res = await send(notice(), {}, abh, 'so-koeln');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'consent_missing' });
  });

  it('refuses a payload not signed by the sender, and a message type of another agency type', async () => {
    const forged = await as(abh, '/v1/exchanges', {
      method: 'POST',
      body: JSON.stringify({
        recipient: 'jc-koeln',
        subject: SUBJECT,
        purpose: 'labour_market_integration',
        messageType: 'residence_status.notice',
        payload: await signed(jc, notice()),
      }),
    });
    expect(forged.status).toBe(422);
    expect(await forged.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '/payload' }],
    });
    const wrongType = await as(abh, '/v1/exchanges', {
      method: 'POST',
      body: JSON.stringify({
        recipient: 'jc-koeln',
        subject: SUBJECT,
        purpose: 'labour_market_integration',
        messageType: 'jobseeker.profile',
        payload: await signed(abh, { languageLevel: 'B1' }),
      }),
    });
    expect(wrongType.status).toBe(422);
  });

  it('refuses unknown fields in the message', async () => {
    const res = await send(notice({ favouriteColour: 'blue' }));
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'validation_failed' });
  });
});

describe('retention', () => {
  it('purges a message nobody fetched within the retention, and audits it', async () => {
    const { purgeExpiredMessages } = await import('../exchange/index.ts');
    const { AuditLog } = await import('../audit/index.ts');
    const { id } = (await (await send()).json()) as { id: string };
    const sweep = () =>
      purgeExpiredMessages({
        exchanges: gw.storage.exchanges,
        audit: new AuditLog(gw.storage.audit, gw.clock),
        clock: gw.clock,
        consents: gw.storage.consents,
        masterKey: gw.masterKey,
      });
    expect(await sweep()).toBe(0);
    gw.clock.advance(366 * 86_400_000); // the rule lmi.abh-to-jc keeps for 365 days
    expect(await sweep()).toBe(1);
    expect(gw.storage.db.prepare('SELECT state, ciphertext FROM mailbox_messages').get()).toEqual({
      state: 'purged',
      ciphertext: null,
    });
    // (the Jobcenter's certificate has expired by now as well, so ask the store)
    expect((await gw.storage.exchanges.message('koeln', id))?.state).toBe('purged');
    expect(
      gw.storage.db
        .prepare("SELECT COUNT(*) FROM audit_entries WHERE event = 'exchange.purged'")
        .pluck()
        .get(),
    ).toBe(1);
  });
});

describe('transactions', () => {
  it('leaves no message, ciphertext or idempotency record when the audit append fails', async () => {
    const { AuditLog, AuditRace } = await import('../audit/index.ts');
    const log = new AuditLog(gw.storage.audit, gw.clock);
    const prepared = await log.prepare('koeln', {
      event: 'exchange.accepted',
      actor: 'abh-koeln',
      outcome: 'ok',
    });
    // Another writer appends first: the prepared entry no longer fits the tree.
    await log.append('koeln', { event: 'audit.read', actor: 'dsb-koeln', outcome: 'ok' });
    const before = gw.storage.db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get();
    await expect(
      gw.storage.exchanges.accept(
        {
          id: 'ex_crash',
          tenantId: 'koeln',
          sender: 'abh-koeln',
          recipient: 'jc-koeln',
          subject: 'x',
          consentId,
          messageType: 'residence_status.notice',
          purpose: 'labour_market_integration',
          categories: ['residence_status'],
          envelope: 'jwe',
          ciphertext: 'ciphertext',
          ciphertextDigest: 'd',
          receivedAt: gw.clock.now().toISOString(),
          retainUntil: gw.clock.now().toISOString(),
          state: 'queued',
        },
        prepared,
        { key: 'k-crash', requestHash: 'h', response: '{}' },
      ),
    ).rejects.toBeInstanceOf(AuditRace);
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM mailbox_messages').pluck().get()).toBe(0);
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM idempotency_keys').pluck().get()).toBe(0);
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get()).toBe(before);
  });
});

describe('policy', () => {
  it('refuses a consented flow the policy does not allow, with policy_denied and the missing rule', async () => {
    // The person consents to the social office telling the immigration office about benefits for
    // labour-market integration — a flow the default policy has no rule for.
    const created = (await (
      await as(so, '/v1/consent-requests', {
        method: 'POST',
        body: JSON.stringify({
          subject: SUBJECT,
          senders: ['so-koeln'],
          recipients: ['abh-koeln'],
          purpose: 'labour_market_integration',
          categories: ['benefits'],
          validUntil: '2027-06-01T00:00:00Z',
          language: 'de',
          secondFactor: { type: 'birthDate', value: '1990-01-31' },
        }),
      })
    ).json()) as { id: string; code: string };
    const session = await gw.app.request('/v1/portal/session', {
      method: 'POST',
      body: JSON.stringify({ code: created.code, secondFactor: '1990-01-31' }),
      headers: { 'Content-Type': 'application/json' },
    });
    const c = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    await gw.app.request(`/v1/portal/requests/${created.id}/grant`, {
      method: 'POST',
      headers: { Cookie: c },
    });
    const payload = await signed(so, { benefitType: 'AsylbLG', since: '2025-01-01' });
    const res = await as(so, '/v1/exchanges', {
      method: 'POST',
      body: JSON.stringify({
        recipient: 'abh-koeln',
        subject: SUBJECT,
        purpose: 'labour_market_integration',
        messageType: 'benefit.status',
        payload,
      }),
    });
    expect(res.status).toBe(403);
    const body = (await res.json()) as {
      code: string;
      reasons: { code: string; message: string }[];
    };
    expect(body.code).toBe('policy_denied');
    expect(body.reasons[0]?.message).toContain('social_office send to a immigration_office');
  });
});
