import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/index.ts';
import { provisionTenant, revokeCertificate, type PkiDeps } from '../certs/index.ts';
import { expireDue } from '../consent/index.ts';
import type { MonitoringReport } from '../monitoring/index.ts';
import { testGateway, type TestGateway } from './support/app.ts';
import { consentRequestBody, noticeBody, RESIDENCE_NOTICE, signedBy } from './support/flows.ts';
import { formBrowser } from './support/form-browser.ts';
import { addPrincipal, assertionFor, type TestPrincipal } from './support/pki.ts';

/**
 * The steering group's pages in process, as a browser without JavaScript drives them: sign-in
 * with a pasted client assertion, the session cookie and what ends it, CSRF, the tenant and
 * programme views in German and English, and the CSV and JSON downloads, over a history made
 * through the real API on real SQLite. Chromium and axe are in monitoring-browser.test.ts.
 */
const AUD = 'http://localhost:8787';
const DAY = 86_400_000;

let gw: TestGateway;
let deps: PkiDeps;
let abh: TestPrincipal;
let jc: TestPrincipal;
let monitor: TestPrincipal;
let dpo: TestPrincipal;
let dortmundMonitor: TestPrincipal;

const assertion = (p: TestPrincipal, extra: Partial<Parameters<typeof assertionFor>[1]> = {}) =>
  assertionFor(p, { audience: AUD, now: gw.clock.now(), ...extra });

async function as(p: TestPrincipal, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${await assertion(p)}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  return gw.app.request(path, { ...init, headers });
}

const subject = (n: number) => ({ scheme: 'azr', value: String(100_000_000_000 + n) });

