import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/index.ts';
import { provisionTenant, type PkiDeps } from '../certs/index.ts';
import { expireDue } from '../consent/index.ts';
import { createLogger } from '../gateway/logging.ts';
import { startNodeServer, type RunningServer } from '../gateway/node-server.ts';
import { testGateway, type TestGateway } from './support/app.ts';
import { launchChromium } from './support/browser.ts';
import { signedBy } from './support/flows.ts';
import { addPrincipal, assertionFor, type TestPrincipal } from './support/pki.ts';
import { freePort, projectRoot } from './support/process.ts';

/**
 * The steering group's pages in Debian's Chromium over a realistic history: three municipalities
 * of the programme `nrw`, Köln with seven months of requests, decisions, exchanges, revocations
 * and refused sends made through the real API on real SQLite, spread over the months by the
 * gateway's clock. Sign-in works with JavaScript off; axe finds no serious or critical violation
 * on the sign-in page, the tenant view and the programme view, at 1280 px and at 320 px, where
 * nothing scrolls sideways but the tables in their own regions. With SCREENSHOTS=1 the tenant
 * view is photographed into docs/screenshots/monitoring-de.png and monitoring-en.png.
 */
const DAY = 86_400_000;
const photograph = process.env['SCREENSHOTS'] === '1';
const screenshots = join(projectRoot, 'docs', 'screenshots');
const axeSource = readFileSync(join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let gw: TestGateway;
let server: RunningServer;
let browser: Browser;
let aud = '';
let monitor: TestPrincipal;

interface Offices {
  readonly tenantId: string;
  readonly abh: TestPrincipal;
  readonly jc: TestPrincipal;
  readonly so: TestPrincipal;
}

let subjects = 0;

/** One municipality's offices, registered with their types in its audit log. */
async function municipality(deps: PkiDeps, tenantId: string, displayName: string) {
  await provisionTenant(deps, { id: tenantId, displayName });
  const agency = (id: string, agencyType: string) =>
    addPrincipal(deps, { tenantId, id: `${id}-${tenantId}`, kind: 'agency', agencyType });
  return {
    tenantId,
    abh: await agency('abh', 'immigration_office'),
    jc: await agency('jc', 'jobcenter'),
    so: await agency('so', 'social_office'),
  };
}

async function as(p: TestPrincipal, path: string, body?: unknown): Promise<Response> {
  const headers = new Headers({
    Authorization: `Bearer ${await assertionFor(p, { audience: aud, now: gw.clock.now() })}`,
  });
  if (body !== undefined) headers.set('Content-Type', 'application/json');
  return gw.app.request(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
const post = (p: TestPrincipal, path: string) => as(p, path, {});

/** The two flows of the history: to the Jobcenter for work, to the social office for benefits. */
const FLOWS = {
  work: {
    purpose: 'labour_market_integration',
    categories: ['residence_status', 'employment_permission'],
    type: 'residence_status.notice',
    message: {
      residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
      employmentPermission: { allowed: true },
    },
  },
  benefits: {
    purpose: 'benefit_eligibility',
    categories: ['identity', 'residence_status'],
    type: 'identity.summary',
    message: { familyName: 'Haddad', birthDate: '1994-07-12', nationalities: ['SYR'] },
  },
} as const;
type Flow = keyof typeof FLOWS;

const recipientOf = (o: Offices, flow: Flow) => (flow === 'work' ? o.jc : o.so);

async function sendAs(o: Offices, flow: Flow, subject: string, message?: unknown) {
  const f = FLOWS[flow];
  return as(o.abh, '/v1/exchanges', {
    recipient: recipientOf(o, flow).id,
    subject: { scheme: 'azr', value: subject },
    purpose: f.purpose,
    messageType: f.type,
    payload: await signedBy(o.abh, message ?? f.message),
  });
}

/** A person from request to decision: granted, declined or left to expire. */
async function person(o: Offices, flow: Flow, decision: 'grant' | 'decline' | 'open') {
  const subject = String(200_000_000_000 + ++subjects);
  const f = FLOWS[flow];
  const requested = await as(recipientOf(o, flow), '/v1/consent-requests', {
    subject: { scheme: 'azr', value: subject },
    senders: [o.abh.id],
    recipients: [recipientOf(o, flow).id],
    purpose: f.purpose,
    categories: f.categories,
    validUntil: '2027-10-01T00:00:00Z',
    language: 'de',
    secondFactor: { type: 'birthDate', value: '1990-01-31' },
  });
  expect(requested.status).toBe(201);
  const { id, code } = (await requested.json()) as { id: string; code: string };
  return { subject, id, code, decision };
}

async function portal(path: string, body: unknown, cookie = '') {
  return gw.app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify(body),
  });
}

async function decide(p: { id: string; code: string; decision: string }) {
  const session = await portal('/v1/portal/session', { code: p.code, secondFactor: '1990-01-31' });
  const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  const res = await portal(`/v1/portal/requests/${p.id}/${p.decision}`, {}, cookie);
  if (p.decision !== 'grant') return undefined;
  return (await res.json()) as { consent: { id: string }; withdrawalCode: string };
}

async function revoke(granted: { consent: { id: string }; withdrawalCode: string }) {
  const session = await portal('/v1/portal/session', { withdrawalCode: granted.withdrawalCode });
  const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  expect(
    (await portal(`/v1/portal/consents/${granted.consent.id}/revoke`, {}, cookie)).status,
  ).toBe(200);
}

/** A deterministic mix: request i of a month is granted, declined or left open. */
const decisionOf = (i: number) => (i % 5 === 2 ? 'decline' : i % 7 === 5 ? 'open' : 'grant');

/**
 * One month of a municipality: requests, decisions two days later, exchanges the day after, most
 * fetched and acknowledged, every eighth consent revoked with its message still waiting, and a
 * few refused sends of several kinds.
 */
async function month(o: Offices, counts: { work: number; benefits: number; refused: number }) {
  const people = [];
  for (const flow of ['work', 'benefits'] as const)
    for (let i = 0; i < counts[flow]; i++)
      people.push({ flow, ...(await person(o, flow, decisionOf(i))) });
  gw.clock.advance(2 * DAY);
  let n = 0;
  for (const p of people) {
    const granted = await decide(p);
    if (granted === undefined) continue;
    const sent = await sendAs(o, p.flow, p.subject);
    expect(sent.status).toBe(201);
    const { id } = (await sent.json()) as { id: string };
    if (++n % 8 === 0) {
      await revoke(granted);
      continue;
    }
    if (n % 10 === 3) continue;
    expect((await as(recipientOf(o, p.flow), `/v1/mailbox/${id}`)).status).toBe(200);
    if (n % 6 !== 5)
      expect((await post(recipientOf(o, p.flow), `/v1/mailbox/${id}/ack`)).status).toBe(204);
  }
  // With a consent for benefits, the social office may not learn the languages a person speaks.
  const benefits = people.find((p) => p.flow === 'benefits' && p.decision === 'grant');
  for (let i = 0; i < counts.refused; i++) {
    const stranger = String(300_000_000_000 + ++subjects);
    const res =
      i % 4 === 3
        ? await sendAs(o, 'work', stranger, 'not a message')
        : i % 5 === 2 && benefits !== undefined
          ? await sendAs(o, 'benefits', benefits.subject, {
              ...FLOWS.benefits.message,
              languagesSpoken: ['ar'],
            })
          : await sendAs(o, 'work', stranger);
    expect(res.status).toBeGreaterThanOrEqual(400);
  }
}

/** Moves the clock to 10:00 on the 3rd of the next month and lets open requests expire. */
async function nextMonth() {
  const now = gw.clock.now();
  const target = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 3, 10);
  gw.clock.advance(target - now.getTime());
  await expireDue({
    consents: gw.storage.consents,
    clock: gw.clock,
    audit: new AuditLog(gw.storage.audit, gw.clock),
  });
}

