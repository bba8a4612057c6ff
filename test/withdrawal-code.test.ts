import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from './support/app.ts';
import { formBrowser } from './support/form-browser.ts';
import { portalClient } from './support/person.ts';
import type { TestPrincipal } from './support/pki.ts';
import { AUD, koelnWorld, type KoelnWorld } from './support/world.ts';

/**
 * Issue 11: the withdrawal code the person gets on grant opens that one consent again (withdraw,
 * history, receipt), and an office party to a consent records a revocation the person declared to
 * it. The code is the person's alone: no office, log line or database byte ever holds it in clear.
 */
const AZR = '123456789012';
const BIRTH = '1990-01-31';
const CROCKFORD_GROUPS = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;
let world: KoelnWorld;
let gw: TestGateway;
let abh: TestPrincipal;
let jc: TestPrincipal;
let so: TestPrincipal;
let dpo: TestPrincipal;

beforeEach(async () => {
  world = await koelnWorld();
  ({ gw, abh, jc, so, dpo } = world);
});
afterEach(() => {
  world.close();
});

/** Every answer an office or the DPO got, kept to search for the withdrawal code afterwards. */
let seenByOffices: string[] = [];
beforeEach(() => {
  seenByOffices = [];
});

async function as(p: TestPrincipal, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${await world.assertion(p)}`);
  if (typeof init.body === 'string' && init.body !== '')
    headers.set('Content-Type', 'application/json');
  const res = await gw.app.request(path, { ...init, headers });
  res.headers.forEach((value, name) => seenByOffices.push(`${name}: ${value}`));
  seenByOffices.push(await res.clone().text());
  return res;
}

/** jc-koeln asks abh-koeln → jc-koeln by default; abh-koeln → so-koeln with `toSocialOffice`. */
async function ask(toSocialOffice = false) {
  const flow = toSocialOffice
    ? { by: abh, senders: ['abh-koeln'], recipients: ['so-koeln'], purpose: 'benefit_eligibility' }
    : {
        by: jc,
        senders: ['abh-koeln'],
        recipients: ['jc-koeln'],
        purpose: 'labour_market_integration',
      };
  const res = await as(flow.by, '/v1/consent-requests', {
    method: 'POST',
    body: JSON.stringify({
      subject: { scheme: 'azr', value: AZR },
      senders: flow.senders,
      recipients: flow.recipients,
      purpose: flow.purpose,
      categories: toSocialOffice ? ['identity', 'residence_status'] : ['residence_status'],
      validUntil: '2027-11-25T00:00:00Z',
      language: 'de',
      secondFactor: { type: 'birthDate', value: BIRTH },
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; code: string };
}

/** A JSON client keeping the session cookie. */
const person = () => portalClient(gw.app);

/** The person signs in with the one-time code and grants; answers the consent and its codes. */
async function granted(toSocialOffice = false) {
  const request = await ask(toSocialOffice);
  const p = person();
  expect((await p.session({ code: request.code, secondFactor: BIRTH })).status).toBe(201);
  const res = await p.call(`/v1/portal/requests/${request.id}/grant`, { method: 'POST' });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as {
    consent: { id: string };
    receipt: string;
    withdrawalCode: string;
  };
  return { request, consentId: body.consent.id, receipt: body.receipt, code: body.withdrawalCode };
}

/** A browser without JavaScript, signing in with the birth date the office recorded. */
function browser(origin: string | null = AUD) {
  const b = formBrowser(gw.app, origin);
  return { ...b, signIn: (code: string, secondFactor = BIRTH) => b.signIn(code, secondFactor) };
}

interface PortalConsent {
  id: string;
  state: string;
  revokedThrough?: string;
}
const portalConsents = async (p: ReturnType<typeof person>) =>
  ((await (await p.call('/v1/portal/consents')).json()) as { items: PortalConsent[] }).items;

describe('the withdrawal code', () => {
  it('is answered on grant and signs in, as given, lower-case and without hyphens, to that one consent', async () => {
    const other = await granted(true);
    const mine = await granted();
    expect(mine.code).toMatch(CROCKFORD_GROUPS);
    expect(mine.code).not.toBe(other.code);
    for (const variant of [mine.code, mine.code.toLowerCase(), mine.code.replaceAll('-', '')]) {
      const res = await person().session({ withdrawalCode: variant });
      expect(res.status, variant).toBe(201);
      expect(await res.json()).toEqual({
        scope: 'consent',
        consentId: mine.consentId,
        assurance: 'low',
      });
    }
  });

  it('reaches exactly its consent: list, history, receipt page and receipt.jwt, and revokes it through portal-code', async () => {
    const other = await granted(true);
    const mine = await granted();
    const p = person();
    expect((await p.session({ withdrawalCode: mine.code })).status).toBe(201);

    const listed = await portalConsents(p);
    expect(listed.map((c) => c.id)).toEqual([mine.consentId]);
    expect(listed[0]).toMatchObject({ state: 'active', channel: 'portal-code', assurance: 'low' });

    const history = (await (await p.call('/v1/portal/history')).json()) as {
      items: { event: string; consentId?: string }[];
    };
    expect(history.items).toContainEqual(
      expect.objectContaining({ event: 'consent.granted', consentId: mine.consentId }),
    );
    expect(JSON.stringify(history)).not.toContain(other.consentId);

    const receiptPage = await p.call(`/portal/consents/${mine.consentId}/receipt`);
    expect(receiptPage.status).toBe(200);
    expect(await receiptPage.text()).toContain(mine.consentId);
    const jwt = await p.call(`/portal/consents/${mine.consentId}/receipt.jwt`);
    expect(jwt.status).toBe(200);
    expect(jwt.headers.get('Content-Type')).toBe('application/jwt');
    expect(await jwt.text()).toBe(mine.receipt);
    expect((await p.call(`/portal/consents/${other.consentId}/receipt`)).status).toBe(404);
    const foreign = await p.call(`/v1/portal/consents/${other.consentId}/revoke`, {
      method: 'POST',
    });
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { code: string }).code).toBe('not_found');
    expect((await p.call(`/v1/portal/requests/${mine.request.id}`)).status).toBe(404);

    const revoked = await p.call(`/v1/portal/consents/${mine.consentId}/revoke`, {
      method: 'POST',
    });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({
      id: mine.consentId,
      state: 'revoked',
      revokedThrough: 'portal-code',
    });
    // Revoking does not end the session.
    expect(await portalConsents(p)).toEqual([
      expect.objectContaining({
        id: mine.consentId,
        state: 'revoked',
        revokedThrough: 'portal-code',
      }),
    ]);
  });

  it('refuses a wrong withdrawal code and a one-time code given as one with 401 unauthenticated', async () => {
    await granted();
    const pending = await ask(true);
    for (const withdrawalCode of ['ABCD-EFGH-JKMN-PQRS-TVWX', pending.code, 'nonsense']) {
      const res = await person().session({ withdrawalCode });
      expect(res.status, withdrawalCode).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('unauthenticated');
    }
  });

  it('is shown once on the grant page (200, no redirect) and opens the consent on /portal/withdraw', async () => {
    const request = await ask();
    const b = browser();
    await b.signIn(request.code);
    const page = await (await b.get(`/portal/requests/${request.id}`)).text();
    const res = await b.post(`/portal/requests/${request.id}/grant`, {
      csrf: b.csrfOf(page),
      confirm: 'yes',
      lang: 'de',
      noticeHash: /name="noticeHash" value="([^"]+)"/.exec(page)?.[1] ?? '',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const html = await res.text();
    const code = /[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){4}/.exec(html)?.[0] ?? '';
    expect(code).toMatch(CROCKFORD_GROUPS);
    const consentId = gw.storage.db.prepare('SELECT id FROM consents').pluck().get() as string;

    const later = browser();
    const form = await (await later.get('/portal/withdraw')).text();
    const wrong = await later.post('/portal/withdraw', {
      csrf: later.csrfOf(form),
      withdrawalCode: 'ABCD-EFGH-JKMN-PQRS-TVWX',
    });
    expect(wrong.status).toBe(401);
    const signedIn = await later.post('/portal/withdraw', {
      csrf: later.csrfOf(form),
      withdrawalCode: code,
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe('/portal/consents');
    const consents = await later.get('/portal/consents');
    expect(consents.status).toBe(200);
    expect(await consents.text()).toContain(consentId);
  });

  it('never reaches an office, the DPO, a log line, or the database file in clear', async () => {
    const mine = await granted();
    await ask(true);
    await as(abh, `/v1/consents?subject.scheme=azr&subject.value=${AZR}`);
    await as(jc, `/v1/consents?subject.scheme=azr&subject.value=${AZR}`);
    await as(jc, '/v1/consent-events');
    await as(abh, '/v1/consent-events');
    expect((await as(dpo, '/v1/audit/entries')).status).toBe(200);
    expect(
      (await as(abh, `/v1/consents/${mine.consentId}/revoke`, { method: 'POST' })).status,
    ).toBe(200);
    const bare = mine.code.replaceAll('-', '');
    const offices = seenByOffices.join('\n');
    expect(offices).toContain(mine.consentId); // the answers were collected
    for (const secret of [mine.code, bare, bare.toLowerCase()]) {
      expect(offices.includes(secret), secret).toBe(false);
      expect(gw.logs.text.includes(secret), secret).toBe(false);
    }
    gw.storage.db.pragma('wal_checkpoint(PASSIVE)');
    const files = ['gateway.db', 'gateway.db-wal']
      .map((f) => join(gw.dataDir, f))
      .filter((f) => existsSync(f));
    const bytes = files.map((f) => readFileSync(f).toString('latin1')).join('');
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of [mine.code, bare]) expect(bytes.includes(secret), secret).toBe(false);
  });
});

describe('assisted revocation (POST /v1/consents/{id}/revoke)', () => {
  it('lets an office party to the consent record it: actor the office, channel assisted, shown to the person', async () => {
    const mine = await granted();
    const res = await as(abh, `/v1/consents/${mine.consentId}/revoke`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: mine.consentId, state: 'revoked', version: 2 });
    const version = gw.storage.db
      .prepare(
        "SELECT version, state, actor, channel FROM consent_versions WHERE kind = 'consent' AND ref_id = ? ORDER BY version DESC LIMIT 1",
      )
      .get(mine.consentId);
    expect(version).toEqual({
      version: 2,
      state: 'revoked',
      actor: 'abh-koeln',
      channel: 'assisted',
    });
    const audit = (await (await as(dpo, '/v1/audit/entries?event=consent.revoked')).json()) as {
      items: Record<string, unknown>[];
    };
    expect(audit.items).toEqual([
      expect.objectContaining({
        consentId: mine.consentId,
        actor: 'abh-koeln',
        channel: 'assisted',
      }),
    ]);
    const p = person();
    expect((await p.session({ withdrawalCode: mine.code })).status).toBe(201);
    expect(await portalConsents(p)).toEqual([
      expect.objectContaining({ id: mine.consentId, state: 'revoked', revokedThrough: 'assisted' }),
    ]);
  });

  it('answers 404 to an office not party to the consent and leaves it active', async () => {
    const mine = await granted();
    const res = await as(so, `/v1/consents/${mine.consentId}/revoke`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('not_found');
    const unknown = await as(so, '/v1/consents/cs_doesnotexist/revoke', { method: 'POST' });
    expect(unknown.status).toBe(404);
    const items = (
      (await (await as(jc, `/v1/consents?subject.scheme=azr&subject.value=${AZR}`)).json()) as {
        items: { id: string; state: string }[];
      }
    ).items;
    expect(items).toEqual([expect.objectContaining({ id: mine.consentId, state: 'active' })]);
  });

  it('answers 409 conflict to a second revocation', async () => {
    const mine = await granted();
    expect((await as(jc, `/v1/consents/${mine.consentId}/revoke`, { method: 'POST' })).status).toBe(
      200,
    );
    const again = await as(abh, `/v1/consents/${mine.consentId}/revoke`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('conflict');
  });

  it('takes no body and {} alike', async () => {
    const first = await granted();
    const second = await granted(true);
    const noBody = await as(abh, `/v1/consents/${first.consentId}/revoke`, { method: 'POST' });
    expect(noBody.status).toBe(200);
    const emptyObject = await as(abh, `/v1/consents/${second.consentId}/revoke`, {
      method: 'POST',
      body: '{}',
    });
    expect(emptyObject.status).toBe(200);
  });

  // Known bug (reported, not fixed here): an empty body sent as application/json answers 400
  // `malformed_json`, though the API says no body, an empty body and {} mean the same. Remove
  // `.fails` once the route accepts it.
  it('takes an empty application/json body like no body', async () => {
    const mine = await granted();
    const res = await as(jc, `/v1/consents/${mine.consentId}/revoke`, {
      method: 'POST',
      body: '',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(200);
  });

  it('refuses a DPO with 403 forbidden', async () => {
    const mine = await granted();
    const res = await as(dpo, `/v1/consents/${mine.consentId}/revoke`, { method: 'POST' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('forbidden');
  });
});