async function ask(n: number): Promise<{ id: string; code: string }> {
  const res = await as(jc, '/v1/consent-requests', {
    method: 'POST',
    body: consentRequestBody(subject(n), { validUntil: '2027-09-01T00:00:00Z' }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; code: string };
}

/** The person signs in with the letter's code and grants or declines. */
async function decide(request: { id: string; code: string }, how: 'grant' | 'decline') {
  const session = await gw.app.request('/v1/portal/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: request.code, secondFactor: '1990-01-31' }),
  });
  expect(session.status).toBe(201);
  const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  const res = await gw.app.request(`/v1/portal/requests/${request.id}/${how}`, {
    method: 'POST',
    headers: { Cookie: cookie },
  });
  expect(res.status).toBe(how === 'grant' ? 200 : 204);
  const granted =
    how === 'grant'
      ? ((await res.json()) as { consent: { id: string }; withdrawalCode: string })
      : undefined;
  return { consentId: granted?.consent.id ?? '', withdrawalCode: granted?.withdrawalCode ?? '' };
}

async function send(n: number, payload?: string): Promise<Response> {
  return as(abh, '/v1/exchanges', {
    method: 'POST',
    body: noticeBody(subject(n), payload ?? (await signedBy(abh, RESIDENCE_NOTICE))),
  });
}

async function sent(n: number): Promise<string> {
  const res = await send(n);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/**
 * November 2026: seven requests, five granted, one declined, one left open; five exchanges, four
 * fetched, three acknowledged; four refused sends. December: the open request expires, a consent
 * is revoked with its message still waiting, a send under it is refused, two more requests.
 */
async function seedHistory(): Promise<void> {
  const requests = [];
  for (let n = 1; n <= 7; n++) requests.push(await ask(n));
  gw.clock.advance(DAY);
  const decided = [];
  for (const request of requests.slice(0, 5)) decided.push(await decide(request, 'grant'));
  await decide(requests[5] ?? { id: '', code: '' }, 'decline');
  const ids = [];
  for (let n = 1; n <= 5; n++) ids.push(await sent(n));
  for (const id of ids.slice(0, 4)) expect((await as(jc, `/v1/mailbox/${id}`)).status).toBe(200);
  for (const id of ids.slice(0, 3))
    expect((await as(jc, `/v1/mailbox/${id}/ack`, { method: 'POST' })).status).toBe(204);
  for (const n of [20, 21, 22]) expect((await send(n)).status).toBe(403);
  expect((await send(1, 'not.a.jws')).status).toBe(422);

  gw.clock.advance(20 * DAY);
  await expireDue({
    consents: gw.storage.consents,
    clock: gw.clock,
    audit: new AuditLog(gw.storage.audit, gw.clock),
  });
  // Weeks later the person comes back with the withdrawal code from the confirmation.
  const fifth = decided[4] ?? { consentId: '', withdrawalCode: '' };
  const again = await gw.app.request('/v1/portal/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ withdrawalCode: fifth.withdrawalCode }),
  });
  expect(again.status).toBe(201);
  const revoked = await gw.app.request(`/v1/portal/consents/${fifth.consentId}/revoke`, {
    method: 'POST',
    headers: { Cookie: (again.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '' },
  });
  expect(revoked.status).toBe(200);
  expect((await send(5)).status).toBe(403);
  await ask(8);
  await ask(9);
  // As a later gateway version might audit a refusal: a code this page has no words for.
  await new AuditLog(gw.storage.audit, gw.clock).append('koeln', {
    event: 'exchange.refused',
    actor: 'abh-koeln',
    sender: 'abh-koeln',
    outcome: 'refused',
    reasons: ['quota_exceeded'],
  });
  // Figures are published once their period has ended: read on New Year's morning in Köln.
  gw.clock.advance(Date.parse('2027-01-01T08:00:00Z') - gw.clock.now().getTime());
}

beforeAll(async () => {
  gw = await testGateway({ publicUrl: AUD });
  deps = {
    pki: gw.storage.pki,
    clock: gw.clock,
    masterKey: gw.masterKey,
    audit: new AuditLog(gw.storage.audit, gw.clock),
  };
  await provisionTenant(deps, { id: 'koeln', displayName: 'Stadt Köln' });
  await provisionTenant(deps, { id: 'dortmund', displayName: 'Stadt Dortmund' });
  const agency = (id: string, agencyType: string) =>
    addPrincipal(deps, { tenantId: 'koeln', id, kind: 'agency', agencyType });
  abh = await agency('abh-koeln', 'immigration_office');
  jc = await agency('jc-koeln', 'jobcenter');
  monitor = await addPrincipal(deps, { tenantId: 'koeln', id: 'lenkung-koeln', kind: 'monitor' });
  dpo = await addPrincipal(deps, { tenantId: 'koeln', id: 'dsb-koeln', kind: 'dpo' });
  dortmundMonitor = await addPrincipal(deps, {
    tenantId: 'dortmund',
    id: 'lenkung-dortmund',
    kind: 'monitor',
  });
  await seedHistory();
}, 60_000);
afterAll(() => {
  gw.close();
});

/** A browser without JavaScript, signed in as `p` (or not, when `p` is undefined). */
async function member(p?: TestPrincipal, origin: string | null = AUD) {
  const b = formBrowser(gw.app, origin);
  if (p !== undefined) {
    const res = await signIn(b, await assertion(p));
    expect(res.status).toBe(303);
  }
  return b;
}

async function signIn(b: ReturnType<typeof formBrowser>, token: string, lang = 'de') {
  const page = await (await b.get(`/monitoring?lang=${lang}`)).text();
  return b.post('/monitoring/sign-in', { csrf: b.csrfOf(page), assertion: token, lang });
}

async function apiReport(period: string): Promise<MonitoringReport> {
  const res = await as(monitor, `/v1/monitoring/reports/${period}`);
  expect(res.status).toBe(200);
  return (await res.json()) as MonitoringReport;
}

const cookieOf = (res: Response, name: string) =>
  res.headers.getSetCookie().find((line) => line.startsWith(`${name}=`)) ?? '';

describe('sign-in for browsers', () => {
  it('shows the sign-in form at /monitoring without a session: German, no script, strict CSP', async () => {
    const b = await member();
    const res = await b.get('/monitoring');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).toContain('<html lang="de"');
    expect(html).toContain('action="/monitoring/sign-in"');
    expect(html).toContain(
      `npx consent-gateway token --key lenkung.key --cert lenkung.crt --aud ${AUD}`,
    );
    expect(html).not.toMatch(/<script|style=|\son\w+=/i);
    // The site's official pages, as on every portal page.
    for (const path of ['impressum', 'privacy', 'accessibility', 'help'])
      expect(html).toContain(`href="/portal/${path}?lang=de"`);
    const css = await b.get('/monitoring/assets/monitoring.css');
    expect(css.headers.get('Content-Type')).toMatch(/^text\/css/);
  });

  it('signs a monitor in with a pasted assertion and sets an HttpOnly, SameSite=Strict cookie for /monitoring, 8 hours', async () => {
    const b = await member();
    const token = await assertion(monitor);
    // Pasted from a terminal that wrapped it: the line breaks do not matter.
    const res = await signIn(b, token.replace(/(.{60})/g, '$1\n'));
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/monitoring?lang=de');
    const cookie = cookieOf(res, 'cg_monitoring');
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/monitoring(;|$)/);
    expect(cookie).toMatch(/Max-Age=28800/);
    expect(cookie).not.toMatch(/Secure/);
    const page = await b.get('/monitoring');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Monitoring: Stadt Köln');
    // The assertion was single-use, as on the API.
    const again = await signIn(await member(), token);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('schon benutzt');
  });

  it("signs a DPO in too, and refuses an office system's assertion with a 403 page", async () => {
    await member(dpo);
    const b = await member();
    const res = await signIn(b, await assertion(abh));
    expect(res.status).toBe(403);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Dieser Zugang darf das Monitoring nicht sehen');
    expect(cookieOf(res, 'cg_monitoring')).toBe('');
  });

  it.each([
    [
      'an expired assertion',
      () => assertion(monitor, { iatOffsetS: -600 }),
      'ungültig oder abgelaufen',
    ],
    [
      'one for another gateway',
      () => assertion(monitor, { audience: 'https://evil.example' }),
      'ungültig',
    ],
    ['one not signed by the certificate key', () => forged(), 'ungültig'],
    ['garbage', () => Promise.resolve('not-a-token'), 'ungültig'],
    ['nothing', () => Promise.resolve(''), 'Bitte fügen Sie'],
  ])('refuses %s with a 401 page in the page language, never JSON', async (_name, make, words) => {
    const b = await member();
    const res = await signIn(b, await make());
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain(words);
    expect(html).toContain('role="alert"');
    expect(cookieOf(res, 'cg_monitoring')).toBe('');
  });

  it('tells the refusal in English when the page is English', async () => {
    const res = await signIn(await member(), 'not-a-token', 'en');
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('Sign-in failed: the token is not valid or has expired.');
  });

  it('refuses the sign-in and sign-out forms without their CSRF token or from another origin', async () => {
    const token = await assertion(monitor);
    const b = await member();
    await b.get('/monitoring');
    const missing = await b.post('/monitoring/sign-in', { assertion: token });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('Das Formular ist abgelaufen');
    const evil = await member(undefined, 'https://evil.example');
    const crossSite = await signIn(evil, token);
    expect(crossSite.status).toBe(403);
    expect(cookieOf(crossSite, 'cg_monitoring')).toBe('');

    const signedIn = await member(monitor);
    const out = await signedIn.post('/monitoring/sign-out', { csrf: 'A'.repeat(43) });
    expect(out.status).toBe(403);
    expect(out.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect((await signedIn.get('/monitoring')).status).toBe(200);
    expect(await (await signedIn.get('/monitoring')).text()).toContain('Monitoring: Stadt Köln');
  });

  it('signs out: the cookie is cleared and the next page asks to sign in', async () => {
    const b = await member(monitor);
    const page = await (await b.get('/monitoring')).text();
    const out = await b.post('/monitoring/sign-out', { csrf: b.csrfOf(page), lang: 'en' });
    expect(out.status).toBe(200);
    expect(cookieOf(out, 'cg_monitoring')).toMatch(/Max-Age=0/);
    expect(await out.text()).toContain('You are signed out.');
    const after = await b.get('/monitoring/programme');
    expect(after.status).toBe(401);
    expect(await after.text()).toContain('Bitte melden Sie sich an');
  });

  it('throttles failed sign-ins per address: the eleventh in a window answers 429', async () => {
    // Earlier refusals in this file came from the same (unknown) address: a fresh window.
    gw.clock.advance(15 * 60_000);
    const b = await member();
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn(b, `x.${i}.y`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    // The window passes with the clock.
    gw.clock.advance(15 * 60_000);
  });
});

/** A token of the right form, signed by a key that is not the certificate's. */
async function forged(): Promise<string> {
  const other = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
  ]);
  return assertion(monitor, { signWith: other.privateKey });
}

