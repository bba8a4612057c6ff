import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { personGrants } from '../support/person.ts';
import { portalBrowser, SESSION } from './support/browser.ts';
import { askConsent, attackWorld, AUD, BIRTH, refused, type AttackWorld } from './support/world.ts';

/**
 * The portal under attack: IDOR through the JSON API and the pages, CSRF variants on every form,
 * session fixation. The world's person P holds consent C (from request R1, code session
 * `w.cookie`); P also has R2, asked by so and still open; another person Q has RQ (open) and CQ.
 */
let w: AttackWorld;
let r2: { id: string; code: string };
let rq: { id: string; code: string };
let cq = '';
const Q = '100200300499';
beforeAll(async () => {
  w = await attackWorld();
  const flow = (senders: string[], recipients: string[], purpose: string) => ({
    senders,
    recipients,
    purpose,
    categories: ['residence_status'],
  });
  r2 = await askConsent(w.as, w.so, flow(['abh-koeln'], ['so-koeln'], 'benefit_eligibility'));
  const q1 = await askConsent(
    w.as,
    w.jc,
    flow(['abh-koeln'], ['jc-koeln'], 'labour_market_integration'),
    Q,
  );
  ({ consentId: cq } = await personGrants(w.gw.app, q1));
  rq = await askConsent(w.as, w.so, flow(['abh-koeln'], ['so-koeln'], 'benefit_eligibility'), Q);
});
afterAll(() => {
  w.gw.close();
});
// The clock is frozen; a second per test refills the per-principal rate budget (50/s).
beforeEach(() => {
  w.gw.clock.advance(1_000);
});

const json = (path: string, cookie: string, method = 'GET', headers: Record<string, string> = {}) =>
  w.gw.app.request(path, { method, headers: { Cookie: cookie, ...headers } });

describe('portal IDOR through the JSON API: 404 exactly as for an id that does not exist', () => {
  const cases: [string, () => string, string][] = [
    ["another person's request", () => `/v1/portal/requests/${rq.id}`, 'GET'],
    ["granting another person's request", () => `/v1/portal/requests/${rq.id}/grant`, 'POST'],
    ["declining another person's request", () => `/v1/portal/requests/${rq.id}/decline`, 'POST'],
    ["revoking another person's consent", () => `/v1/portal/consents/${cq}/revoke`, 'POST'],
    [
      'the same person’s other request, by a code session',
      () => `/v1/portal/requests/${r2.id}`,
      'GET',
    ],
    ['granting it', () => `/v1/portal/requests/${r2.id}/grant`, 'POST'],
    ['declining it', () => `/v1/portal/requests/${r2.id}/decline`, 'POST'],
    [
      'a request id that does not exist',
      () => '/v1/portal/requests/cr_AAAAAAAAAAAAAAAAAAAAAA',
      'GET',
    ],
  ];
  it.each(cases)('refuses %s', async (_name, path, method) => {
    const before = w.state();
    await refused(await json(path(), w.cookie, method), 404, 'not_found');
    expect(w.state()).toBe(before);
  });

  it('lists none of it among the session’s consents or requests', async () => {
    const text = await (await json('/v1/portal/consents', w.cookie)).text();
    for (const id of [cq, rq.id, r2.id]) expect(text).not.toContain(id);
  });
});

describe('portal IDOR through the pages', () => {
  it.each([
    ["another person's request", () => `/portal/requests/${rq.id}`],
    ["another person's receipt", () => `/portal/consents/${cq}/receipt`],
    ["another person's receipt file", () => `/portal/consents/${cq}/receipt.jwt`],
    ['the same person’s other request', () => `/portal/requests/${r2.id}`],
  ])('answers 404 for %s', async (_name, path) => {
    const b = portalBrowser(w.gw.app);
    b.jar.set(SESSION, w.cookie.split('=')[1] ?? '');
    const res = await b.get(path());
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
  });
});

