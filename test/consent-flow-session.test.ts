import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testGateway, type TestGateway } from './support/app.ts';
import { askCanaryConsent, canaryRequestBody, consentFlowWorld } from './support/consent-flow.ts';
import { declineAs, portalClient } from './support/person.ts';
import { addPrincipal, assertionFor, pkiDeps, provisionedTenant } from './support/pki.ts';
import type { KoelnWorld } from './support/world.ts';

/**
 * The person's one-time code and portal session through HTTP: wrong codes and second factors
 * answered alike, the lock after five, the throttle per address (also against 100 guesses at
 * once), the code spent by the decision and expired after 14 days, the withdrawal code instead,
 * the idle timeout, sign-out, the `__Host-` cookie over TLS and the origin check.
 */
let world: KoelnWorld;
let gw: TestGateway;

beforeEach(async () => {
  world = await consentFlowWorld();
  ({ gw } = world);
});
afterEach(() => {
  world.close();
});

const requestBody = canaryRequestBody;
const askConsent = (overrides?: Record<string, unknown>) => askCanaryConsent(world, overrides);
/** A browser-like person: keeps the session cookie between calls. */
const person = () => portalClient(gw.app);

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
    await declineAs(p, created);
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