describe('what ends a session', () => {
  it('refuses a cookie with a changed payload, a changed MAC, or moved to another tenant', async () => {
    const b = await member(monitor);
    const value = b.jar.get('cg_monitoring') ?? '';
    const [payload = '', mac = ''] = value.split('.');
    const decode = (part: string) =>
      JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
    const reencode = (c: Record<string, unknown>) =>
      Buffer.from(JSON.stringify(c)).toString('base64url');
    const claims = decode(payload);
    const dortmund = await member(dortmundMonitor);
    const [foreignPayload = '', foreignMac = ''] = (dortmund.jar.get('cg_monitoring') ?? '').split(
      '.',
    );
    const tampered = [
      `${reencode({ ...claims, p: 'dsb-koeln', k: 'dpo' })}.${mac}`,
      `${reencode({ ...claims, e: Number(claims['e']) + 86_400 })}.${mac}`,
      `${payload}.${mac.slice(0, -2)}AA`,
      `${reencode({ ...decode(foreignPayload), t: 'koeln' })}.${foreignMac}`,
      `${payload}.${mac}.x`,
      'garbage',
    ];
    for (const cookie of tampered) {
      const res = await gw.app.request('/monitoring', {
        headers: { Cookie: `cg_monitoring=${cookie}` },
      });
      expect(res.status, cookie).toBe(401);
      expect(await res.text()).toContain('Ihre Anmeldung ist beendet');
      expect(cookieOf(res, 'cg_monitoring')).toMatch(/Max-Age=0/);
    }
    // The untouched cookie still works, and each tenant's sees its own figures.
    expect(await (await b.get('/monitoring')).text()).toContain('Stadt Köln');
    expect(await (await dortmund.get('/monitoring')).text()).toContain('Stadt Dortmund');
  });

  it('ends the session at the next page once the certificate is revoked, and refuses sign-in with it', async () => {
    const revoked = await addPrincipal(deps, {
      tenantId: 'koeln',
      id: 'lenkung-2',
      kind: 'monitor',
    });
    const b = await member(revoked);
    const token = await assertion(revoked);
    expect((await b.get('/monitoring')).status).toBe(200);
    await revokeCertificate(deps, 'koeln', revoked.serial);
    const res = await b.get('/monitoring');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Ihre Anmeldung ist beendet');
    const again = await signIn(await member(), token);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('wurde widerrufen');
  });

  it('ends after 8 hours', async () => {
    const b = await member(monitor);
    gw.clock.advance(8 * 3600_000 - 1000);
    expect((await b.get('/monitoring')).status).toBe(200);
    gw.clock.advance(1000);
    expect((await b.get('/monitoring')).status).toBe(401);
  });
});

