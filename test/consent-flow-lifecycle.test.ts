import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/index.ts';
import type { TestGateway } from './support/app.ts';
import type { ConsentQuestion } from './support/consents.ts';
import {
  askCanaryConsent,
  CANARY,
  consentCheckAt,
  consentFlowWorld,
  grantedPersonQuestion,
} from './support/consent-flow.ts';
import { declineAs, portalClient } from './support/person.ts';
import type { TestPrincipal } from './support/pki.ts';
import { AUD, type KoelnWorld } from './support/world.ts';

/**
 * A consent's life through HTTP on real SQLite: an office asks, the person signs in with the code,
 * reads and grants with a signed receipt (verified here and by python3-jwcrypto), lists and
 * revokes; the exchange's consent check follows each change at once, also when a revoke races
 * it; agencies see the consents and events that name them; a decline and a health consent's
 * assurance; expiry by the clock. The code and the session are in consent-flow-session.test.ts,
 * refusals, isolation and privacy at rest in consent-flow-isolation.test.ts.
 */
let world: KoelnWorld;
let gw: TestGateway;
let abh: TestPrincipal;
let jc: TestPrincipal;
let so: TestPrincipal;
let asAgency: KoelnWorld['as'];

beforeEach(async () => {
  world = await consentFlowWorld();
  ({ gw, abh, jc, so, as: asAgency } = world);
});
afterEach(() => {
  world.close();
});

const askConsent = (overrides?: Record<string, unknown>, by?: TestPrincipal) =>
  askCanaryConsent(world, overrides, by);
/** A browser-like person: keeps the session cookie between calls. */
const person = () => portalClient(gw.app);
const checkQuestion = () => grantedPersonQuestion(gw);
const consentCheck = (question: ConsentQuestion) => consentCheckAt(gw, question);

async function jwks() {
  return createLocalJWKSet(
    (await (await gw.app.request('/.well-known/jwks.json')).json()) as { keys: [] },
  );
}

