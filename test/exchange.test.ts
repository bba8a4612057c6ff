import { CompactSign, compactDecrypt, compactVerify, createLocalJWKSet, importX509 } from 'jose';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { joseEngine, JoseEngineFailed, useJoseEngine, type PkiDeps } from '../certs/index.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../policies/index.ts';
import type { TestGateway } from './support/app.ts';
import { addPrincipal, assertionFor, type TestPrincipal } from './support/pki.ts';
import { personGrants } from './support/person.ts';
import { AUD, koelnWorld, type KoelnWorld } from './support/world.ts';

const SUBJECT = { scheme: 'azr', value: '100200300401' };
const PAYLOAD_CANARY = 'PAYLOAD-CANARY-Aufenthalt-7731';
let world: KoelnWorld;
let gw: TestGateway;
let deps: PkiDeps;
let abh: TestPrincipal;
let jc: TestPrincipal;
let so: TestPrincipal;
let as: KoelnWorld['as'];
let cookie = '';
let consentId = '';

/** A consent of `subject` to abh-koeln telling the requester about residence status. */
async function grantedConsent(
  requester: TestPrincipal,
  subject: { scheme: string; value: string },
): Promise<{ consentId: string; cookie: string }> {
  const created = (await (
    await as(requester, '/v1/consent-requests', {
      method: 'POST',
      body: JSON.stringify({
        subject,
        senders: ['abh-koeln'],
        recipients: [requester.id],
        purpose: 'labour_market_integration',
        categories: ['residence_status', 'employment_permission'],
        validUntil: '2027-06-01T00:00:00Z',
        language: 'de',
        secondFactor: { type: 'birthDate', value: '1990-01-31' },
      }),
    })
  ).json()) as { id: string; code: string };
  return personGrants(gw.app, created);
}

