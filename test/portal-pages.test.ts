import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../core/index.ts';
import type { TestGateway } from './support/app.ts';
import { formBrowser } from './support/form-browser.ts';
import type { TestPrincipal } from './support/pki.ts';
import { AUD, koelnWorld, type KoelnWorld } from './support/world.ts';

/**
 * The portal pages in-process, as a browser without JavaScript drives them: form posts, cookies,
 * redirects. The real browser round (and axe) is in portal-browser.test.ts; this suite covers the
 * refusals and the safety properties one by one.
 */
let world: KoelnWorld;
let gw: TestGateway;
let jc: TestPrincipal;

beforeEach(async () => {
  world = await koelnWorld({ agencies: ['abh', 'jc'], dpo: false });
  ({ gw, jc } = world);
});
afterEach(() => {
  world.close();
});

async function askConsent(subject = '100000000101', language = 'de') {
  const res = await gw.app.request('/v1/consent-requests', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await world.assertion(jc)}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      subject: { scheme: 'azr', value: subject },
      senders: ['abh-koeln'],
      recipients: ['jc-koeln'],
      purpose: 'labour_market_integration',
      categories: ['residence_status', 'employment_permission'],
      validUntil: '2027-11-25T00:00:00Z',
      language,
      secondFactor: { type: 'birthDate', value: '1990-01-31' },
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; code: string; portalUrl: string };
}

/** A browser without JavaScript: a cookie jar, GETs and form posts, redirects not followed. */
const browser = (origin: string | null = AUD) => formBrowser(gw.app, origin);

const consentRows = () =>
  gw.storage.db.prepare('SELECT id, language, notice_hash, notice_text FROM consents').all() as {
    id: string;
    language: string;
    notice_hash: string;
    notice_text: string;
  }[];