describe('the tenant view', () => {
  it('shows the newest month by default, with the tree head the API names and • for suppressed cells', async () => {
    const b = await member(monitor);
    const res = await b.get('/monitoring');
    const html = await res.text();
    const report = await apiReport('2026-12');
    expect(html).toContain('<option value="2026-12" selected="">Dezember 2026</option>');
    expect(html).toContain('<option value="2026-Q4">4. Quartal 2026</option>');
    expect(html).toContain('<option value="2026">2026</option>');
    expect(html).toContain(report.treeHead.rootHash);
    expect(html).toContain(report.suppression.de);
    // Both charts are inline SVG with a title, each with its data table.
    expect(html.match(/<svg viewBox="[^"]+" role="img" aria-labelledby="[^"]+"/g)).toHaveLength(2);
    expect(html).toContain('id="chain"');
    expect(html).toContain('id="refusals"');
    // A month period's refusal chart spans the twelve months ending with it.
    expect(html).toContain(
      'Abgelehnte Sendungen je Monat und Grund, Januar 2026 bis Dezember 2026',
    );
  });

  it('states the rule and the tree head under every table, and lets every table scroll in a labelled region', async () => {
    const b = await member(monitor);
    const html = await (await b.get('/monitoring?period=2026-11')).text();
    const report = await apiReport('2026-11');
    const tables = [
      ...html.matchAll(/<table class="figures" id="([^"]+)" aria-describedby="([^"]+)"/g),
    ];
    expect(tables.length).toBe(8);
    for (const [, id, notes] of tables) {
      expect(html).toContain(
        `<div class="table-scroll" role="region" tabindex="0" aria-labelledby="${id}-caption"><table class="figures" id="${id}"`,
      );
      const note = new RegExp(`<div class="notes" id="${notes}">(.*?)</div>`).exec(html)?.[1] ?? '';
      expect(note, id).toContain(report.suppression.de);
      expect(note, id).toContain(report.treeHead.rootHash);
    }
    // November: 1 declined is withheld, shown as • with its meaning for screen readers, no bar.
    expect(html).toContain(
      '<span aria-hidden="true">•</span><span class="visually-hidden">geheim gehalten</span>',
    );
    const chart = /<svg[^>]*aria-labelledby="chain-chart-title".*?<\/svg>/s.exec(html)?.[0] ?? '';
    const declined = report.tables[0]?.total.values[2];
    expect(declined).toBeNull();
    expect(chart).toContain('• geheim gehalten');
    // The chain holds every measure of the two total rows: a bar for each published count above 0.
    const totals = report.tables.filter((t) => t.id.endsWith('office-type')).slice(0, 2);
    const drawn = totals.flatMap((t) => t.total.values).filter((v) => v !== null && v > 0);
    expect(chart.match(/<rect /g)?.length ?? 0).toBe(drawn.length);
    // Four fetches: too few for a median, which is • as well.
    expect(html).toContain('weniger als 5 Fälle');
  });

  it('names measures, office types, purposes and reasons in words with the code beside', async () => {
    const b = await member(monitor);
    const de = await (await b.get('/monitoring?period=2026-Q4')).text();
    for (const words of [
      'Ausländerbehörde',
      'Jobcenter',
      'Arbeitsmarktintegration',
      'Ersuchen gestellt',
      'Empfang bestätigt',
    ])
      expect(de).toContain(words);
    expect(de).toContain('Keine Einwilligung<code>consent_missing</code>');
    expect(de).toContain('Signatur ungültig<code>signature_invalid</code>');
    const en = await (await b.get('/monitoring?period=2026-Q4&lang=en')).text();
    expect(en).toContain('No consent<code>consent_missing</code>');
    expect(en).toContain('Labour-market integration');
  });

  it('shows a reason code the page has no words for as the code alone', async () => {
    // The history holds a refusal with a code this page has no words for (seedHistory).
    const b = await member(monitor);
    const html = await (await b.get('/monitoring?period=2026-Q4&lang=en')).text();
    expect(html).toContain('<th scope="col" class="num">quota_exceeded</th>');
    expect(html).toContain(
      '<th scope="col" class="num">No consent<code>consent_missing</code></th>',
    );
  });

  it('speaks English from Accept-Language or ?lang=en and links both languages', async () => {
    const b = await member(monitor);
    const res = await b.get('/monitoring?period=2026-11', {
      'Accept-Language': 'fr, en-GB;q=0.8, de;q=0.5',
    });
    const html = await res.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('Monitoring: Stadt Köln');
    expect(html).toContain('From request to acknowledgement');
    expect(html).toContain('href="/monitoring?period=2026-11&amp;lang=de"');
    expect(html).toContain('<option value="2026-Q4">Q4 2026</option>');
    const de = await (
      await b.get('/monitoring?period=2026-11', { 'Accept-Language': 'ar, tr' })
    ).text();
    expect(de).toContain('<html lang="de"');
  });

  it('answers a period that is none with a 422 page in the page language, as the API does', async () => {
    const b = await member(monitor);
    for (const period of ['2026-13', 'soon', '2026-Q5']) {
      const res = await b.get(`/monitoring?period=${period}&lang=en`);
      expect(res.status).toBe(422);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('There is no such period.');
    }
  });

  it('offers the same figures as CSV and JSON, equal to the API', async () => {
    const b = await member(monitor);
    const csv = await b.get('/monitoring/data/2026-11.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('Content-Disposition')).toBe(
      'attachment; filename="monitoring-koeln-2026-11.csv"',
    );
    const apiCsv = await as(monitor, '/v1/monitoring/reports/2026-11?format=csv');
    expect(await csv.text()).toBe(await apiCsv.text());
    const json = await b.get('/monitoring/data/2026-Q4.json');
    expect(json.headers.get('Content-Disposition')).toBe(
      'attachment; filename="monitoring-koeln-2026-Q4.json"',
    );
    const mine = (await json.json()) as MonitoringReport;
    const theirs = await apiReport('2026-Q4');
    expect(mine.treeHead.treeSize).toBe(theirs.treeHead.treeSize);
    expect(mine.treeHead.rootHash).toBe(theirs.treeHead.rootHash);
    expect({ ...mine, treeHead: null }).toEqual({ ...theirs, treeHead: null });
    const html = await (await b.get('/monitoring?period=2026-11')).text();
    expect(html).toContain('href="/monitoring/data/2026-11.csv"');
    expect(html).toContain('href="/monitoring/data/2026-11.json"');
    for (const path of ['/monitoring/data/2026-11.xml', '/monitoring/data/2026-13.csv']) {
      const res = await b.get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    }
    const anonymous = await (await member()).get('/monitoring/data/2026-11.csv');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('requested');
  });
});

