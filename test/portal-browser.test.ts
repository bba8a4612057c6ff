import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../policies/index.ts';
import { typeBirthDate } from './support/birth-date-form.ts';
import { launchChromium } from './support/browser.ts';
import { demoAgency } from './support/demo-agency.ts';
import { freePort, projectRoot, startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/**
 * The person's portal in Debian's Chromium, as a person uses it: from the link in the letter to
 * sign-in, the request, grant, the receipt, revoke and the history, in German and in Arabic, with
 * JavaScript switched off. Every page in every language is scanned with axe-core and checked at
 * 320 px width. With SCREENSHOTS=1 (`npm run screenshots`) each page is also photographed into
 * docs/screenshots/ for the README; `npm test` never rewrites tracked files.
 */
const dir = tempDir();
const data = join(dir.path, 'data');
const screenshots = join(projectRoot, 'docs', 'screenshots');
const photograph = process.env['SCREENSHOTS'] === '1';
const axeSource = readFileSync(join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
let gw: GatewayProcess;
let browser: Browser;
let aud = '';

const birthDate = '1990-01-31';

async function requestConsent(subject: string, language: Language) {
  const jobcenter = demoAgency(data, 'jc-demo', aud);
  const res = await fetch(`${gw.baseUrl}/v1/consent-requests`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await jobcenter.token()}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      subject: { scheme: 'azr', value: subject },
      senders: ['abh-demo'],
      recipients: ['jc-demo'],
      purpose: 'labour_market_integration',
      categories: ['residence_status', 'employment_permission'],
      validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
      language,
      secondFactor: { type: 'birthDate', value: birthDate },
    }),
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as { id: string; code: string; portalUrl: string };
  return { ...created, link: created.portalUrl };
}

/** The immigration office sends, the Jobcenter fetches: the history then has something to show. */
async function exchangeFor(subject: string) {
  const office = demoAgency(data, 'abh-demo', aud);
  const jobcenter = demoAgency(data, 'jc-demo', aud);
  const sent = await fetch(`${gw.baseUrl}/v1/exchanges`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await office.token()}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      recipient: 'jc-demo',
      subject: { scheme: 'azr', value: subject },
      purpose: 'labour_market_integration',
      messageType: 'residence_status.notice',
      payload: await office.sign({
        residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
        employmentPermission: { allowed: true, conditions: 'Beschäftigung erlaubt' },
      }),
    }),
  });
  expect(sent.status).toBe(201);
  const { id } = (await sent.json()) as { id: string };
  const fetched = await fetch(`${gw.baseUrl}/v1/mailbox/${id}`, {
    headers: { Authorization: `Bearer ${await jobcenter.token()}` },
  });
  expect(fetched.status).toBe(200);
}

async function shoot(page: Page, language: Language, name: string) {
  if (!photograph) return;
  await page.screenshot({ path: join(screenshots, `${language}-${name}.png`), fullPage: true });
}

/** Every page checks the same things: the language, the direction, no error in the console. */
async function expectLanguage(page: Page, language: Language) {
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe(language);
  const rtl = language === 'ar' || language === 'fa';
  await expect(page.locator('html').getAttribute('dir')).resolves.toBe(rtl ? 'rtl' : 'ltr');
}

beforeAll(async () => {
  if (photograph) mkdirSync(screenshots, { recursive: true });
  // The browser must reach the gateway at its public URL: forms from any other origin are refused.
  const port = String(await freePort());
  aud = `http://127.0.0.1:${port}`;
  gw = await startGateway({ GATEWAY_DATA_DIR: data, PORT: port, GATEWAY_PUBLIC_URL: aud });
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser.close();
  await gw.stop();
  dir.remove();
});

