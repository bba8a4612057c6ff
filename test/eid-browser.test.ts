import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { de } from '../gateway/portal/messages/de.ts';
import { typeBirthDate } from './support/birth-date-form.ts';
import { launchChromium } from './support/browser.ts';
import { demoAgency } from './support/demo-agency.ts';
import {
  ACR_HIGH,
  ACR_SUBSTANTIAL,
  startTestOidcProvider,
  type TestOidcProvider,
} from './support/oidc-provider.ts';
import { freePort, startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/**
 * Issue 11, item 4: the identity-verified sign-in end to end, as a person does it in Debian's
 * Chromium with JavaScript off, against the real gateway process and a real OpenID Provider. The
 * gateway's public URL is `localhost`, the provider `127.0.0.1`: two different sites, as the
 * gateway and a BundID broker are, so the provider's redirect back is a cross-site navigation.
 */
const ACR_LOW = 'urn:example:eid:low';
const SECRET = 'eid-browser-client-secret-0123456789';
const dir = tempDir();
const data = join(dir.path, 'data');
/** The person, as her ID card states her and as the immigration office recorded her. */
const anna = { familyName: 'Nowak', givenNames: 'Anna Maria', birthDate: '1990-01-31' };
/** The same person as the social office wrote her: the match normalises both sides. */
const annaWritten = { familyName: 'NOWAK', givenNames: 'anna-maria', birthDate: anna.birthDate };
/** Another person: Anna's names, another birth date. Her request must never show to Anna. */
const other = { familyName: 'Nowak', givenNames: 'Anna Maria', birthDate: '1991-02-28' };
const stranger = { familyName: 'Schulte', givenNames: 'Jörg', birthDate: '1975-03-03' };
const account = (accountId: string, who: typeof anna, acr: string) => ({
  accountId,
  familyName: who.familyName,
  givenName: who.givenNames,
  birthDate: who.birthDate,
  acr,
});
const lmi = {
  senders: ['abh-demo'],
  recipients: ['jc-demo'],
  purpose: 'labour_market_integration',
  categories: ['residence_status', 'employment_permission'],
};
const cm = (categories: string[]) => ({
  senders: ['so-demo'],
  recipients: ['jc-demo'],
  purpose: 'case_management',
  categories,
});

let gw: GatewayProcess | undefined;
let provider: TestOidcProvider | undefined;
let browser: Browser | undefined;
let base = '';
let issuer = '';
interface Created {
  id: string;
  code: string;
  portalUrl: string;
}
const asked: Record<'A' | 'B' | 'C' | 'D', Created> = {} as never;
/** Everything that must never reach a log line: person data, codes, OIDC codes and states. */
const secrets = new Set([anna, annaWritten, other, stranger].flatMap((who) => Object.values(who)));
const need = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('set-up did not finish');
  return value;
};

/** An office asks for consent through the agency API, signed with its demo key. */
async function ask(by: string, azr: string, flow: object, identity: typeof anna) {
  const res = await fetch(`${need(gw).baseUrl}/v1/consent-requests`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await demoAgency(data, by, base).token()}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      subject: { scheme: 'azr', value: azr },
      ...flow,
      validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      language: 'de',
      secondFactor: { type: 'birthDate', value: identity.birthDate },
      identity,
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const created = (await res.json()) as Created;
  secrets.add(created.code);
  return created;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  provider = await startTestOidcProvider({
    redirectUri: new URL(`${base}/portal/eid/callback`),
    accounts: [
      account('anna', anna, ACR_SUBSTANTIAL),
      account('low', anna, ACR_LOW),
      account('stranger', stranger, ACR_SUBSTANTIAL),
    ],
    clients: [{ clientId: 'gateway', secret: SECRET }],
  });
  issuer = provider.issuer.origin;
  gw = await startGateway({
    GATEWAY_DATA_DIR: data,
    PORT: String(port),
    GATEWAY_PUBLIC_URL: base,
    GATEWAY_OIDC_ISSUER: provider.issuer.href,
    GATEWAY_OIDC_CLIENT_ID: 'gateway',
    GATEWAY_OIDC_CLIENT_SECRET: SECRET,
    GATEWAY_OIDC_ACR_MAP: JSON.stringify({
      [ACR_SUBSTANTIAL]: 'substantial',
      [ACR_HIGH]: 'high',
      [ACR_LOW]: 'low',
    }),
  });
  browser = await launchChromium();
  asked.A = await ask('abh-demo', '123456789012', lmi, anna);
  asked.B = await ask('so-demo', '123456789012', cm(['contact', 'health']), annaWritten);
  asked.C = await ask('abh-demo', '210987654321', lmi, other);
  asked.D = await ask('so-demo', '123456789012', cm(['health']), anna);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([browser?.close(), gw?.stop(), provider?.stop()]);
  dir.remove();
}, 20_000);

const newPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
  // Under the portal's own CSP: its form-action names the provider, or the button would stop.
  const context = await need(browser).newContext({ javaScriptEnabled: false, locale: 'de-DE' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { context, page };
};
/** Runs `use` in fresh browser contexts (one per argument wanted), closing them afterwards. */
async function fresh(count: number, use: (...pages: Page[]) => Promise<void>) {
  const opened = await Promise.all(Array.from({ length: count }, newPage));
  try {
    await use(...opened.map((o) => o.page));
  } finally {
    await Promise.all(opened.map((o) => o.context.close()));
  }
}

/** The receipt page the grant answers: the withdrawal code, and how the consent was given. */
async function expectEidReceipt(page: Page) {
  const code = (await page.locator('.withdrawal-code .code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);
  secrets.add(code).add(code.replaceAll('-', ''));
  const facts = await page.locator('dl.facts dd').allTextContents();
  expect(facts).toContain(de['channel.portal-eid']);
  expect(facts).toContain(de['assurance.substantial']);
}

const atCallback = (url: string) => url.startsWith(`${base}/portal/eid/callback`);
const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';
const openLinks = (page: Page) =>
  page
    .locator('main a[href^="/portal/requests/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));

/** Clicks the ID-card button on the page, ends at the provider's sign-in page. */
async function toProvider(page: Page, form = page.locator('form[action="/portal/eid/start"]')) {
  await form.locator('button[type=submit]').click();
  await page.waitForURL((url) => url.origin === issuer && url.pathname.startsWith('/interaction/'));
}

/**
 * At the provider: signs in as `account` (or cancels, for null); the browser follows the redirect
 * back. Answers the gateway's callback (its status and URL) and the portal path the browser lands
 * on: after a good callback, the page its same-site step moves on to.
 */
async function atProvider(page: Page, account: string | null) {
  const callback = page.waitForResponse((res) => atCallback(res.url()));
  if (account === null) await page.getByRole('button', { name: 'Cancel' }).click();
  else {
    await page.locator('#login').fill(account);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  const res = await callback;
  const url = new URL(res.url());
  for (const value of [url.searchParams.get('code'), url.searchParams.get('state')]) {
    if (value !== null) secrets.add(value);
  }
  if (res.status() === 200) await movedOn(page);
  else await page.waitForURL((at) => at.origin === base);
  return { status: res.status(), url: res.url(), landed: new URL(page.url()).pathname };
}

/** Waits until the browser has left the callback for the page it moves on to. */
const movedOn = (page: Page) =>
  page.waitForURL((url) => url.origin === base && !url.pathname.startsWith('/portal/eid/'));

/** From the sign-in page through the provider, as `account`. */
async function signInWithId(page: Page, account: string | null) {
  await page.goto(`${base}/portal/sign-in`);
  await toProvider(page);
  return atProvider(page, account);
}

/** Starts a sign-in in the browser, but lets the test play the provider: the callback URL, unopened. */
async function callbackOutsideBrowser(page: Page, account: string) {
  await page.goto(`${base}/portal/sign-in`);
  const authorization = page.waitForRequest((req) => req.url().startsWith(`${issuer}/auth?`));
  await toProvider(page);
  const url = await need(provider).signIn(new URL((await authorization).url()), account);
  for (const name of ['code', 'state']) secrets.add(url.searchParams.get(name) ?? 'no such value');
  return url.href;
}

/** The sign-in page with the eID-failed message, 401, and no session afterwards. */
const expectFailed = async (page: Page, status: number | undefined) => {
  expect(status).toBe(401);
  expect(await mainText(page)).toContain(de['signIn.eidFailed']);
  await page.goto(`${base}/portal/consents`);
  expect(page.url()).toBe(`${base}/portal/sign-in?notice=needed`);
};

describe('identity-verified sign-in in Chromium, without JavaScript', { timeout: 30_000 }, () => {
  let annas: { context: BrowserContext; page: Page };
  beforeAll(async () => {
    annas = await newPage();
  });
  afterAll(async () => {
    await annas.context.close();
  });

  it('signs in with the ID card and shows every request of the person, and only hers', async () => {
    const { page, context } = annas;
    await page.goto(`${base}/portal/sign-in`);
    await expect(page.locator('#eid-heading').textContent()).resolves.toBe(de['signIn.eidTitle']);
    await toProvider(page);
    const { status, landed } = await atProvider(page, 'anna');
    expect([status, landed]).toEqual([200, '/portal/consents']);
    expect(await openLinks(page)).toEqual(
      expect.arrayContaining([`/portal/requests/${asked.A.id}`, `/portal/requests/${asked.B.id}`]),
    );
    expect(await openLinks(page)).not.toContain(`/portal/requests/${asked.C.id}`);
    const text = await mainText(page);
    expect(text).toContain('Arbeit oder Ausbildung finden');
    expect(text).toContain('Persönliche Begleitung (Case Management)');

    await page.locator('nav.main a[href="/portal/history"]').click();
    expect(page.url()).toBe(`${base}/portal/history`);
    await expect(page.locator('h1').textContent()).resolves.toBe(de['history.title']);

    const download = page.waitForEvent('download');
    await page.locator('nav.main a[href="/v1/portal/report"]').click();
    const report = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as {
      requests: { id: string }[];
    };
    const ids = report.requests.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([asked.A.id, asked.B.id, asked.D.id]));
    expect(ids).not.toContain(asked.C.id);
    const json = await context.request.get(`${base}/v1/portal/report`);
    expect(json.status()).toBe(200);
  });

  it('grants the health request with the ID-card session: channel portal-eid, assurance substantial', async () => {
    const { page, context } = annas;
    await page.goto(`${base}/portal/consents`);
    await page.locator(`main a[href="/portal/requests/${asked.B.id}"]`).click();
    expect(page.url()).toBe(`${base}/portal/requests/${asked.B.id}`);
    await page.locator('#confirm').check();
    const answer = page.waitForResponse((res) => res.url().endsWith(`/${asked.B.id}/grant`));
    await page.locator('form[action$="/grant"] button[type=submit]').click();
    expect((await answer).status()).toBe(200);
    await expectEidReceipt(page);

    const res = await context.request.get(`${base}/v1/portal/consents`);
    const { items } = (await res.json()) as {
      items: { purpose: string; categories: string[]; channel: string; assurance: string }[];
    };
    expect(items).toEqual([
      expect.objectContaining({
        purpose: 'case_management',
        categories: ['contact', 'health'],
        channel: 'portal-eid',
        assurance: 'substantial',
      }),
    ]);
  });

  it('sends a code session to the ID card for health data and back to the request (returnTo)', () =>
    fresh(1, async (page) => {
      await page.goto(asked.D.portalUrl);
      await typeBirthDate(page, anna.birthDate);
      await page.locator('form[action="/portal/sign-in"] button[type=submit]').click();
      expect(page.url()).toBe(`${base}/portal/requests/${asked.D.id}`);
      const grant = async () => {
        await page.locator('#confirm').check();
        const answer = page.waitForResponse((res) => res.url().endsWith(`/${asked.D.id}/grant`));
        await page.locator('form[action$="/grant"] button[type=submit]').click();
        return (await answer).status();
      };
      const eidForm = page.locator('section.message form[action="/portal/eid/start"]');
      for (const accountId of ['low', 'anna']) {
        // The code's low assurance, then the ID card stating only 'low': both refused, 403.
        expect(await grant()).toBe(403);
        await expect(page.locator('#assurance-heading').textContent()).resolves.toBe(
          de['assurance.title'],
        );
        await expect(eidForm.locator('input[name=returnTo]').inputValue()).resolves.toBe(
          `/portal/requests/${asked.D.id}`,
        );
        // The provider would otherwise sign the last account in again without asking.
        await page.context().clearCookies({ domain: '127.0.0.1' });
        await toProvider(page, eidForm);
        const { status, landed } = await atProvider(page, accountId);
        expect([status, landed]).toEqual([200, `/portal/requests/${asked.D.id}`]);
      }
      expect(await grant()).toBe(200);
      await expectEidReceipt(page);
    }));

  it('shows a stranger nothing, and says why', () =>
    fresh(1, async (page) => {
      const { status, landed } = await signInWithId(page, 'stranger');
      expect([status, landed]).toEqual([200, '/portal/consents']);
      expect(await mainText(page)).toContain(de['signIn.eidNoMatch']);
      expect(await openLinks(page)).toEqual([]);
      const json = (path: string) => page.context().request.get(`${base}${path}`);
      expect(await (await json('/v1/portal/consents')).json()).toEqual({ items: [] });
      const report = (await (await json('/v1/portal/report')).json()) as Record<string, unknown>;
      expect([report['requests'], report['consents']]).toEqual([[], []]);
    }));

  it('refuses a callback whose state was changed, and the in-flight sign-in is spent', () =>
    fresh(1, async (page) => {
      const callback = await callbackOutsideBrowser(page, 'anna');
      const tampered = new URL(callback);
      tampered.searchParams.set('state', `${tampered.searchParams.get('state') ?? ''}x`);
      await expectFailed(page, (await page.goto(tampered.href))?.status());
      await expectFailed(page, (await page.goto(callback))?.status());
    }));

  it('refuses a replayed callback, with and without the sign-in cookie', () =>
    fresh(2, async (page, second) => {
      await page.goto(`${base}/portal/sign-in`);
      await toProvider(page);
      const cookie = (await page.context().cookies(base)).find((c) => c.name === 'cg_eid');
      expect(cookie).toBeDefined();
      const { status, url, landed } = await atProvider(page, 'anna');
      expect([status, landed]).toEqual([200, '/portal/consents']);
      // The same callback with the same sign-in cookie: the sign-in in flight was taken once.
      await second.context().addCookies(cookie === undefined ? [] : [cookie]);
      await expectFailed(second, (await second.goto(url))?.status());
      await page.context().clearCookies();
      await expectFailed(page, (await page.goto(url))?.status());
    }));

  it('refuses the sign-in the person cancelled at the provider', () =>
    fresh(1, async (page) => {
      const { status, url } = await signInWithId(page, null);
      expect(new URL(url).searchParams.get('error')).toBe('access_denied');
      await expectFailed(page, status);
    }));

  it('refuses a callback opened in another browser, which spends nothing of the real one', () =>
    fresh(2, async (page, elsewhere) => {
      const callback = await callbackOutsideBrowser(page, 'anna');
      await expectFailed(elsewhere, (await elsewhere.goto(callback))?.status());
      await page.goto(callback);
      await movedOn(page);
      expect(page.url()).toBe(`${base}/portal/consents`);
    }));

  // Browsers apply `form-action` to where a form's redirect leads: the portal's CSP names the
  // provider's origin, or Chromium would stop POST /portal/eid/start → 303 to the provider.
  it('reaches the provider from the ID-card button under the portal’s own CSP', async () => {
    const context = await need(browser).newContext({ javaScriptEnabled: false, locale: 'de-DE' });
    try {
      const page = await context.newPage();
      await page.goto(`${base}/portal/sign-in`);
      const messages: string[] = [];
      page.on('console', (message) => messages.push(message.text()));
      const outcome = page
        .waitForURL((url) => url.origin === issuer, { timeout: 5000 })
        .then(
          () => 'at the provider',
          () => 'stopped',
        );
      await page.locator('form[action="/portal/eid/start"] button[type=submit]').click();
      const csp = messages.filter((text) => text.includes('directive: "form-action \'self\'"'));
      expect({ outcome: await outcome, csp }).toEqual({ outcome: 'at the provider', csp: [] });
    } finally {
      await context.close();
    }
  });

  // The provider's redirect back is cross-site, so Chromium withholds the SameSite=Strict session
  // cookie on it; the callback's same-site step (meta refresh) lets the next page carry it.
  it('lands signed in on the page the callback moves on to', () =>
    fresh(1, async (page) => {
      expect((await signInWithId(page, 'anna')).landed).toBe('/portal/consents');
      expect(page.url()).toBe(`${base}/portal/consents`);
      expect(await mainText(page)).not.toContain(de['signIn.needed']);
    }));

  it('writes no name, birth date, code or OIDC value to the log', () => {
    const log = need(gw).stdout() + need(gw).stderr();
    expect(log).toContain('identity-verified sign-in refused');
    for (const secret of secrets) expect(log.includes(secret), `${secret} in the log`).toBe(false);
  });
});