describe('the programme view', () => {
  it('answers a 404 page while the tenant takes part in no programme, and offers no link to one', async () => {
    const b = await member(monitor);
    const res = await b.get('/monitoring/programme?period=2026-11');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('nimmt an keinem Programm teil');
    expect(await (await b.get('/monitoring')).text()).not.toContain('/monitoring/programme');
  });

  it('puts every taking-part municipality side by side, one row each, linked with the tenant view', async () => {
    await gw.storage.tenants.setProgramme('koeln', 'nrw');
    await gw.storage.tenants.setProgramme('dortmund', 'nrw');
    try {
      const b = await member(monitor);
      const tenant = await (await b.get('/monitoring?period=2026-11')).text();
      expect(tenant).toContain('href="/monitoring/programme?period=2026-11&amp;lang=de"');
      const res = await b.get('/monitoring/programme?period=2026-11');
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Programm nrw: alle Kommunen');
      expect(html).toContain('Stadt Köln<code>koeln</code>');
      expect(html).toContain('Stadt Dortmund<code>dortmund</code>');
      expect(html).toContain('href="/monitoring?period=2026-11&amp;lang=de"');
      expect(html).toContain('Eine Summe über alle Kommunen gibt es absichtlich nicht');
      const report = await apiReport('2026-11');
      expect(html).toContain(report.treeHead.rootHash);
      const csv = await b.get('/monitoring/data/programme/2026-11.csv');
      expect(csv.headers.get('Content-Disposition')).toBe(
        'attachment; filename="monitoring-nrw-2026-11.csv"',
      );
      const apiCsv = await as(monitor, '/v1/monitoring/programme/2026-11?format=csv');
      expect(await csv.text()).toBe(await apiCsv.text());
    } finally {
      await gw.storage.tenants.setProgramme('koeln', undefined);
      await gw.storage.tenants.setProgramme('dortmund', undefined);
    }
  });
});

