import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PkiDeps } from '../certs/index.ts';
import { AuditLog } from '../audit/index.ts';
import { decideConsent } from '../consent/index.ts';
import { testGateway, type TestGateway } from './support/app.ts';
import { consentRequestBody } from './support/flows.ts';
import {
  addPrincipal,
  assertionFor,
  pkiDeps,
  provisionedTenant,
  type TestPrincipal,
} from './support/pki.ts';
import { AUD, koelnWorld, type KoelnWorld } from './support/world.ts';

const CANARY = '908170000017';
let world: KoelnWorld;
let gw: TestGateway;
let deps: PkiDeps;
let abh: TestPrincipal;
let jc: TestPrincipal;
let so: TestPrincipal;
let asAgency: KoelnWorld['as'];

beforeEach(async () => {
  // One test sends 100 sign-ins at once to show the throttle alone holds: above the default bound
  // of requests in flight, which would answer some of them 503 `overloaded` first.
  world = await koelnWorld({ dpo: false, maxInflight: 128 });
  ({ gw, deps, abh, jc, so, as: asAgency } = world);
});
afterEach(() => {
  world.close();
});

const requestBody = (overrides: Record<string, unknown> = {}) =>
  consentRequestBody(
    { scheme: 'azr', value: CANARY },
    { validUntil: '2027-11-25T00:00:00Z', ...overrides },
  );