describe.each([
  { language: 'de' as const, subject: '100000000001', texts: { grant: 'Ja, ich willige ein' } },
  { language: 'ar' as const, subject: '100000000002', texts: { grant: 'نعم، أوافق' } },
])('the portal in $language, without JavaScript', ({ language, subject }) => {
  let context: BrowserContext;
  let page: Page;
  let consentId = '';
  let request: { id: string; code: string; link: string } = { id: '', code: '', link: '' };

  beforeAll(async () => {
    context = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context.close();
  });

  it('opens from the letter with the code filled in and the language of the request', async () => {
    request = await requestConsent(subject, language);
    await page.goto(request.link);
    await expectLanguage(page, language);
    await expect(page.locator('#code').inputValue()).resolves.toBe(request.code);
    await shoot(page, language, 'sign-in');

    await typeBirthDate(page, '1985-05-05');
    await page.locator('form[action="/portal/sign-in"] button[type=submit]').click();
    await expect(page.locator('[role=alert]').count()).resolves.toBe(1);
    expect(page.url()).toBe(`${gw.baseUrl}/portal/sign-in`);

    await typeBirthDate(page, birthDate);
    await page.locator('form[action="/portal/sign-in"] button[type=submit]').click();
    // After sign-in neither the code nor any identifier is in the address bar.
    expect(page.url()).toBe(`${gw.baseUrl}/portal/requests/${request.id}`);
    expect(page.url()).not.toContain(request.code);
    await expectLanguage(page, language);
  });

  it('shows the request in plain language and records the grant with a receipt', async () => {
    const main = page.locator('main');
    await expect(main.locator('h1').textContent()).resolves.toBeTruthy();
    // Who would receive what, for which purpose, until when: the names, not the ids.
    const text = (await main.textContent()) ?? '';
    expect(text).toContain('Jobcenter');
    expect(text).not.toContain('residence_status');
    await shoot(page, language, 'request');

    // Grant without the tick: the browser's own check stops it (required), nothing is recorded.
    await page.locator('form[action$="/grant"] button[type=submit]').click();
    expect(page.url()).toMatch(/\/portal\/requests\/cr_/);
    await page.locator('#confirm').check();
    await page.locator('form[action$="/grant"] button[type=submit]').click();
    // The grant answers with the receipt itself, the withdrawal code on it this once.
    await expectLanguage(page, language);
    await expect(page.locator('[role=status]').count()).resolves.toBe(1);
    const withdrawal = (await page.locator('.withdrawal-code p.code').textContent()) ?? '';
    expect(withdrawal).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    await shoot(page, language, 'receipt');
    const href = await page.locator('a[download]').getAttribute('href');
    consentId = /consents\/([^/]+)\/receipt/.exec(href ?? '')?.[1] ?? '';
    expect(consentId).toMatch(/^cs_/);

    // The signed file: a compact JWS whose receipt names this consent and the language read.
    const res = await context.request.get(`${gw.baseUrl}${href ?? ''}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="receipt-rc_/);
    const [, payload = ''] = (await res.text()).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      record_id: string;
      language: string;
      channel: string;
      assurance: string;
    };
    expect(claims).toMatchObject({
      record_id: consentId,
      language,
      channel: 'portal-code',
      assurance: 'low',
    });
    // The code the office handed over is spent: it opens nothing any more.
    const again = await fetch(`${gw.baseUrl}/v1/portal/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: request.code, secondFactor: birthDate }),
    });
    expect(again.status).toBe(410);
  });

  it('lists the consent and revokes it with one confirmation', async () => {
    await exchangeFor(subject);
    await page.goto(`${gw.baseUrl}/portal/consents`);
    await expectLanguage(page, language);
    const form = page.locator(`form[action="/portal/consents/${consentId}/revoke"]`);
    await expect(form.count()).resolves.toBe(1);
    await shoot(page, language, 'consents');

    await form.locator('input[name=confirm]').check();
    await form.locator('button[type=submit]').click();
    expect(page.url()).toBe(`${gw.baseUrl}/portal/consents?done=revoked`);
    await expect(page.locator('[role=status]').count()).resolves.toBe(1);
    // No revoke form is left: the consent is no longer active.
    await expect(page.locator('form[action$="/revoke"]').count()).resolves.toBe(0);
  });

  it('shows in the history which office received which data, and the revocation', async () => {
    await page.locator('nav.main a[href="/portal/history"]').click();
    expect(page.url()).toBe(`${gw.baseUrl}/portal/history`);
    await expectLanguage(page, language);
    const entries = page.locator('ol.history > li');
    // requested, granted, accepted, delivered, revoked, and the fetched-but-unacknowledged
    // message withheld (its ciphertext deleted) by the revocation
    await expect(entries.count()).resolves.toBe(6);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Jobcenter');
    // The newest first: the revocation heads the list; the receipt link names the purpose.
    const links = page.locator(`ol.history a[href="/portal/consents/${consentId}/receipt"]`);
    await expect(links.count()).resolves.toBeGreaterThan(0);
    expect(await links.first().textContent()).not.toContain(consentId);
    await shoot(page, language, 'history');
  });

  it('answers a page that is not the person’s in their language', async () => {
    const res = await page.goto(`${gw.baseUrl}/portal/consents/cs_not_mine/receipt`);
    expect(res?.status()).toBe(404);
    await expectLanguage(page, language);
    await shoot(page, language, 'not-found');
  });

  it('signs out, and the pages then ask for sign-in again', async () => {
    await page.goto(`${gw.baseUrl}/portal/consents`);
    await page.locator('nav.main button[type=submit]').click();
    expect(page.url()).toBe(`${gw.baseUrl}/portal/sign-in?notice=signed-out`);
    await page.goto(`${gw.baseUrl}/portal/consents`);
    expect(page.url()).toBe(`${gw.baseUrl}/portal/sign-in?notice=needed`);
  });
});