describe('the portal pages', () => {
  it('serves every page without script, under the strict CSP, never cached', async () => {
    const b = browser();
    for (const path of ['/portal/sign-in', '/portal/sign-in?lang=ar']) {
      const res = await b.get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      const csp = res.headers.get('Content-Security-Policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await res.text();
      expect(html).not.toMatch(/<script|style=|\son\w+=/i);
    }
    const css = await b.get('/portal/assets/portal.css');
    expect(css.headers.get('Content-Type')).toMatch(/^text\/css/);
  });

  it('signs in from the link: code pre-filled, then a redirect whose URL holds no code', async () => {
    const created = await askConsent();
    const b = browser();
    const page = await (
      await b.get(new URL(created.portalUrl).pathname + new URL(created.portalUrl).search)
    ).text();
    expect(page).toContain(`value="${created.code}"`);
    const res = await b.post('/portal/sign-in', {
      csrf: b.csrfOf(page),
      code: created.code,
      secondFactor: '1990-01-31',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/portal/requests/${created.id}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('cg_session=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('refuses a form without its CSRF token, with a foreign token, and from a foreign origin', async () => {
    const created = await askConsent();
    const b = browser();
    await b.get('/portal/sign-in');
    const missing = await b.post('/portal/sign-in', {
      code: created.code,
      secondFactor: '1990-01-31',
    });
    expect(missing.status).toBe(403);
    const foreign = await b.post('/portal/sign-in', {
      csrf: 'A'.repeat(43),
      code: created.code,
      secondFactor: '1990-01-31',
    });
    expect(foreign.status).toBe(403);
    const evil = browser('https://evil.example');
    const page = await (await evil.get('/portal/sign-in')).text();
    const crossSite = await evil.post('/portal/sign-in', {
      csrf: evil.csrfOf(page),
      code: created.code,
      secondFactor: '1990-01-31',
    });
    expect(crossSite.status).toBe(403);
    // Nothing was signed in, and no attempt was counted against the code.
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM portal_sessions').pluck().get()).toBe(0);
  });

  it('answers wrong, locked and throttled sign-ins on the page, in the person’s language', async () => {
    const created = await askConsent();
    const b = browser();
    const wrong = await b.signIn(created.code, '1991-01-31');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Der Code oder das Geburtsdatum stimmt nicht');
    for (let i = 0; i < 3; i++) await b.signIn(created.code, '1991-01-31');
    const locked = await b.signIn(created.code, '1991-01-31');
    expect(locked.status).toBe(403);
    for (let i = 0; i < 5; i++) await b.signIn('AAAA-BBBB-CCCC');
    await b.get('/portal/sign-in?lang=en');
    const throttled = await b.signIn('AAAA-BBBB-CCCC');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await throttled.text()).toContain('too many attempts');
  });

  it('sends pages to sign-in without a session, and another person’s consent is not found', async () => {
    const b = browser();
    for (const path of ['/portal/consents', '/portal/history', '/portal/requests/cr_x']) {
      const res = await b.get(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('Location')).toBe('/portal/sign-in?notice=needed');
    }
    const mine = await askConsent('100000000101');
    const theirs = await askConsent('100000000102');
    const other = browser();
    await other.signIn(theirs.code);
    const otherPage = await (await other.get(`/portal/requests/${theirs.id}`)).text();
    await other.post(`/portal/requests/${theirs.id}/grant`, {
      csrf: other.csrfOf(otherPage),
      confirm: 'yes',
      lang: 'de',
      noticeHash: /name="noticeHash" value="([^"]+)"/.exec(otherPage)?.[1] ?? '',
    });
    const theirConsent = consentRows()[0]?.id ?? '';
    await b.signIn(mine.code);
    for (const path of [
      `/portal/requests/${theirs.id}`,
      `/portal/consents/${theirConsent}/receipt`,
      `/portal/consents/${theirConsent}/receipt.jwt`,
      '/portal/consents/cs_nope/receipt',
    ]) {
      const res = await b.get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain('Diese Seite gibt es nicht');
    }
  });

  it('grants only with the tick and the text shown, and records that text in the language read', async () => {
    const created = await askConsent('100000000101', 'de');
    const b = browser();
    await b.signIn(created.code);
    const page = await (await b.get(`/portal/requests/${created.id}?lang=tr`)).text();
    expect(page).toContain('<html lang="tr" dir="ltr">');
    const shownHash = /name="noticeHash" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const form = { csrf: b.csrfOf(page), lang: 'tr', noticeHash: shownHash };

    const unticked = await b.post(`/portal/requests/${created.id}/grant`, form);
    expect(unticked.status).toBe(422);
    const stale = await b.post(`/portal/requests/${created.id}/grant`, {
      ...form,
      confirm: 'yes',
      noticeHash: 'not-the-text-shown',
    });
    expect(stale.status).toBe(422);
    expect(consentRows()).toEqual([]);

    const granted = await b.post(`/portal/requests/${created.id}/grant`, {
      ...form,
      confirm: 'yes',
    });
    // The receipt page answers the grant itself, with the withdrawal code shown this once.
    expect(granted.status).toBe(200);
    expect(granted.headers.get('Cache-Control')).toBe('no-store');
    const [row] = consentRows();
    const grantedPage = await granted.text();
    const withdrawalCode = /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(grantedPage)?.[1];
    expect(withdrawalCode).toBeDefined();
    expect(grantedPage).toContain(`/portal/consents/${row?.id}/receipt.jwt`);
    // The Turkish text the person read is what the consent and the receipt name.
    expect(row?.language).toBe('tr');
    expect(row?.notice_hash).toBe(shownHash);
    expect(await sha256(row?.notice_text ?? '')).toBe(shownHash);
    expect(row?.notice_text).toContain('Jobcenter');

    const file = await b.get(`/portal/consents/${row?.id}/receipt.jwt`);
    expect(file.headers.get('Content-Type')).toBe('application/jwt');
    const jws = await file.text();
    const jwks = createLocalJWKSet(
      (await (await gw.app.request('/.well-known/jwks.json')).json()) as { keys: [] },
    );
    await expect(compactVerify(jws, jwks, { algorithms: ['ES256'] })).resolves.toBeTruthy();
    expect(decodeJwt(jws)).toMatchObject({
      record_id: row?.id,
      language: 'tr',
      privacy_notice: { hash: shownHash },
    });
    const receipt = await (await b.get(`/portal/consents/${row?.id}/receipt`)).text();
    expect(receipt).toContain(shownHash);
    // Later views of the receipt cannot show the code again: the gateway never kept it.
    expect(receipt).not.toContain(withdrawalCode);
  });

  it('revokes with one confirmation, and not without it', async () => {
    const created = await askConsent();
    const b = browser();
    await b.signIn(created.code);
    const page = await (await b.get(`/portal/requests/${created.id}`)).text();
    await b.post(`/portal/requests/${created.id}/grant`, {
      csrf: b.csrfOf(page),
      confirm: 'yes',
      lang: 'de',
      noticeHash: /name="noticeHash" value="([^"]+)"/.exec(page)?.[1] ?? '',
    });
    const id = consentRows()[0]?.id ?? '';
    const list = await (await b.get('/portal/consents')).text();
    const unticked = await b.post(`/portal/consents/${id}/revoke`, { csrf: b.csrfOf(list) });
    expect(unticked.status).toBe(422);
    expect(await unticked.text()).toContain('Bitte setzen Sie zuerst den Haken');
    const state = () =>
      gw.storage.db
        .prepare('SELECT state FROM consent_versions WHERE ref_id = ? ORDER BY version DESC')
        .pluck()
        .get(id);
    expect(state()).toBe('active');
    const revoked = await b.post(`/portal/consents/${id}/revoke`, {
      csrf: b.csrfOf(list),
      confirm: 'yes',
    });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('Location')).toBe('/portal/consents?done=revoked');
    expect(state()).toBe('revoked');
  });

  it('lists only the code’s own open request on the consents page: the person’s others need the ID card', async () => {
    const first = await askConsent('100000000101');
    const second = await askConsent('100000000101');
    const someoneElses = await askConsent('100000000102');
    const b = browser();
    await b.signIn(first.code);
    const page = await (await b.get('/portal/consents')).text();
    expect(page).toContain('Offene Anfragen');
    expect(page).toContain(`href="/portal/requests/${first.id}"`);
    expect(page).not.toContain(second.id);
    expect(page).not.toContain(someoneElses.id);
    expect((await b.get(`/portal/requests/${second.id}`)).status).toBe(404);
    const open = await (await b.get(`/portal/requests/${first.id}`)).text();
    await b.post(`/portal/requests/${first.id}/decline`, { csrf: b.csrfOf(open) });
    expect(await (await b.get('/portal/consents')).text()).not.toContain(
      `href="/portal/requests/${first.id}"`,
    );
  });

  it('hands a page one CSRF token even when the browser has none yet', async () => {
    const created = await askConsent();
    const b = browser();
    const session = await gw.app.request('/v1/portal/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: created.code, secondFactor: '1990-01-31' }),
    });
    const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    const [name = '', value = ''] = cookie.split('=');
    b.jar.set(name, value);
    const page = await b.get('/portal/consents');
    const minted = page.headers.getSetCookie().filter((line) => line.startsWith('cg_csrf='));
    expect(minted).toHaveLength(1);
    const html = await page.text();
    const tokens = new Set([...html.matchAll(/name="csrf" value="([^"]+)"/g)].map((m) => m[1]));
    expect(tokens.size).toBe(1);
  });

  it('declines, and then shows that nothing will be passed on', async () => {
    const created = await askConsent();
    const b = browser();
    await b.signIn(created.code);
    const page = await (await b.get(`/portal/requests/${created.id}`)).text();
    const declined = await b.post(`/portal/requests/${created.id}/decline`, {
      csrf: b.csrfOf(page),
    });
    expect(declined.status).toBe(303);
    const after = await (await b.get(`/portal/requests/${created.id}`)).text();
    expect(after).toContain('Es werden keine Daten weitergegeben');
    expect(after).not.toContain('/grant');
  });

  it('keeps the chosen language across pages and follows Accept-Language otherwise', async () => {
    const b = browser();
    expect(
      await (await b.get('/portal/sign-in', { 'Accept-Language': 'uk-UA,uk;q=0.9' })).text(),
    ).toContain('<html lang="uk" dir="ltr">');
    await b.get('/portal/sign-in?lang=fa');
    expect(await (await b.get('/portal/sign-in')).text()).toContain('<html lang="fa" dir="rtl">');
  });

  it('signs out: the session ends and the pages ask for sign-in again', async () => {
    const created = await askConsent();
    const b = browser();
    await b.signIn(created.code);
    const page = await (await b.get('/portal/consents')).text();
    const out = await b.post('/portal/sign-out', { csrf: b.csrfOf(page) });
    expect(out.headers.get('Location')).toBe('/portal/sign-in?notice=signed-out');
    expect(gw.storage.db.prepare('SELECT COUNT(*) FROM portal_sessions').pluck().get()).toBe(0);
    expect((await b.get('/portal/consents')).status).toBe(303);
  });
});