beforeEach(async () => {
  world = await koelnWorld({ dpo: false });
  ({ gw, deps, abh, jc, so, as } = world);
  // The person consents: immigration office → Jobcenter, residence status and permission.
  ({ consentId, cookie } = await grantedConsent(jc, SUBJECT));
});
afterEach(() => {
  world.close();
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
  subject = SUBJECT,
) {
  return as(by, '/v1/exchanges', {
    method: 'POST',
    headers,
    body: JSON.stringify({
      recipient,
      subject,
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

  it('answers concurrent retries with the same Idempotency-Key and body with the first result', async () => {
    const body = JSON.stringify({
      recipient: 'jc-koeln',
      subject: SUBJECT,
      purpose: 'labour_market_integration',
      messageType: 'residence_status.notice',
      payload: await signed(abh, notice()),
    });
    const post = (b: string) =>
      as(abh, '/v1/exchanges', { method: 'POST', body: b, headers: { 'Idempotency-Key': 'k-r' } });
    const answers = await Promise.all([post(body), post(body), post(body), post(body)]);
    const texts = await Promise.all(answers.map((r) => r.text()));
    expect(
      answers.map((r) => r.status),
      texts.join('\n'),
    ).toEqual([201, 201, 201, 201]);
    const ids = new Set(texts.map((t) => (JSON.parse(t) as { id: string }).id));
    expect(ids.size).toBe(1);
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM mailbox_messages').pluck().get()).toBe(1);
    expect(
      gw.storage.db
        .prepare("SELECT COUNT(*) FROM audit_entries WHERE event = 'exchange.accepted'")
        .pluck()
        .get(),
    ).toBe(1);
  });

  it('answers concurrent requests with one Idempotency-Key but different bodies with one 201 and one 409', async () => {
    // ECDSA signatures are randomised: two signatures of one message are two different bodies.
    const bodyOf = async () =>
      JSON.stringify({
        recipient: 'jc-koeln',
        subject: SUBJECT,
        purpose: 'labour_market_integration',
        messageType: 'residence_status.notice',
        payload: await signed(abh, notice()),
      });
    const post = (b: string) =>
      as(abh, '/v1/exchanges', { method: 'POST', body: b, headers: { 'Idempotency-Key': 'k-d' } });
    const answers = await Promise.all([post(await bodyOf()), post(await bodyOf())]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await answers.find((r) => r.status === 409)?.json()).toMatchObject({ code: 'conflict' });
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM mailbox_messages').pluck().get()).toBe(1);
  });

  it('withholds and deletes a waiting message when the person revokes', async () => {
    const { id } = (await (await send()).json()) as { id: string };
    await gw.app.request(`/v1/portal/consents/${consentId}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    for (const res of [
      await as(jc, `/v1/mailbox/${id}`),
      await as(jc, `/v1/mailbox/${id}`),
      await as(jc, `/v1/mailbox/${id}/ack`, { method: 'POST' }),
    ]) {
      expect(res.status).toBe(410);
      expect(await res.json()).toMatchObject({ code: 'consent_revoked' });
    }
    expect(
      gw.storage.db
        .prepare('SELECT state, ciphertext, withheld_reason FROM mailbox_messages')
        .get(),
    ).toEqual({ state: 'withheld', ciphertext: null, withheld_reason: 'consent_revoked' });
    // And nothing new passes: no active consent covers the send (403 consent_missing), and the
    // reasons name the revoked consent.
    const refused = await send();
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      code: 'consent_missing',
      reasons: [
        { code: 'consent_revoked', message: `consent ${consentId} version 2 was withdrawn` },
      ],
    });
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
    const payload = await signed(abh, notice());
    const res = await as(abh, '/v1/exchanges', {
      method: 'POST',
      body: JSON.stringify({
        recipient: 'jc-koeln',
        subject: SUBJECT,
        purpose: 'labour_market_integration',
        messageType: 'residence_status.notice',
        payload,
      }),
    });
    expect(res.status).toBe(201);
    // The sender's JWS travels only inside the encrypted envelope: neither its payload (the
    // message, base64url) nor its signature may rest anywhere.
    const [, jwsPayload = '', jwsSignature = ''] = payload.split('.');
    const canaries = [PAYLOAD_CANARY, SUBJECT.value, '60a AufenthG', jwsPayload, jwsSignature];
    const files = ['gateway.db', 'gateway.db-wal', 'gateway.db-shm'].map((f) =>
      join(gw.dataDir, f),
    );
    const onDisk = () =>
      files
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f).toString('latin1'))
        .join('');
    // First as the writes left them (the pages are still in the -wal file), then checkpointed.
    const before = onDisk();
    expect(existsSync(join(gw.dataDir, 'gateway.db-wal'))).toBe(true);
    expect(readFileSync(join(gw.dataDir, 'gateway.db-wal')).length).toBeGreaterThan(0);
    gw.storage.db.pragma('wal_checkpoint(TRUNCATE)');
    const after = onDisk();
    for (const canary of canaries) {
      expect(before.includes(canary), `${canary} before the checkpoint`).toBe(false);
      expect(after.includes(canary), `${canary} after the checkpoint`).toBe(false);
    }
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
      // The consent in force that lacks the category is named.
      reasons: [
        {
          code: 'categories_not_covered',
          message: expect.stringMatching(/^consent cs_.* contact$/) as unknown,
        },
        { code: 'fields_not_covered' },
      ],
    });
    const refused = gw.storage.db
      .prepare("SELECT entry FROM audit_entries WHERE event = 'exchange.refused'")
      .pluck()
      .all() as string[];
    expect(refused).toHaveLength(1);
    expect(JSON.parse(refused[0] ?? '{}')).toMatchObject({
      outcome: 'refused',
      reasons: ['categories_not_covered', 'fields_not_covered'],
    });
  });

  it('audits a request its schema refuses, and an Idempotency-Key reused with another body', async () => {
    const malformed = await as(abh, '/v1/exchanges', {
      method: 'POST',
      body: JSON.stringify({ subject: SUBJECT, purpose: 'labour_market_integration' }),
    });
    expect(malformed.status).toBe(422);
    expect((await send(notice(), { 'Idempotency-Key': 'k-1' })).status).toBe(201);
    const reused = await send(notice({ address: { city: 'Köln' } }), { 'Idempotency-Key': 'k-1' });
    expect(reused.status).toBe(409);
    const refused = gw.storage.db
      .prepare("SELECT entry FROM audit_entries WHERE event = 'exchange.refused' ORDER BY seq")
      .pluck()
      .all()
      .map((e) => JSON.parse(e as string) as Record<string, unknown>);
    expect(refused).toEqual([
      expect.objectContaining({ actor: 'abh-koeln', reasons: ['validation_failed'] }),
      expect.objectContaining({ actor: 'abh-koeln', reasons: ['idempotency_key_reused'] }),
    ]);
    // Nothing of the refused bodies reaches the log.
    expect(JSON.stringify(refused)).not.toContain(SUBJECT.value);
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

  it('audits every refusal made before the consent check as exchange.refused with its reason', async () => {
    const { findMessageType } = await import('../connectors/index.ts');
    const post = async (body: Record<string, unknown>) =>
      as(abh, '/v1/exchanges', {
        method: 'POST',
        body: JSON.stringify({
          recipient: 'jc-koeln',
          subject: SUBJECT,
          purpose: 'labour_market_integration',
          messageType: 'residence_status.notice',
          payload: await signed(abh, notice()),
          ...body,
        }),
      });
    const refusals = [
      // signed by another agency's key
      await post({ payload: await signed(jc, notice()) }),
      await post({ messageType: 'no.such.type' }),
      // fails its schema
      await post({ payload: await signed(abh, notice({ favouriteColour: 'blue' })) }),
      // a valid Jobcenter message, but the sender is an immigration office
      await post({
        messageType: 'jobseeker.profile',
        payload: await signed(abh, findMessageType('jobseeker.profile')?.example),
      }),
      await post({ recipient: 'xx-nobody' }),
      // and one the consent check refuses, for comparison
      await post({ recipient: 'so-koeln' }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([422, 422, 422, 422, 422, 403]);
    const entries = gw.storage.db
      .prepare("SELECT entry FROM audit_entries WHERE event = 'exchange.refused' ORDER BY seq")
      .pluck()
      .all()
      .map((e) => JSON.parse(e as string) as Record<string, unknown>);
    expect(entries.map((e) => e['reasons'])).toEqual([
      ['signature_invalid'],
      ['unknown_message_type'],
      ['message_invalid'],
      ['message_type_not_of_sender'],
      ['unknown_recipient'],
      expect.arrayContaining(['parties_not_covered']),
    ]);
    const subjectRef = entries[5]?.['subjectRef'];
    expect(subjectRef).toEqual(expect.any(String));
    for (const entry of entries) {
      expect(entry).toMatchObject({
        actor: 'abh-koeln',
        sender: 'abh-koeln',
        outcome: 'refused',
        purpose: 'labour_market_integration',
        subjectRef,
      });
    }
    expect(entries[3]).toMatchObject({
      categories: expect.arrayContaining(['qualifications', 'language_skills']) as unknown,
    });
    // An id that names no agency is not written into the log.
    expect(entries[4]).not.toHaveProperty('recipient');
    expect(JSON.stringify(entries)).not.toContain('xx-nobody');
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
  it('refuses a consented flow the policy no longer allows, with policy_denied and the missing rule', async () => {
    // The person consented to the social office telling the immigration office about benefits for
    // a residence procedure; then the municipality narrowed its policy and dropped that rule. The
    // consent still stands, but the policy decides too.
    const created = (await (
      await as(so, '/v1/consent-requests', {
        method: 'POST',
        body: JSON.stringify({
          subject: SUBJECT,
          senders: ['so-koeln'],
          recipients: ['abh-koeln'],
          purpose: 'residence_procedure',
          categories: ['benefits'],
          validUntil: '2027-06-01T00:00:00Z',
          language: 'de',
          secondFactor: { type: 'birthDate', value: '1990-01-31' },
        }),
      })
    ).json()) as { id: string; code: string };
    await personGrants(gw.app, created);
    const narrowed = await loadPolicySet({
      ...DEFAULT_POLICY,
      version: 'narrowed.1',
      rules: DEFAULT_POLICY.rules.filter((rule) => rule.id !== 'rp.so-to-abh'),
    });
    const payload = await signed(so, { benefitType: 'AsylbLG', since: '2025-01-01' });
    const headers = new Headers({ 'Content-Type': 'application/json' });
    headers.set(
      'Authorization',
      `Bearer ${await assertionFor(so, { audience: AUD, now: gw.clock.now() })}`,
    );
    const res = await gw.withPolicy(narrowed).request('/v1/exchanges', {
      method: 'POST',
      headers,
      body: JSON.stringify({
        recipient: 'abh-koeln',
        subject: SUBJECT,
        purpose: 'residence_procedure',
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

const SUBJECT_2 = { scheme: 'local', value: 'JC-KOELN-4711' };
const acceptedId = async (res: Response) => {
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
};
const messageRow = (id: string) =>
  gw.storage.db
    .prepare(
      'SELECT state, ciphertext IS NULL AS gone, withheld_reason FROM mailbox_messages WHERE id = ?',
    )
    .get(id);
const auditOf = (event: string) =>
  gw.storage.db
    .prepare('SELECT entry FROM audit_entries WHERE event = ? ORDER BY seq')
    .pluck()
    .all(event)
    .map((e) => JSON.parse(e as string) as Record<string, unknown>);
/** The deps the portal's revocation and the minute sweep hand over, over the same storage. */
const withholdDeps = async () => {
  const { AuditLog } = await import('../audit/index.ts');
  return {
    exchanges: gw.storage.exchanges,
    consents: gw.storage.consents,
    audit: new AuditLog(gw.storage.audit, gw.clock),
    clock: gw.clock,
    masterKey: gw.masterKey,
  };
};
/** Ends a consent in its store, as revocation or the expiry sweep write it (no message withheld). */
const endConsent = async (id: string, state: 'revoked' | 'expired') => {
  const found = await gw.storage.consents.consent('koeln', id);
  if (!found) throw new Error(`no consent ${id}`);
  await gw.storage.consents.changeConsent(id, found.current.version, {
    state,
    at: gw.clock.now().toISOString(),
    actor: state === 'revoked' ? 'subject' : 'system',
  });
};
const DAY = 86_400_000;

describe('withholding when a consent ends', () => {
  it('answers consent_expired on every fetch and acknowledgement after the consent expired', async () => {
    const id = await acceptedId(await send());
    gw.clock.advance(200 * DAY); // past validUntil 2027-06-01; the certificates still hold
    for (const res of [
      await as(jc, `/v1/mailbox/${id}`),
      await as(jc, `/v1/mailbox/${id}`),
      await as(jc, `/v1/mailbox/${id}/ack`, { method: 'POST' }),
      await as(jc, `/v1/mailbox/${id}`),
    ]) {
      expect(res.status).toBe(410);
      expect(await res.json()).toMatchObject({ code: 'consent_expired' });
    }
    expect(messageRow(id)).toEqual({
      state: 'withheld',
      gone: 1,
      withheld_reason: 'consent_expired',
    });
    expect(auditOf('exchange.withheld')).toEqual([
      expect.objectContaining({ exchangeId: id, actor: 'jc-koeln', reasons: ['consent_expired'] }),
    ]);
    // A send under the ended consent: no active consent covers it, the reasons say which ended.
    const refused = await send();
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      code: 'consent_missing',
      reasons: [
        { code: 'consent_expired', message: expect.stringContaining(consentId) as unknown },
      ],
    });
  });

  it('withholds every waiting message under a revoked consent at once, each audited with its subject', async () => {
    const { withholdMessagesOf } = await import('../exchange/index.ts');
    const queued = await acceptedId(await send());
    const delivered = await acceptedId(await send());
    const acknowledged = await acceptedId(await send());
    expect((await as(jc, `/v1/mailbox/${delivered}`)).status).toBe(200);
    expect((await as(jc, `/v1/mailbox/${acknowledged}`)).status).toBe(200);
    expect((await as(jc, `/v1/mailbox/${acknowledged}/ack`, { method: 'POST' })).status).toBe(204);
    // Another person's consent for the same flow, with a message of its own.
    await grantedConsent(jc, SUBJECT_2);
    const otherPersons = await acceptedId(await send(notice(), {}, abh, 'jc-koeln', SUBJECT_2));
    await endConsent(consentId, 'revoked');

    const deps = await withholdDeps();
    expect(await withholdMessagesOf(deps, 'koeln', consentId, 'consent_revoked')).toBe(2);
    for (const id of [queued, delivered]) {
      expect(messageRow(id)).toEqual({
        state: 'withheld',
        gone: 1,
        withheld_reason: 'consent_revoked',
      });
    }
    expect(messageRow(acknowledged)).toMatchObject({ state: 'acknowledged' });
    expect(messageRow(otherPersons)).toEqual({ state: 'queued', gone: 0, withheld_reason: null });

    const accepted = new Map(auditOf('exchange.accepted').map((e) => [e['exchangeId'], e]));
    const withheld = auditOf('exchange.withheld');
    expect(withheld.map((e) => e['exchangeId']).sort()).toEqual([queued, delivered].sort());
    for (const entry of withheld) {
      const subjectRef = accepted.get(entry['exchangeId'])?.['subjectRef'];
      expect(subjectRef).toEqual(expect.any(String));
      expect(entry).toMatchObject({
        actor: 'system',
        outcome: 'refused',
        reasons: ['consent_revoked'],
        consentId,
        sender: 'abh-koeln',
        recipient: 'jc-koeln',
        purpose: 'labour_market_integration',
        subjectRef,
      });
    }

    const fetched = await as(jc, `/v1/mailbox/${queued}`);
    expect(fetched.status).toBe(410);
    expect(await fetched.json()).toMatchObject({ code: 'consent_revoked' });
    const ack = await as(jc, `/v1/mailbox/${delivered}/ack`, { method: 'POST' });
    expect(ack.status).toBe(410);
    expect(await ack.json()).toMatchObject({ code: 'consent_revoked' });
    expect(await (await as(jc, '/v1/mailbox')).json()).toEqual({
      items: [expect.objectContaining({ id: otherPersons })],
    });
    // Nothing is left to withhold, and nothing more is audited.
    expect(await withholdMessagesOf(deps, 'koeln', consentId, 'consent_revoked')).toBe(0);
    expect(auditOf('exchange.withheld')).toHaveLength(2);
  });

  it('revoking in the portal withholds the waiting message at once, before any fetch', async () => {
    const id = await acceptedId(await send());
    const revoked = await gw.app.request(`/v1/portal/consents/${consentId}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(revoked.status).toBe(200);
    expect(messageRow(id)).toEqual({
      state: 'withheld',
      gone: 1,
      withheld_reason: 'consent_revoked',
    });
    const listed = (await (await as(jc, '/v1/mailbox')).json()) as { items: { id: string }[] };
    expect(listed.items.map((m) => m.id)).not.toContain(id);
    expect(await (await as(jc, `/v1/mailbox/${id}`)).json()).toMatchObject({
      code: 'consent_revoked',
    });
    expect(auditOf('exchange.withheld')).toEqual([
      expect.objectContaining({ exchangeId: id, reasons: ['consent_revoked'] }),
    ]);
    // The person's access report and history tell what became of the message, not only that
    // it was sent.
    const dpo = await addPrincipal(deps, { tenantId: 'koeln', id: 'dsb-koeln', kind: 'dpo' });
    const report = (await (
      await as(dpo, '/v1/subjects/access-report', {
        method: 'POST',
        body: JSON.stringify({ subject: SUBJECT }),
      })
    ).json()) as { exchanges: { exchangeId: string; event: string }[] };
    expect(report.exchanges.filter((e) => e.exchangeId === id).map((e) => e.event)).toEqual([
      'exchange.accepted',
      'exchange.withheld',
    ]);
    const history = (await (
      await gw.app.request('/v1/portal/history', { headers: { Cookie: cookie } })
    ).json()) as { items: { event: string; exchangeId?: string }[] };
    expect(history.items.filter((e) => e.exchangeId === id).map((e) => e.event)).toEqual([
      'exchange.accepted',
      'exchange.withheld',
    ]);
  });

  it('hands out no ciphertext when a revocation withholds the message between the consent check and the delivery', async () => {
    const { withholdMessagesOf } = await import('../exchange/index.ts');
    const id = await acceptedId(await send());
    const store = gw.storage.consents;
    const consentOf = store.consent.bind(store);
    // The fetch reads the consent while it is still active; the revocation lands right after.
    const spy = vi.spyOn(store, 'consent').mockImplementationOnce(async (tenantId, which) => {
      const found = await consentOf(tenantId, which);
      await endConsent(consentId, 'revoked');
      expect(
        await withholdMessagesOf(await withholdDeps(), 'koeln', consentId, 'consent_revoked'),
      ).toBe(1);
      return found;
    });
    const res = await as(jc, `/v1/mailbox/${id}`);
    spy.mockRestore();
    expect(res.status).toBe(410);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ code: 'consent_revoked' });
    expect(body).not.toContain('ciphertext');
    expect(messageRow(id)).toEqual({
      state: 'withheld',
      gone: 1,
      withheld_reason: 'consent_revoked',
    });
    expect(auditOf('exchange.delivered')).toEqual([]);
  });

  it('never delivers a message after a revocation that races many fetches withheld it', async () => {
    const id = await acceptedId(await send());
    const fetches = Array.from({ length: 20 }, () => as(jc, `/v1/mailbox/${id}`));
    const revoked = gw.app.request(`/v1/portal/consents/${consentId}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    const answers = await Promise.all(fetches);
    expect((await revoked).status).toBe(200);
    expect(answers.every((r) => r.status === 200 || r.status === 410)).toBe(true);
    const delivered = auditOf('exchange.delivered').length;
    // Every 200 is a delivery audited before the withholding, never after it.
    expect(answers.filter((r) => r.status === 200)).toHaveLength(delivered);
    const events = gw.storage.db
      .prepare("SELECT event FROM audit_entries WHERE event LIKE 'exchange.%' ORDER BY seq")
      .pluck()
      .all() as string[];
    expect(events.lastIndexOf('exchange.delivered')).toBeLessThan(
      events.indexOf('exchange.withheld'),
    );
    expect(messageRow(id)).toMatchObject({ state: 'withheld', gone: 1 });
  });

  it('acknowledges idempotently: a repeat answers 204 and audits nothing more; another agency still 404', async () => {
    const id = await acceptedId(await send());
    expect((await as(jc, `/v1/mailbox/${id}`)).status).toBe(200);
    const acks = await Promise.all(
      [1, 2, 3].map(() => as(jc, `/v1/mailbox/${id}/ack`, { method: 'POST' })),
    );
    expect(acks.map((r) => r.status)).toEqual([204, 204, 204]);
    expect((await as(jc, `/v1/mailbox/${id}/ack`, { method: 'POST' })).status).toBe(204);
    expect(auditOf('exchange.acknowledged')).toHaveLength(1);
    const theirs = await as(so, `/v1/mailbox/${id}/ack`, { method: 'POST' });
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toMatchObject({ code: 'not_found' });
    // The message itself stays gone.
    expect((await as(jc, `/v1/mailbox/${id}`)).status).toBe(404);
    expect((await as(jc, '/v1/mailbox/ex_nothing/ack', { method: 'POST' })).status).toBe(404);
  });

  it("decides a fetch by the message's own consent, even when another consent covers the flow", async () => {
    const id = await acceptedId(await send());
    // The same person grants the same flow a second time; then the first consent ends.
    await grantedConsent(jc, SUBJECT);
    await endConsent(consentId, 'revoked');
    const res = await as(jc, `/v1/mailbox/${id}`);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ code: 'consent_revoked' });
  });

  it('erasure leaves no pseudonym and no ciphertext in the mailbox', async () => {
    const acknowledged = await acceptedId(await send());
    expect((await as(jc, `/v1/mailbox/${acknowledged}`)).status).toBe(200);
    expect((await as(jc, `/v1/mailbox/${acknowledged}/ack`, { method: 'POST' })).status).toBe(204);
    const waiting = await acceptedId(await send());
    // The consent expires; erasure comes before the sweep has withheld the waiting message.
    gw.clock.advance(200 * DAY);
    const dpo = await addPrincipal(deps, { tenantId: 'koeln', id: 'dsb-koeln', kind: 'dpo' });
    const erased = await as(dpo, '/v1/subjects/erasure', {
      method: 'POST',
      body: JSON.stringify({ subject: SUBJECT }),
    });
    expect(erased.status).toBe(204);
    const rows = gw.storage.db
      .prepare('SELECT id, subject, state, ciphertext IS NULL AS gone FROM mailbox_messages')
      .all();
    expect(rows).toEqual(
      expect.arrayContaining([
        { id: acknowledged, subject: '', state: 'acknowledged', gone: 1 },
        { id: waiting, subject: '', state: 'withheld', gone: 1 },
      ]),
    );
    expect((await as(jc, `/v1/mailbox/${waiting}`)).status).toBe(410);
  });

  it('sweeps messages whose consent passed its end or was recorded expired, as consent_expired', async () => {
    const { withholdEndedConsents } = await import('../exchange/index.ts');
    const deps = await withholdDeps();
    const first = await acceptedId(await send());
    const { consentId: secondConsent } = await grantedConsent(jc, SUBJECT_2);
    const second = await acceptedId(await send(notice(), {}, abh, 'jc-koeln', SUBJECT_2));
    expect(await withholdEndedConsents(deps)).toBe(0);
    expect(messageRow(first)).toMatchObject({ state: 'queued', gone: 0 });

    gw.clock.advance(200 * DAY);
    // The first consent is still `active` past its validUntil; the second has its `expired` version.
    await endConsent(secondConsent, 'expired');
    expect(await withholdEndedConsents(deps)).toBe(2);
    for (const id of [first, second]) {
      expect(messageRow(id)).toEqual({
        state: 'withheld',
        gone: 1,
        withheld_reason: 'consent_expired',
      });
    }
    const withheld = auditOf('exchange.withheld');
    expect(withheld.map((e) => e['exchangeId']).sort()).toEqual([first, second].sort());
    for (const entry of withheld)
      expect(entry).toMatchObject({ actor: 'system', reasons: ['consent_expired'] });
    const fetched = await as(jc, `/v1/mailbox/${first}`);
    expect(fetched.status).toBe(410);
    expect(await fetched.json()).toMatchObject({ code: 'consent_expired' });
    expect(await withholdEndedConsents(deps)).toBe(0);
  });

  it('sweeps messages whose consent was revoked but not yet withheld, as consent_revoked', async () => {
    const { withholdEndedConsents } = await import('../exchange/index.ts');
    const id = await acceptedId(await send());
    await grantedConsent(jc, SUBJECT_2);
    const stays = await acceptedId(await send(notice(), {}, abh, 'jc-koeln', SUBJECT_2));
    await endConsent(consentId, 'revoked');
    expect(await withholdEndedConsents(await withholdDeps())).toBe(1);
    expect(messageRow(id)).toEqual({
      state: 'withheld',
      gone: 1,
      withheld_reason: 'consent_revoked',
    });
    expect(messageRow(stays)).toMatchObject({ state: 'queued', gone: 0 });
    const fetched = await as(jc, `/v1/mailbox/${id}`);
    expect(fetched.status).toBe(410);
    expect(await fetched.json()).toMatchObject({ code: 'consent_revoked' });
  });
});

describe('mailbox paging', () => {
  it('continues after (receivedAt, id), so messages received in the same millisecond are neither skipped nor repeated', async () => {
    // The clock is frozen: all five arrive at the same instant.
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await acceptedId(await send()));
    const seen: string[] = [];
    let pages = 0;
    let cursor: string | undefined;
    do {
      const res = await as(
        jc,
        `/v1/mailbox?limit=2${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      expect(res.status, await res.clone().text()).toBe(200);
      const page = (await res.json()) as { items: { id: string }[]; nextCursor?: string };
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual([...ids].sort());

    // A cursor from before (receivedAt alone) still reads: it may repeat, it never skips.
    const old = await as(
      jc,
      `/v1/mailbox?cursor=${encodeURIComponent(gw.clock.now().toISOString())}`,
    );
    expect(((await old.json()) as { items: unknown[] }).items).toHaveLength(5);
    const bad = await as(jc, '/v1/mailbox?cursor=yesterday');
    expect(await bad.json()).toMatchObject({ code: 'validation_failed' });
  });
});

describe('recipient certificates', () => {
  it('encrypts only to a certificate valid now, and refuses (audited) when the recipient has none', async () => {
    const { issueCertificate, keyContext, parseCertificate, registerWithCsr, unwrapPrivateKey } =
      await import('../certs/index.ts');
    const { keyAndCsr } = await import('./support/pki.ts');
    // A Jobcenter system whose first certificate lives one day.
    const first = await keyAndCsr('P-256', 'jc-kurz');
    const firstCert = await registerWithCsr(deps, {
      tenantId: 'koeln',
      id: 'jc-kurz',
      kind: 'agency',
      agencyType: 'jobcenter',
      csrPem: first.csrPem,
      validityDays: 1,
    });
    const asFirst: TestPrincipal = {
      tenantId: 'koeln',
      id: 'jc-kurz',
      kind: 'agency',
      certificatePem: firstCert.pem,
      fingerprint: firstCert.fingerprint,
      serial: firstCert.serial,
      privateKey: first.keys.privateKey,
      alg: first.alg,
    };
    await grantedConsent(asFirst, SUBJECT_2);
    gw.clock.advance(2 * DAY);

    const refused = await send(notice(), {}, abh, 'jc-kurz', SUBJECT_2);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'conflict' });
    expect(auditOf('exchange.refused')).toEqual([
      expect.objectContaining({
        recipient: 'jc-kurz',
        reasons: ['recipient_certificate_invalid'],
      }),
    ]);
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM mailbox_messages').pluck().get()).toBe(0);

    // It renews with a new key: the gateway encrypts to that one, not to the expired one.
    const renewal = await keyAndCsr('P-256', 'jc-kurz');
    const [caKey] = await gw.storage.pki.keys('koeln', 'ca');
    if (!caKey) throw new Error('no CA');
    const issued = await issueCertificate({
      ca: {
        certificate: parseCertificate(caKey.publicMaterial),
        privateKey: await unwrapPrivateKey(
          gw.masterKey,
          caKey.wrappedPrivate,
          keyContext('koeln', 'ca', caKey.kid),
          { name: 'ECDSA', namedCurve: 'P-256' },
          ['sign'],
        ),
      },
      csrPem: renewal.csrPem,
      tenantId: 'koeln',
      kind: 'agency',
      principalId: 'jc-kurz',
      clock: gw.clock,
    });
    await gw.storage.pki.addCertificate({
      fingerprint: issued.fingerprint,
      tenantId: 'koeln',
      principalId: 'jc-kurz',
      serial: issued.serial,
      issuerFingerprint: caKey.kid,
      certificatePem: issued.pem,
      notBefore: issued.notBefore.toISOString(),
      notAfter: issued.notAfter.toISOString(),
      issuedByGateway: true,
      createdAt: gw.clock.now().toISOString(),
      revokedAt: null,
    });
    const renewed: TestPrincipal = {
      ...asFirst,
      certificatePem: issued.pem,
      fingerprint: issued.fingerprint,
      serial: issued.serial,
      privateKey: renewal.keys.privateKey,
    };
    const id = await acceptedId(await send(notice(), {}, abh, 'jc-kurz', SUBJECT_2));
    const fetched = (await (await as(renewed, `/v1/mailbox/${id}`)).json()) as {
      ciphertext: string;
    };
    const { message } = await open(fetched.ciphertext, renewed);
    expect(message).toEqual(notice());
  });
});

describe('the OpenAPI document', () => {
  it('names every refusal of a send and the 410 of an acknowledgement', async () => {
    const doc = (await (await gw.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    const send = doc.paths['/v1/exchanges']?.['post']?.responses ?? {};
    for (const code of ['forbidden', 'consent_missing', 'policy_denied'])
      expect(send['403']?.description).toContain(`\`${code}\``);
    expect(send['403']?.description).toContain('never answers `consent_revoked`');
    expect(send['410']).toBeUndefined();
    for (const code of ['fields_not_covered', 'validation_failed'])
      expect(send['422']?.description).toContain(`\`${code}\``);
    expect(send['409']?.description).toContain('`conflict`');
    const ack = doc.paths['/v1/mailbox/{id}/ack']?.['post']?.responses ?? {};
    expect(ack['410']?.description).toContain('`consent_revoked`');
    expect(ack['410']?.description).toContain('`consent_expired`');
  });
});

describe('a JOSE engine that cannot work', () => {
  it('fails the send with 500, never as a refusal of the sender, and writes no message', async () => {
    const real = joseEngine();
    let calls = 0;
    // The first verification is the client assertion's; the second, the sender's JWS, fails as
    // it would if the engine's thread stopped.
    useJoseEngine({
      ...real,
      verify: (jws, key, alg) =>
        ++calls === 2
          ? Promise.reject(new JoseEngineFailed('the JOSE thread stopped'))
          : real.verify(jws, key, alg),
    });
    try {
      const res = await send();
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ code: 'internal_error' });
    } finally {
      useJoseEngine(real);
    }
    const events = gw.storage.db
      .prepare("SELECT event FROM audit_entries WHERE event LIKE 'exchange.%'")
      .pluck()
      .all();
    expect(events).toEqual([]);
    expect(gw.storage.db.prepare('SELECT count(*) FROM mailbox_messages').pluck().get()).toBe(0);
  });
});