describe('accessibility in every language', () => {
  let context: BrowserContext;
  let pageOne: Page;
  let openContext: BrowserContext;
  let openPage: Page;
  let pages: { name: string; path: string; second?: boolean }[] = [];

  beforeAll(async () => {
    // axe-core is injected as a script: the test context alone bypasses the page's CSP for it.
    context = await browser.newContext({ bypassCSP: true });
    pageOne = await context.newPage();
    const page = pageOne;
    const request = await requestConsent('100000000003', 'en');
    await page.goto(request.link);
    await typeBirthDate(page, birthDate);
    await page.locator('form[action="/portal/sign-in"] button[type=submit]').click();
    await page.locator('#confirm').check();
    await page.locator('form[action$="/grant"] button[type=submit]').click();
    const jwt = (await page.locator('a[download]').getAttribute('href')) ?? '';
    const receipt = jwt.replace(/\.jwt$/, '');
    await exchangeFor('100000000003');
    // A second request of the same person, still open: the page with the Grant form. Its own
    // code opens it (the first code's session does not reach it), in a second context.
    const pending = await requestConsent('100000000003', 'en');
    openContext = await browser.newContext({ bypassCSP: true });
    openPage = await openContext.newPage();
    await openPage.goto(pending.link);
    await typeBirthDate(openPage, birthDate);
    await openPage.locator('form[action="/portal/sign-in"] button[type=submit]').click();
    pages = [
      { name: 'sign-in', path: '/portal/sign-in' },
      { name: 'withdrawal sign-in', path: '/portal/withdraw' },
      { name: 'request (granted)', path: `/portal/requests/${request.id}` },
      { name: 'request (open)', path: `/portal/requests/${pending.id}`, second: true },
      { name: 'consents', path: '/portal/consents' },
      { name: 'receipt', path: receipt },
      { name: 'history', path: '/portal/history' },
      { name: 'not found', path: '/portal/consents/cs_nope/receipt' },
    ];
  });
  afterAll(async () => {
    await context.close();
    await openContext.close();
  });

  it.each(LANGUAGES.map((language) => ({ language })))(
    'axe finds no serious or critical violation on any page in $language, and nothing overflows 320 px',
    async ({ language }) => {
      for (const { name, path, second } of pages) {
        const page = second === true ? openPage : pageOne;
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(`${gw.baseUrl}${path}?lang=${language}`);
        await expectLanguage(page, language);
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (o: object) => Promise<AxeResult> } })
            .axe;
          const result = await axe.run({
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          });
          return result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        });
        expect(violations, `${name} in ${language}`).toEqual([]);

        // Reflow (WCAG 1.4.10): at 320 px, as at 400 % zoom, nothing scrolls sideways.
        await page.setViewportSize({ width: 320, height: 640 });
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${name} in ${language} at 320 px`).toBeLessThanOrEqual(0);
      }
    },
  );
});

describe('keyboard use', () => {
  it('reaches the skip link first, shows where the focus is, and jumps to the content', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${gw.baseUrl}/portal/sign-in`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return {
        className: el.className,
        outline: style.outlineStyle,
        width: style.outlineWidth,
        visible: el.getBoundingClientRect().top >= 0,
      };
    });
    expect(focused).toMatchObject({
      className: 'skip',
      outline: 'solid',
      width: '3px',
      visible: true,
    });
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main');
    // Tab order then reaches the code field before the submit button.
    await page.keyboard.press('Tab');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      order.push(
        await page.evaluate(() => {
          const el = document.activeElement;
          return el === null ? '' : el.id === '' ? el.tagName : el.id;
        }),
      );
      await page.keyboard.press('Tab');
    }
    expect(order.indexOf('code')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('code')).toBeLessThan(order.indexOf('birthDay'));
    await context.close();
  });
});

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}