async function seed(): Promise<void> {
  const deps: PkiDeps = {
    pki: gw.storage.pki,
    clock: gw.clock,
    masterKey: gw.masterKey,
    audit: new AuditLog(gw.storage.audit, gw.clock),
  };
  const koeln = await municipality(deps, 'koeln', 'Stadt Köln');
  const dortmund = await municipality(deps, 'dortmund', 'Stadt Dortmund');
  const bonn = await municipality(deps, 'bonn', 'Bundesstadt Bonn');
  monitor = await addPrincipal(deps, { tenantId: 'koeln', id: 'lenkung-koeln', kind: 'monitor' });
  for (const id of ['koeln', 'dortmund', 'bonn']) await gw.storage.tenants.setProgramme(id, 'nrw');
  const plan = [
    { work: 12, benefits: 3, refused: 4 },
    { work: 15, benefits: 2, refused: 7 },
    { work: 9, benefits: 5, refused: 2 },
    { work: 18, benefits: 1, refused: 9 },
    { work: 14, benefits: 4, refused: 5 },
    { work: 20, benefits: 6, refused: 11 },
    { work: 16, benefits: 2, refused: 6 },
  ];
  for (const [i, counts] of plan.entries()) {
    if (i > 0) await nextMonth();
    await month(koeln, counts);
    if (i >= plan.length - 2) {
      await month(dortmund, { work: 7 + i, benefits: 1, refused: 2 });
      await month(bonn, { work: 3, benefits: 2, refused: 1 });
    }
  }
  // Figures are published once their month has ended: the steering group reads in June.
  await nextMonth();
}

