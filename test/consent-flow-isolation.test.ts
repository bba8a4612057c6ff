import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PkiDeps } from '../certs/index.ts';
import type { TestGateway } from './support/app.ts';
import {
  askCanaryConsent,
  CANARY,
  canaryRequestBody,
  consentFlowWorld,
} from './support/consent-flow.ts';
import { portalClient } from './support/person.ts';
import { addPrincipal, provisionedTenant, type TestPrincipal } from './support/pki.ts';
import type { KoelnWorld } from './support/world.ts';

/**
 * Where the consent flow holds its bounds: consent requests it refuses (invalid fields, an office
 * that is no party, a DPO, no client assertion), one person's session never reaching another's
 * request or consent, tenants kept apart, and no identifier, code or birth date in clear in the
 * database file or the logs.
 */
let world: KoelnWorld;
let gw: TestGateway;
let deps: PkiDeps;
let jc: TestPrincipal;
let so: TestPrincipal;
let asAgency: KoelnWorld['as'];

beforeEach(async () => {
  world = await consentFlowWorld();
  ({ gw, deps, jc, so, as: asAgency } = world);
});
afterEach(() => {
  world.close();
});

const requestBody = canaryRequestBody;
const askConsent = (overrides?: Record<string, unknown>) => askCanaryConsent(world, overrides);
/** A browser-like person: keeps the session cookie between calls. */
const person = () => portalClient(gw.app);

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