describe('over TLS', () => {
  it('sets the session cookie Secure with the __Secure- prefix', async () => {
    const url = 'https://gateway.example';
    const tls = await testGateway({ publicUrl: url });
    try {
      const pki = { pki: tls.storage.pki, clock: tls.clock, masterKey: tls.masterKey };
      await provisionTenant(pki, { id: 'koeln', displayName: 'Stadt Köln' });
      const reader = await addPrincipal(pki, {
        tenantId: 'koeln',
        id: 'lenkung-koeln',
        kind: 'monitor',
      });
      const b = formBrowser(tls.app, url);
      const page = await (await b.get(`${url}/monitoring`)).text();
      const token = await assertionFor(reader, { audience: url, now: tls.clock.now() });
      const res = await b.post(`${url}/monitoring/sign-in`, {
        csrf: b.csrfOf(page),
        assertion: token,
      });
      expect(res.status).toBe(303);
      const cookie = cookieOf(res, '__Secure-cg_monitoring');
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/Path=\/monitoring/);
      expect((await b.get(`${url}/monitoring`)).status).toBe(200);
    } finally {
      tls.close();
    }
  });
});

describe('limits', () => {
  it("answers pages past the principal's audit budget with a 429 page and Retry-After", async () => {
    const small = await testGateway({
      publicUrl: AUD,
      rateLimits: { audit: { rate: 0.01, burst: 2 } },
    });
    try {
      const pki = { pki: small.storage.pki, clock: small.clock, masterKey: small.masterKey };
      await provisionTenant(pki, { id: 'koeln', displayName: 'Stadt Köln' });
      const reader = await addPrincipal(pki, {
        tenantId: 'koeln',
        id: 'lenkung-koeln',
        kind: 'monitor',
      });
      const b = formBrowser(small.app, AUD);
      const page = await (await b.get('/monitoring')).text();
      const token = await assertionFor(reader, { audience: AUD, now: small.clock.now() });
      expect(
        (await b.post('/monitoring/sign-in', { csrf: b.csrfOf(page), assertion: token })).status,
      ).toBe(303);
      expect((await b.get('/monitoring')).status).toBe(200);
      expect((await b.get('/monitoring')).status).toBe(200);
      const refused = await b.get('/monitoring');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(await refused.text()).toContain('Zu viele Abrufe');
    } finally {
      small.close();
    }
  });
});