beforeAll(async () => {
  if (photograph) mkdirSync(screenshots, { recursive: true });
  const port = await freePort();
  aud = `http://127.0.0.1:${port}`;
  gw = await testGateway({ publicUrl: aud });
  await seed();
  server = await startNodeServer({
    fetch: gw.app.fetch,
    port,
    host: '127.0.0.1',
    logger: createLogger({ level: 'warn' }),
  });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser.close();
  await server.shutdown();
  gw.close();
});

/** Signs in on the page as a member does: the token pasted, the button pressed. */
async function signIn(page: Page, lang: 'de' | 'en') {
  await page.goto(`${aud}/monitoring?lang=${lang}`);
  const token = await assertionFor(monitor, { audience: aud, now: gw.clock.now() });
  await page.locator('#assertion').fill(token);
  await page.locator('form[action="/monitoring/sign-in"] button[type=submit]').click();
  await page.waitForURL(`${aud}/monitoring?lang=${lang}`);
}

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    // Closed <details> hide the agency tables from axe; opened, they are checked too.
    document.querySelectorAll('details').forEach((details) => (details.open = true));
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describe('the monitoring pages in Chromium', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // axe-core is injected as a script: only the test context bypasses the page's CSP for it.
    context = await browser.newContext({ bypassCSP: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context.close();
  });

  it('signs in with a pasted token and shows the newest month, with JavaScript switched off', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    try {
      const tab = await plain.newPage();
      await signIn(tab, 'de');
      await expect(tab.locator('h1').textContent()).resolves.toBe('Monitoring: Stadt Köln');
      await expect(tab.locator('#period').inputValue()).resolves.toBe('2027-05');
      await expect(tab.locator('figure svg[role=img]').count()).resolves.toBe(2);
      // Switching the period is a plain GET form.
      await tab.locator('#period').selectOption('2027-Q1');
      await tab.locator('.toolbar form button[type=submit]').click();
      expect(tab.url()).toBe(`${aud}/monitoring?lang=de&period=2027-Q1`);
      await expect(tab.locator('h1 + p').textContent()).resolves.toContain('1. Quartal 2027');
    } finally {
      await plain.close();
    }
  });

  it.each(['de', 'en'] as const)(
    'axe finds no serious or critical violation in %s at 1280 and 320 px, and nothing overflows',
    async (lang) => {
      await context.clearCookies();
      await signIn(page, lang);
      if (photograph) {
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.screenshot({
          path: join(screenshots, `monitoring-${lang}.png`),
          fullPage: true,
        });
      }
      const views = ['/monitoring', '/monitoring?period=2027-Q1', '/monitoring/programme'];
      for (const path of views) {
        for (const width of [1280, 320]) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(`${aud}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
          expect(await seriousViolations(page), `${path} in ${lang} at ${width} px`).toEqual([]);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect(overflow, `${path} in ${lang} at ${width} px`).toBeLessThanOrEqual(0);
        }
      }
    },
    60_000,
  );

  it('shows suppressed and published cells side by side in the realistic history', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${aud}/monitoring?period=2027-Q1&lang=de`);
    const suppressed = await page.locator('td.suppressed').count();
    const published = await page.locator('td.num:not(.suppressed)').count();
    expect(suppressed).toBeGreaterThan(0);
    expect(published).toBeGreaterThan(suppressed);
    const programme = await page.goto(`${aud}/monitoring/programme?period=2027-05&lang=de`);
    expect(programme?.status()).toBe(200);
    await expect(page.locator('#programme-flows tbody tr').count()).resolves.toBe(3);
  });

  it('signs in at 320 px and on the sign-in page axe finds nothing serious', async () => {
    const fresh = await browser.newContext({
      bypassCSP: true,
      viewport: { width: 320, height: 700 },
    });
    try {
      const tab = await fresh.newPage();
      await tab.goto(`${aud}/monitoring?lang=en`);
      expect(await seriousViolations(tab)).toEqual([]);
      const overflow = await tab.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await fresh.close();
    }
  });
});