describe('CSRF on the portal forms: 403 and nothing changes', () => {
  const grantFields = (csrf: string) => ({ csrf, confirm: 'yes', lang: 'de', noticeHash: 'x' });
  type Variant = 'no token' | 'a wrong token' | 'a foreign Origin' | "another browser's token";
  const variants: Variant[] = [
    'no token',
    'a wrong token',
    'a foreign Origin',
    "another browser's token",
  ];
  const forms: [string, () => string, (csrf: string) => Record<string, string>][] = [
    ['grant', () => `/portal/requests/${r2.id}/grant`, grantFields],
    ['decline', () => `/portal/requests/${r2.id}/decline`, (csrf) => ({ csrf })],
    [
      'revoke',
      () => `/portal/consents/${w.consentId}/revoke`,
      (csrf) => ({ csrf, confirm: 'yes' }),
    ],
    ['sign-out', () => '/portal/sign-out', (csrf) => ({ csrf })],
  ];
  const matrix = forms.flatMap(([form, path, fields]) =>
    variants.map((variant) => [form, variant, path, fields] as const),
  );

  it.each(matrix)('refuses a %s form with %s', async (_form, variant, path, fields) => {
    // A session that may act on R2 (signed in with its code) and on C (P's consent session).
    const b = portalBrowser(w.gw.app);
    const target = path();
    if (target.includes('/requests/')) {
      const signedIn = await b.signIn(r2.code);
      expect(signedIn.status).toBe(303);
    } else b.jar.set(SESSION, w.cookie.split('=')[1] ?? '');
    const token = await b.tokenOn('/portal/consents');
    const other = portalBrowser(w.gw.app);
    const foreignToken = await other.tokenOn('/portal/sign-in');
    const before = w.state();
    const res =
      variant === 'no token'
        ? await b.postAs(target, fields(''))
        : variant === 'a wrong token'
          ? await b.postAs(target, fields('A'.repeat(43)))
          : variant === 'a foreign Origin'
            ? await b.postAs(target, fields(token), { origin: 'https://evil.example' })
            : await b.postAs(target, fields(foreignToken));
    expect(res.status).toBe(403);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(w.state()).toBe(before);
  });

  it('lets the same forms through with the right token and origin (the control)', async () => {
    const b = portalBrowser(w.gw.app);
    await b.signIn(r2.code);
    const token = await b.tokenOn('/portal/consents');
    const before = w.state();
    // The grant passes CSRF and stops at the notice hash; the revoke at the missing tick.
    expect((await b.postAs(`/portal/requests/${r2.id}/grant`, grantFields(token))).status).toBe(
      422,
    );
    b.jar.set(SESSION, w.cookie.split('=')[1] ?? '');
    const revoke = await b.postAs(`/portal/consents/${w.consentId}/revoke`, { csrf: token });
    expect(revoke.status).toBe(422);
    expect(w.state()).toBe(before);
  });

  it('refuses a sign-in form from a foreign origin or with a planted CSRF cookie, and signs nobody in', async () => {
    const b = portalBrowser(w.gw.app);
    const token = await b.tokenOn('/portal/sign-in');
    const before = w.state();
    const form = { csrf: token, code: r2.code, secondFactor: BIRTH };
    expect(
      (await b.postAs('/portal/sign-in', form, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    // An attacker who can plant a cookie still has to match it in the form: a token of its own.
    const planted = { cg_csrf: 'B'.repeat(43) };
    expect((await b.postAs('/portal/sign-in', form, { cookies: planted })).status).toBe(403);
    expect(w.state()).toBe(before);
  });

  it.each([
    ['a foreign Origin on a JSON decline', { Origin: 'https://evil.example' }, 403, 'forbidden'],
    [
      'a text/plain body (a form needs no preflight)',
      { 'Content-Type': 'text/plain' },
      415,
      'unsupported_media_type',
    ],
    [
      'a form-encoded body',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported_media_type',
    ],
  ] as const)('refuses %s through the JSON API', async (_name, headers, status, code) => {
    const before = w.state();
    const res = await w.gw.app.request(`/v1/portal/consents/${w.consentId}/revoke`, {
      method: 'POST',
      headers: { Cookie: w.cookie, 'Content-Type': 'application/json', ...headers },
      body: '{"a":1}',
    });
    await refused(res, status, code);
    expect(w.state()).toBe(before);
  });
});

describe('session fixation', () => {
  const chosen = 'attackerChosenSessionToken0123456789abcdefg';

  it('does not accept a session value an attacker chose: 401 on the API, sign-in on the pages', async () => {
    await refused(
      await json('/v1/portal/consents', `${SESSION}=${chosen}`),
      401,
      'unauthenticated',
    );
    await refused(
      await json('/v1/portal/consents', `${SESSION}=${'x'.repeat(5000)}`),
      401,
      'unauthenticated',
    );
    const page = await json('/portal/consents', `${SESSION}=${chosen}`);
    expect(page.status).toBe(303);
    expect(page.headers.get('Location')).toBe('/portal/sign-in?notice=needed');
  });

  it('signs in with a new random token, never the one presented, through the API and the page', async () => {
    const viaApi = await w.gw.app.request('/v1/portal/session', {
      method: 'POST',
      headers: { Cookie: `${SESSION}=${chosen}`, 'Content-Type': 'application/json', Origin: AUD },
      body: JSON.stringify({ code: r2.code, secondFactor: BIRTH }),
    });
    expect(viaApi.status).toBe(201);
    const b = portalBrowser(w.gw.app);
    b.jar.set(SESSION, chosen);
    expect((await b.signIn(r2.code)).status).toBe(303);
    const issued = [
      /cg_session=([^;]+)/.exec(viaApi.headers.get('Set-Cookie') ?? '')?.[1],
      b.jar.get(SESSION),
    ];
    for (const token of issued) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(token).not.toBe(chosen);
    }
    expect(issued[0]).not.toBe(issued[1]);
    // The chosen value is still nobody's session.
    await refused(
      await json('/v1/portal/consents', `${SESSION}=${chosen}`),
      401,
      'unauthenticated',
    );
  });
});
