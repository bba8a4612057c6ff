import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionTenant, revokeCertificate, type PkiDeps } from '../certs/index.ts';
import { testGateway, type TestGateway } from './support/app.ts';
import { formBrowser } from './support/form-browser.ts';
import {
  cookieOf,
  seededMonitoringPages,
  type MonitoringPagesWorld,
} from './support/monitoring.ts';
import { addPrincipal, assertionFor, type TestPrincipal } from './support/pki.ts';
import { AUD } from './support/world.ts';

/**
 * Signing in to the steering group's pages in process, as a browser without JavaScript does:
 * sign-in with a pasted client assertion and its refusals (as HTML pages, in the page's
 * language), the session cookie, CSRF and the origin check, the throttle, sign-out, and what ends
 * a session (a tampered cookie, a revoked certificate, 8 hours); the `__Secure-` cookie over TLS.
 * The views and downloads are in monitoring-pages-views.test.ts, Chromium and axe in
 * monitoring-browser.test.ts.
 */
let world: MonitoringPagesWorld;
let gw: TestGateway;
let deps: PkiDeps;
let abh: TestPrincipal;
let monitor: TestPrincipal;
let dpo: TestPrincipal;
let dortmundMonitor: TestPrincipal;
let assertion: MonitoringPagesWorld['assertion'];
let member: MonitoringPagesWorld['member'];
let signIn: MonitoringPagesWorld['signIn'];

beforeAll(async () => {
  world = await seededMonitoringPages();
  ({ gw, deps, abh, monitor, dpo, dortmundMonitor, assertion, member, signIn } = world);
}, 60_000);
afterAll(() => {
  world.close();
});

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
