import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

let browser: Browser;
let gw: GatewayProcess;
const dir = tempDir();

beforeAll(async () => {
  gw = await startGateway({ GATEWAY_DATA_DIR: dir.path });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
  await gw.stop();
  dir.remove();
});

describe('GET /docs in a real browser', () => {
  it('renders the API reference from the gateway alone, under its CSP, without errors', async () => {
    const page = await browser.newPage();
    const origin = new URL(gw.baseUrl).origin;
    const elsewhere: string[] = [];
    const problems: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.protocol !== 'data:' && url.origin !== origin) elsewhere.push(req.url());
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // Anything not from the gateway fails, as it would on a machine without internet.
    await page.route(
      (url) => url.origin !== origin && url.protocol !== 'data:',
      (route) => route.abort(),
    );

    await page.goto(`${gw.baseUrl}/docs`);
    const operation = page.locator('.opblock-summary-path', { hasText: '/health' });
    await operation.first().waitFor({ timeout: 15_000 });
    await expect(page.locator('.info .title').textContent()).resolves.toContain('Consent gateway');

    // Interactive: opening the operation shows its responses, including the problem+json one.
    await operation.first().click();
    await page.locator('.responses-table').first().waitFor();
    await expect(page.locator('.responses-table').first().textContent()).resolves.toContain('503');

    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