describe('the consent lifecycle through HTTP', () => {
  it('request → sign-in → read → grant with a receipt → list → revoke → check refuses', async () => {
    const created = await askConsent();
    expect(created.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(created.portalUrl).toBe(`${AUD}/portal/sign-in?code=${created.code}&lang=de`);
    expect(created.expiresAt).toBe('2026-12-09T10:00:00.000Z');

    const p = person();
    const session = await p.signIn(created.code.toLowerCase());
    expect(session.status).toBe(201);
    const setCookie = session.headers.get('Set-Cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/); // plain http here; TLS: consent-flow-session.test.ts
    expect(await session.json()).toEqual({
      scope: 'request',
      requestId: created.id,
      assurance: 'low',
    });

    const view = await p.call(`/v1/portal/requests/${created.id}`);
    expect(view.status).toBe(200);
    const request = (await view.json()) as {
      state: string;
      notice: { text: string };
      senders: { name: string }[];
    };
    expect(request.state).toBe('pending');
    expect(request.notice.text).toContain('freiwillig');
    expect(request.senders[0]?.name).toBe('abh-koeln');

    const grant = await p.call(`/v1/portal/requests/${created.id}/grant`, { method: 'POST' });
    expect(grant.status).toBe(200);
    const granted = (await grant.json()) as {
      consent: { id: string; state: string; version: number };
      receipt: string;
    };
    expect(granted.consent).toMatchObject({ state: 'active', version: 1 });

    // The receipt verifies against the published JWKS and says what was agreed.
    const { payload, protectedHeader } = await compactVerify(granted.receipt, await jwks(), {
      algorithms: ['ES256'],
    });
    expect(protectedHeader.typ).toBe('consent-receipt+jwt');
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    expect(claims).toMatchObject({
      record_id: granted.consent.id,
      language: 'de',
      channel: 'portal-code',
      assurance: 'low',
      events: [{ validity_duration: { until: '2027-11-25T00:00:00.000Z' } }],
    });
    expect(JSON.stringify(claims)).not.toContain(CANARY);
    const [purpose] = claims['purposes'] as {
      lawful_basis: { id: string }[];
      withdrawal_method: { method: string; url?: string }[];
    }[];
    expect(purpose?.lawful_basis.map((b) => b.id)).toEqual(['eu-gdpr:A6-1-a']);
    // This gateway has no eID provider: the receipt names the two ways that exist.
    expect(purpose?.withdrawal_method.map((w) => [w.method, w.url])).toEqual([
      ['portal-withdrawal-code', `${AUD}/portal/withdraw`],
      ['office', undefined],
    ]);
    const parties = claims['parties'] as { party_id: string; party_type?: string }[];
    expect(parties.map((party) => [party.party_id, party.party_type])).toEqual([
      ['abh-koeln', 'dpv:DataExporter'],
      ['jc-koeln', 'dpv:Recipient'],
      ['supervisory-authority', undefined],
    ]);

    const mine = (await (await p.call('/v1/portal/consents')).json()) as {
      items: { id: string; state: string }[];
    };
    expect(mine.items.map((c) => [c.id, c.state])).toEqual([[granted.consent.id, 'active']]);

    // The exchange's consent check finds it now ...
    const question = checkQuestion();
    expect(await consentCheck(question)).toMatchObject({
      covered: true,
      consent: { consent: { id: granted.consent.id }, current: { version: 1 } },
    });

    const revoke = await p.call(`/v1/portal/consents/${granted.consent.id}/revoke`, {
      method: 'POST',
    });
    expect(revoke.status).toBe(200);
    expect(await revoke.json()).toMatchObject({ state: 'revoked', version: 2 });
    // ... and refuses it in the very next check, without any waiting.
    expect(await consentCheck(question)).toMatchObject({
      covered: false,
      code: 'consent_missing',
      reasons: [{ code: 'consent_revoked' }],
    });

    // Revoking again is a conflict; the session stays open after a revocation.
    expect(
      (await p.call(`/v1/portal/consents/${granted.consent.id}/revoke`, { method: 'POST' })).status,
    ).toBe(409);
    expect((await p.call('/v1/portal/consents')).status).toBe(200);

    // Every change is a version: nothing was updated in place.
    const versions = gw.storage.db
      .prepare('SELECT kind, version, state, actor FROM consent_versions ORDER BY seq')
      .all();
    expect(versions).toEqual([
      { kind: 'request', version: 1, state: 'pending', actor: 'jc-koeln' },
      { kind: 'request', version: 2, state: 'approved', actor: 'subject' },
      { kind: 'consent', version: 1, state: 'active', actor: 'subject' },
      { kind: 'consent', version: 2, state: 'revoked', actor: 'subject' },
    ]);
  });

  it('a revoke racing exchange checks: no check that starts after the revoke returned passes', async () => {
    const created = await askConsent();
    const p = person();
    await p.signIn(created.code);
    const granted = (await (
      await p.call(`/v1/portal/requests/${created.id}/grant`, { method: 'POST' })
    ).json()) as { consent: { id: string } };
    const question = checkQuestion();
    let revokedAt = Infinity;
    const outcomes: { started: number; passed: boolean }[] = [];
    let tick = 0;
    const revoke = p
      .call(`/v1/portal/consents/${granted.consent.id}/revoke`, { method: 'POST' })
      .then((res) => {
        expect(res.status).toBe(200);
        revokedAt = tick;
      });
    // Checks start one after another while the revoke runs, and keep going after it returned.
    const checks: Promise<void>[] = [];
    // Until 50 checks have started after the revoke returned (bounded, however slow the machine).
    for (let i = 0; i < 100_000 && tick < revokedAt + 50; i++) {
      const started = ++tick;
      checks.push(
        consentCheck(question).then(
          (decision) => void outcomes.push({ started, passed: decision.covered }),
          () => void outcomes.push({ started, passed: false }),
        ),
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([revoke, ...checks]);
    expect(revokedAt).toBeLessThan(Infinity);
    const after = outcomes.filter((o) => o.started > revokedAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((o) => o.passed)).toEqual([]);
  });

  it('lets agencies see the consents that name them, and their state changes', async () => {
    const created = await askConsent();
    const p = person();
    await p.signIn(created.code);
    const grant = (await (
      await p.call(`/v1/portal/requests/${created.id}/grant`, { method: 'POST' })
    ).json()) as {
      consent: { id: string };
    };
    const query = `/v1/consents?subject.scheme=azr&subject.value=${encodeURIComponent(CANARY.toLowerCase())}`;
    const seen = (await (await asAgency(abh, query)).json()) as {
      items: { id: string; state: string }[];
    };
    expect(seen.items).toEqual([
      expect.objectContaining({ id: grant.consent.id, state: 'active', version: 1 }),
    ]);
    // The social office is named nowhere: it sees nothing.
    expect(await (await asAgency(so, query)).json()).toEqual({ items: [] });

    await p.call(`/v1/portal/consents/${grant.consent.id}/revoke`, { method: 'POST' });
    const eventsRes = await asAgency(abh, '/v1/consent-events');
    expect(eventsRes.status, await eventsRes.clone().text()).toBe(200);
    const events = (await eventsRes.json()) as {
      items: { type: string; cursor: string }[];
      nextCursor?: string;
    };
    expect(events.items.map((e) => e.type)).toEqual([
      'request.pending',
      'request.approved',
      'consent.active',
      'consent.revoked',
    ]);
    expect(events.nextCursor).toBeUndefined();
    const page = (await (await asAgency(abh, '/v1/consent-events?limit=2')).json()) as {
      items: { type: string }[];
      nextCursor: string;
    };
    expect(page.items).toHaveLength(2);
    const rest = (await (
      await asAgency(abh, `/v1/consent-events?cursor=${page.nextCursor}`)
    ).json()) as {
      items: { type: string }[];
    };
    expect(rest.items.map((e) => e.type)).toEqual(['consent.active', 'consent.revoked']);
    expect(await (await asAgency(so, '/v1/consent-events')).json()).toEqual({ items: [] });
  });

  it('records a decline as a version and allows no grant after it', async () => {
    const created = await askConsent();
    const p = person();
    await declineAs(p, created);
    expect(
      (await p.call(`/v1/portal/requests/${created.id}/grant`, { method: 'POST' })).status,
    ).toBe(409);
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM consents').pluck().get()).toBe(0);
  });

  it('asks for the ID card before a health consent: a code session gets 403 assurance_insufficient', async () => {
    // The receipt's Art. 9(2)(a) marking is proven in consent/receipt.test.ts and, granted after
    // the ID-card sign-in, in test/eid-browser.test.ts.
    const created = await askConsent(
      {
        senders: ['so-koeln'],
        recipients: ['jc-koeln'],
        categories: ['household', 'health'],
        purpose: 'case_management',
      },
      so,
    );
    const p = person();
    await p.signIn(created.code);
    const res = await p.call(`/v1/portal/requests/${created.id}/grant`, { method: 'POST' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      code: 'assurance_insufficient',
      reasons: [{ code: 'needs_substantial' }],
    });
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM consents').pluck().get()).toBe(0);
  });
});

describe('receipts verify with python3-jwcrypto', () => {
  it('jwcrypto verifies the receipt against the JWKS', async () => {
    const created = await askConsent();
    const p = person();
    await p.signIn(created.code);
    const { receipt } = (await (
      await p.call(`/v1/portal/requests/${created.id}/grant`, { method: 'POST' })
    ).json()) as {
      receipt: string;
    };
    const jwksFile = join(gw.dataDir, 'jwks.json');
    writeFileSync(jwksFile, await (await gw.app.request('/.well-known/jwks.json')).text());
    const kid = decodeProtectedHeader(receipt).kid;
    const script = [
      'import sys, json',
      'from jwcrypto import jwk, jws',
      'keys = jwk.JWKSet.from_json(open(sys.argv[1]).read())',
      'token = jws.JWS()',
      'token.deserialize(sys.stdin.read().strip())',
      'token.verify(keys.get_key(sys.argv[2]), alg="ES256")',
      'print(json.loads(token.payload)["record_id"])',
    ].join('\n');
    const out = execFileSync('/usr/bin/python3', ['-c', script, jwksFile, kid ?? ''], {
      input: receipt,
      encoding: 'utf8',
    });
    const consentId = gw.storage.db.prepare('SELECT id FROM consents').pluck().get();
    expect(out.trim()).toBe(consentId);
  });
});

describe('expiry by time', () => {
  it('records expired versions for ended consents and codes, and tells the agencies', async () => {
    const { expireDue } = await import('../consent/index.ts');
    const sweep = () =>
      expireDue({
        consents: gw.storage.consents,
        clock: gw.clock,
        audit: new AuditLog(gw.storage.audit, gw.clock),
      });
    const granted = await askConsent({ validUntil: '2026-12-01T00:00:00Z' });
    const p = person();
    await p.signIn(granted.code);
    await p.call(`/v1/portal/requests/${granted.id}/grant`, { method: 'POST' });
    const unanswered = await askConsent();
    expect(await sweep()).toBe(0);

    gw.clock.advance(15 * 86_400_000);
    // The check refuses by the clock alone, before any sweep ran.
    expect(await consentCheck(checkQuestion())).toMatchObject({
      covered: false,
      reasons: [{ code: 'consent_expired' }],
    });

    expect(await sweep()).toBe(2);
    expect(await sweep()).toBe(0);
    const events = (await (await asAgency(jc, '/v1/consent-events')).json()) as {
      items: { type: string; id: string; actor: string }[];
    };
    expect(events.items.filter((e) => e.type.endsWith('.expired'))).toEqual([
      expect.objectContaining({ type: 'consent.expired', actor: 'system' }),
      expect.objectContaining({ type: 'request.expired', id: unanswered.id, actor: 'system' }),
    ]);
  });
});