async function askConsent(overrides: Record<string, unknown> = {}, by = jc) {
  const res = await asAgency(by, '/v1/consent-requests', {
    method: 'POST',
    body: requestBody(overrides),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; code: string; portalUrl: string; expiresAt: string };
}

/** A browser-like person: keeps the session cookie between calls. */
function person() {
  let cookie = '';
  const call = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set('Cookie', cookie);
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    const res = await gw.app.request(path, { ...init, headers });
    const set = res.headers.get('Set-Cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    return res;
  };
  return {
    call,
    signIn: (code: string, secondFactor = '1990-01-31') =>
      call('/v1/portal/session', { method: 'POST', body: JSON.stringify({ code, secondFactor }) }),
    get cookie() {
      return cookie;
    },
  };
}

/** The exchange's consent question for the (one) granted person: abh-koeln → jc-koeln. */
function checkQuestion() {
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
async function consentCheck(question: ReturnType<typeof checkQuestion>) {
  const consents = await gw.storage.consents.consentsFor(
    question.tenantId,
    question.subject,
    question.purpose,
  );
  return decideConsent(consents, question, gw.clock.now());
}

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
    expect(setCookie).not.toMatch(/Secure/); // plain http here; the TLS case is tested below
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
    await p.signIn(created.code);
    expect(
      (await p.call(`/v1/portal/requests/${created.id}/decline`, { method: 'POST' })).status,
    ).toBe(204);
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

describe('consent requests that are refused', () => {
  it.each([
    ['an unknown agency', { recipients: ['nobody'] }, '/recipients/0'],
    ['an unknown purpose', { purpose: 'curiosity' }, '/purpose'],
    ['an unknown category', { categories: ['shoe_size'] }, '/categories/0'],
    ['a past end', { validUntil: '2020-01-01T00:00:00Z' }, '/validUntil'],
    ['an end more than two years away', { validUntil: '2030-01-01T00:00:00Z' }, '/validUntil'],
    ['an unknown language', { language: 'xx' }, '/language'],
    [
      'a second factor that is no date',
      { secondFactor: { type: 'birthDate', value: '31.01.1990' } },
      '/secondFactor/value',
    ],
    ['an extra field', { note: 'x' }, ''],
  ])('refuses %s with 422 validation_failed', async (_name, overrides, path) => {
    const res = await asAgency(jc, '/v1/consent-requests', {
      method: 'POST',
      body: requestBody(overrides),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e) => e.path)).toContain(path);
    expect(JSON.stringify(body)).not.toContain(CANARY);
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM consent_requests').pluck().get()).toBe(0);
  });

  it('refuses a request by an agency that is neither sender nor recipient', async () => {
    const res = await asAgency(so, '/v1/consent-requests', {
      method: 'POST',
      body: requestBody(),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ errors: [{ path: '/senders' }] });
  });

  it('refuses a DPO or an unauthenticated caller', async () => {
    const dpo = await addPrincipal(deps, { tenantId: 'koeln', id: 'dsb-koeln', kind: 'dpo' });
    expect(
      (
        await asAgency(dpo, '/v1/consent-requests', {
          method: 'POST',
          body: requestBody(),
        })
      ).status,
    ).toBe(403);
    const res = await gw.app.request('/v1/consent-requests', {
      method: 'POST',
      body: requestBody(),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(401);
  });
});

describe('the one-time code and the session', () => {
  it('answers a wrong code and a wrong second factor alike, and locks after five wrong second factors', async () => {
    const created = await askConsent();
    const p = person();
    const wrongCode = await p.signIn('AAAA-BBBB-CCCC');
    expect(wrongCode.status).toBe(401);
    const wrongFactor = await p.signIn(created.code, '1991-01-31');
    expect(wrongFactor.status).toBe(401);
    expect(((await wrongCode.json()) as { detail: string }).detail).toBe(
      ((await wrongFactor.json()) as { detail: string }).detail,
    );
    for (let i = 2; i <= 4; i++)
      expect((await p.signIn(created.code, '1991-01-31')).status).toBe(401);
    const fifth = await p.signIn(created.code, '1991-01-31');
    expect(fifth.status).toBe(403);
    expect(await fifth.json()).toMatchObject({ code: 'code_locked' });
    // Locked even for the right second factor now.
    expect(await (await p.signIn(created.code)).json()).toMatchObject({ code: 'code_locked' });
  });

  it('checks at most five second factors even when the guesses arrive all at once', async () => {
    const created = await askConsent();
    const factors = Array.from(
      { length: 39 },
      (_, i) => `1970-01-${String((i % 28) + 1).padStart(2, '0')}`,
    );
    factors.splice(20, 0, '1990-01-31');
    const statuses = await Promise.all(
      factors.map(async (factor) => (await person().signIn(created.code, factor)).status),
    );
    // Wrong guesses that were compared answer 401 (the fifth already 403): never more than four.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
    expect(statuses.every((s) => [201, 401, 403, 429].includes(s))).toBe(true);
    const counted = gw.storage.db
      .prepare('SELECT COUNT(*) FROM code_attempts WHERE request_id = ?')
      .pluck()
      .get(created.id);
    expect(counted).toBeLessThanOrEqual(5);
  });

  it('throttles failed sign-ins per address: the eleventh in 15 minutes waits, even with the right code', async () => {
    const created = await askConsent();
    for (let i = 0; i < 10; i++) expect((await person().signIn('AAAA-BBBB-CCCC')).status).toBe(401);
    const throttled = await person().signIn(created.code);
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(throttled.headers.get('Retry-After'))).toBeGreaterThan(0);
    gw.clock.advance(15 * 60_000);
    expect((await person().signIn(created.code)).status).toBe(201);
  });

  it('lets at most the limit of 100 parallel wrong sign-ins from one address reach the code check', async () => {
    const created = await askConsent();
    const wrong = Array.from({ length: 100 }, (_, i) =>
      i % 2 === 0
        ? person().signIn('AAAA-BBBB-CCCC')
        : person().signIn(created.code, `1970-01-${String((i % 28) + 1).padStart(2, '0')}`),
    );
    const answers = await Promise.all(
      wrong.map(async (res) => {
        const r = await res;
        return { status: r.status, code: ((await r.json()) as { code: string }).code };
      }),
    );
    const checked = answers.filter((a) => a.status !== 429);
    expect(checked.length).toBeLessThanOrEqual(10);
    expect(answers.filter((a) => a.status === 429).every((a) => a.code === 'rate_limited')).toBe(
      true,
    );
    expect(checked.every((a) => [401, 403].includes(a.status))).toBe(true);
    // The right code waits too: the address spent its budget on wrong attempts.
    expect((await person().signIn(created.code)).status).toBe(429);
  });

  it('spends the code on the decision: later it answers 410 code_used, and the withdrawal code opens the consent instead', async () => {
    const created = await askConsent({ validUntil: '2027-11-25T00:00:00Z' });
    const first = person();
    await first.signIn(created.code);
    const granted = await first.call(`/v1/portal/requests/${created.id}/grant`, { method: 'POST' });
    const { consent, withdrawalCode } = (await granted.json()) as {
      consent: { id: string };
      withdrawalCode: string;
    };
    // The session that decided goes on (the person may still want the receipt) …
    expect((await first.call('/v1/portal/consents')).status).toBe(200);
    // … but the code, which the office knows too, opens nothing any more.
    const again = await person().signIn(created.code);
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ code: 'code_used' });
    gw.clock.advance(200 * 86_400_000); // long past the code's 14 days
    const later = person();
    const opened = await later.call('/v1/portal/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ withdrawalCode }),
    });
    expect(opened.status).toBe(201);
    const revoked = await later.call(`/v1/portal/consents/${consent.id}/revoke`, {
      method: 'POST',
    });
    expect(revoked.status).toBe(200);
  });

  it('spends the code on a decline too', async () => {
    const created = await askConsent();
    const p = person();
    await p.signIn(created.code);
    expect(
      (await p.call(`/v1/portal/requests/${created.id}/decline`, { method: 'POST' })).status,
    ).toBe(204);
    expect(await (await person().signIn(created.code)).json()).toMatchObject({
      code: 'code_used',
    });
  });

  it('expires the code after 14 days and records the request as expired', async () => {
    const created = await askConsent();
    gw.clock.advance(14 * 86_400_000 + 1000);
    const res = await person().signIn(created.code);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ code: 'code_expired' });
    const states = gw.storage.db
      .prepare('SELECT state FROM consent_versions ORDER BY seq')
      .pluck()
      .all();
    expect(states).toEqual(['pending', 'expired']);
  });

  it('ends a session after 30 minutes without use, and keeps it alive while used', async () => {
    const created = await askConsent();
    const p = person();
    await p.signIn(created.code);
    for (let i = 0; i < 3; i++) {
      gw.clock.advance(20 * 60_000);
      expect((await p.call('/v1/portal/consents')).status).toBe(200);
    }
    gw.clock.advance(31 * 60_000);
    const res = await p.call('/v1/portal/consents');
    expect(res.status).toBe(401);
  });

  it('signs out', async () => {
    const created = await askConsent();
    const p = person();
    await p.signIn(created.code);
    expect((await p.call('/v1/portal/session', { method: 'DELETE' })).status).toBe(204);
    expect((await p.call('/v1/portal/consents')).status).toBe(401);
  });

  it('sets a Secure __Host- cookie when the gateway is reached over TLS', async () => {
    const tls = await testGateway({ publicUrl: 'https://gateway.koeln.example' });
    try {
      const d = await pkiDeps(tls.storage, tls.clock, tls.masterKey);
      await provisionedTenant(d, 'koeln');
      const a = await addPrincipal(d, {
        tenantId: 'koeln',
        id: 'jc-koeln',
        kind: 'agency',
        agencyType: 'jobcenter',
      });
      await addPrincipal(d, {
        tenantId: 'koeln',
        id: 'abh-koeln',
        kind: 'agency',
        agencyType: 'immigration_office',
      });
      const token = await assertionFor(a, {
        audience: 'https://gateway.koeln.example',
        now: tls.clock.now(),
      });
      const created = (await (
        await tls.app.request('/v1/consent-requests', {
          method: 'POST',
          body: requestBody(),
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        })
      ).json()) as { code: string };
      const res = await tls.app.request('/v1/portal/session', {
        method: 'POST',
        body: JSON.stringify({ code: created.code, secondFactor: '1990-01-31' }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.headers.get('Set-Cookie')).toMatch(
        /^__Host-cg_session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
      );
    } finally {
      tls.close();
    }
  });

  it('refuses a state change from another origin', async () => {
    const created = await askConsent();
    const p = person();
    await p.signIn(created.code);
    const res = await p.call(`/v1/portal/requests/${created.id}/grant`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM consents').pluck().get()).toBe(0);
  });
});

describe('isolation', () => {
  it("never lets one person's session reach another person's request or consent", async () => {
    const mine = await askConsent();
    const theirs = await askConsent({ subject: { scheme: 'azr', value: '100000000002' } });
    const me = person();
    await me.signIn(mine.code);
    const them = person();
    await them.signIn(theirs.code);
    const their = (await (
      await them.call(`/v1/portal/requests/${theirs.id}/grant`, { method: 'POST' })
    ).json()) as {
      consent: { id: string };
    };
    expect((await me.call(`/v1/portal/requests/${theirs.id}`)).status).toBe(404);
    expect(
      (await me.call(`/v1/portal/requests/${theirs.id}/grant`, { method: 'POST' })).status,
    ).toBe(404);
    expect(
      (await me.call(`/v1/portal/consents/${their.consent.id}/revoke`, { method: 'POST' })).status,
    ).toBe(404);
    expect(await (await me.call('/v1/portal/consents')).json()).toEqual({ items: [] });
    // A 404 for someone else's id is exactly the 404 for an id that does not exist.
    const missing = (await (await me.call('/v1/portal/requests/cr_doesnotexist')).json()) as Record<
      string,
      unknown
    >;
    const foreign = (await (await me.call(`/v1/portal/requests/${theirs.id}`)).json()) as Record<
      string,
      unknown
    >;
    expect({ ...foreign, requestId: '' }).toEqual({ ...missing, requestId: '' });
  });

  it('keeps tenants apart: the same identifier is another person in another tenant', async () => {
    await provisionedTenant(deps, 'dortmund');
    const dj = await addPrincipal(deps, {
      tenantId: 'dortmund',
      id: 'jc-dortmund',
      kind: 'agency',
      agencyType: 'jobcenter',
    });
    await addPrincipal(deps, {
      tenantId: 'dortmund',
      id: 'abh-dortmund',
      kind: 'agency',
      agencyType: 'immigration_office',
    });
    const koeln = await askConsent();
    const p = person();
    await p.signIn(koeln.code);
    await p.call(`/v1/portal/requests/${koeln.id}/grant`, { method: 'POST' });
    const query = `/v1/consents?subject.scheme=azr&subject.value=${CANARY}`;
    expect(await (await asAgency(dj, query)).json()).toEqual({ items: [] });
    // A Köln agency id named in a Dortmund request is unknown there.
    const res = await asAgency(dj, '/v1/consent-requests', {
      method: 'POST',
      body: requestBody({ senders: ['abh-koeln'], recipients: ['jc-dortmund'] }),
    });
    expect(res.status).toBe(422);
    const pseudonyms = gw.storage.db.prepare('SELECT tenant_id, pseudonym FROM subjects').all() as {
      pseudonym: string;
    }[];
    expect(new Set(pseudonyms.map((s) => s.pseudonym)).size).toBe(pseudonyms.length);
  });
});

describe('privacy at rest', () => {
  it('keeps no identifier, code or birth date in clear in the database file', async () => {
    const created = await askConsent();
    const p = person();
    await p.signIn(created.code);
    await p.call(`/v1/portal/requests/${created.id}/grant`, { method: 'POST' });
    gw.storage.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = ['gateway.db', 'gateway.db-wal']
      .map((f) => join(gw.dataDir, f))
      .filter((f) => existsSync(f));
    const bytes = files.map((f) => readFileSync(f).toString('latin1')).join('');
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of [
      CANARY,
      CANARY.toUpperCase(),
      created.code,
      created.code.replaceAll('-', ''),
      '1990-01-31',
    ]) {
      expect(bytes.includes(secret), secret).toBe(false);
    }
    expect(gw.logs.text).not.toMatch(new RegExp(`${CANARY}|${created.code}|1990-01-31`));
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
    const granted = await askConsent({ validUntil: '2026-12-01T00:00:00Z' });
    const p = person();
    await p.signIn(granted.code);
    await p.call(`/v1/portal/requests/${granted.id}/grant`, { method: 'POST' });
    const unanswered = await askConsent();
    expect(
      await expireDue({
        consents: gw.storage.consents,
        clock: gw.clock,
        audit: new AuditLog(gw.storage.audit, gw.clock),
      }),
    ).toBe(0);

    gw.clock.advance(15 * 86_400_000);
    // The check refuses by the clock alone, before any sweep ran.
    expect(await consentCheck(checkQuestion())).toMatchObject({
      covered: false,
      reasons: [{ code: 'consent_expired' }],
    });

    expect(
      await expireDue({
        consents: gw.storage.consents,
        clock: gw.clock,
        audit: new AuditLog(gw.storage.audit, gw.clock),
      }),
    ).toBe(2);
    expect(
      await expireDue({
        consents: gw.storage.consents,
        clock: gw.clock,
        audit: new AuditLog(gw.storage.audit, gw.clock),
      }),
    ).toBe(0);
    const events = (await (await asAgency(jc, '/v1/consent-events')).json()) as {
      items: { type: string; id: string; actor: string }[];
    };
    expect(events.items.filter((e) => e.type.endsWith('.expired'))).toEqual([
      expect.objectContaining({ type: 'consent.expired', actor: 'system' }),
      expect.objectContaining({ type: 'request.expired', id: unanswered.id, actor: 'system' }),
    ]);
  });
});
