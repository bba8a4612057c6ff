import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeBirthDate } from './support/birth-date-form.ts';
import { launchChromium } from './support/browser.ts';
import { demoAgency } from './support/demo-agency.ts';
import { freePort, projectRoot, startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/**
 * The forms of issue 17 in Debian's Chromium: codes stay whole on one line also in Arabic at
 * 320 px, and axe finds nothing serious on the sign-in form with its problems shown or on the
 * page a browser gets for an unknown address.
 */
const dir = tempDir();
const data = join(dir.path, 'data');
const axeSource = readFileSync(join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const birthDate = '1990-01-31';
let gw: GatewayProcess;
let browser: Browser;
let aud = '';

async function requestConsent(subject: string) {
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
      language: 'ar',
      secondFactor: { type: 'birthDate', value: birthDate },
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; code: string; portalUrl: string };
}

/**
 * How a code is laid out: in how many boxes (an inline element broken across lines has more
 * than one), how tall against the line height, and whether its first character stands left of
 * its last (the code read left to right, also on a right-to-left page).
 */
async function layoutOf(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) => {
    const text = el.firstChild;
    const range = document.createRange();
    const charAt = (at: number) => {
      if (text === null) return undefined;
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      return range.getBoundingClientRect();
    };
    const length = el.textContent.length;
    return {
      boxes: el.getClientRects().length,
      height: el.getBoundingClientRect().height,
      lineHeight: parseFloat(getComputedStyle(el).lineHeight),
      leftToRight: (charAt(0)?.left ?? 0) < (charAt(length - 1)?.left ?? 0),
      fits: el.getBoundingClientRect().right <= document.documentElement.clientWidth,
    };
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}

beforeAll(async () => {
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

describe('codes in Arabic at 320 px', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context.close();
  });

  it('keeps the example codes of the sign-in hints on one line, left to right', async () => {
    for (const path of ['/portal/sign-in?lang=ar', '/portal/withdraw?lang=fa']) {
      await page.goto(`${gw.baseUrl}${path}`);
      const layout = await layoutOf(page, '.hint .code-text');
      expect(layout, path).toMatchObject({ boxes: 1, leftToRight: true, fits: true });
      expect(layout.height, path).toBeLessThan(layout.lineHeight * 1.5);
    }
  });

  it('keeps the withdrawal code on the receipt on one line, left to right', async () => {
    const request = await requestConsent('100000000011');
    await page.goto(request.portalUrl);
    await typeBirthDate(page, birthDate);
    await page.locator('form[action="/portal/sign-in"] button[type=submit]').click();
    await page.locator('#confirm').check();
    await page.locator('form[action$="/grant"] button[type=submit]').click();
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    for (const selector of ['.withdrawal-code p.code', 'dd.code']) {
      const layout = await layoutOf(page, selector);
      expect(layout, selector).toMatchObject({ leftToRight: true, fits: true });
      expect(layout.height, selector).toBeLessThan(layout.lineHeight * 1.5);
    }
  });
});

describe('accessibility of the new pages', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    // axe-core is injected as a script: the test context alone bypasses the page's CSP for it.
    context = await browser.newContext({ bypassCSP: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context.close();
  });

  it.each(['de', 'ar'])(
    'finds nothing serious on the sign-in form with its problems shown, in %s',
    async (language) => {
      await page.goto(`${gw.baseUrl}/portal/sign-in?lang=${language}`);
      await expect(seriousViolations(page)).resolves.toEqual([]);
      await page.locator('#birthDay').fill('31');
      await page.locator('#birthMonth').fill('13');
      await page.locator('#birthYear').fill('1990');
      await page.locator('form[action="/portal/sign-in"] button[type=submit]').click();
      await expect(page.locator('.error-summary a').count()).resolves.toBe(2);
      await expect(page.locator('.error-summary a').last().getAttribute('href')).resolves.toBe(
        '#birthMonth',
      );
      // The summary's link moves the focus to the field to fix.
      await page.locator('.error-summary a').last().click();
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('birthMonth');
      await expect(page.locator('#birthDay').inputValue()).resolves.toBe('31');
      await expect(seriousViolations(page)).resolves.toEqual([]);
    },
  );

  it('answers an unknown address with a page in the browser’s language, and axe finds nothing serious', async () => {
    const ukrainian = await browser.newContext({ bypassCSP: true, locale: 'uk-UA' });
    const lost = await ukrainian.newPage();
    const res = await lost.goto(`${gw.baseUrl}/no/such/page`);
    expect(res?.status()).toBe(404);
    expect(res?.headers()['content-type']).toMatch(/^text\/html/);
    await expect(lost.locator('html').getAttribute('lang')).resolves.toBe('uk');
    await expect(lost.locator('main a[href="/portal"]').count()).resolves.toBe(1);
    await expect(seriousViolations(lost)).resolves.toEqual([]);
    // The browser's own request for the icon finds one.
    const icon = await lost.goto(`${gw.baseUrl}/favicon.ico`);
    expect(icon?.headers()['content-type']).toBe('image/x-icon');
    await ukrainian.close();
  });

  it('takes a browser from the site root to the portal', async () => {
    await page.goto(`${gw.baseUrl}/`);
    expect(page.url()).toBe(`${gw.baseUrl}/portal/sign-in`);
  });
});
