import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { provisionTenant, registerWithCsr } from '../../certs/index.ts';
import { keyAndCsr, type TestPrincipal } from '../support/pki.ts';
import { portalBrowser } from './support/browser.ts';
import {
  askConsent,
  attackWorld,
  exchangeBody,
  refused,
  type AttackWorld,
} from './support/world.ts';

/**
 * XSS through every string an office controls that the portal shows: the tenant's and the
 * agencies' display names, addresses and DPO contacts (registered by the operator from what the
 * office sends), and what comes back in a URL. Each string carries a script tag and an attribute
 * breakout; the pages must show it as text, never as markup, under a CSP without inline script.
 */
const xss = (tag: string) =>
  `<script>alert("${tag}")</script>"><img src=x onerror=alert('${tag}')>`;

let w: AttackWorld;
let abh: TestPrincipal;
let jc: TestPrincipal;
let request: { id: string; code: string };

async function hostileAgency(id: string, agencyType: string): Promise<TestPrincipal> {
  const { keys, csrPem, alg } = await keyAndCsr('P-256', id);
  const registered = await registerWithCsr(w.deps, {
    tenantId: 'hostile',
    id,
    kind: 'agency',
    agencyType,
    csrPem,
    displayName: xss(`${id}-name`),
    address: xss(`${id}-address`),
    dpoContact: xss(`${id}-dpo`),
  });
  const { pem: certificatePem, fingerprint, serial } = registered;
  return {
    tenantId: 'hostile',
    id,
    kind: 'agency',
    certificatePem,
    fingerprint,
    serial,
    privateKey: keys.privateKey,
    alg,
  };
}

beforeAll(async () => {
  w = await attackWorld();
  await provisionTenant(w.deps, { id: 'hostile', displayName: xss('tenant-name') });
  abh = await hostileAgency('abh-hostile', 'immigration_office');
  jc = await hostileAgency('jc-hostile', 'jobcenter');
  request = await askConsent(w.as, jc, {
    senders: ['abh-hostile'],
    recipients: ['jc-hostile'],
    purpose: 'labour_market_integration',
    categories: ['residence_status', 'employment_permission'],
  });
});
afterAll(() => {
  w.gw.close();
});
// The clock is frozen; a second per test refills the per-principal rate budget (50/s).
beforeEach(() => {
  w.gw.clock.advance(1_000);
});

const decoded = (html: string) =>
  html
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&#x27;', "'")
    .replaceAll('&amp;', '&');

/** The page shows the hostile strings only as text, and its CSP forbids inline script. */
async function inert(res: Response): Promise<string> {
  expect(res.status).toBeLessThan(500);
  const csp = res.headers.get('Content-Security-Policy') ?? '';
  expect(csp).toMatch(/script-src '(self|none)'/);
  expect(csp).not.toContain('unsafe-inline');
  const html = await res.text();
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  return html;
}

describe('agency-controlled strings on the portal pages', () => {
  it('shows the names, addresses and DPO contacts on the request page as text only', async () => {
    const b = portalBrowser(w.gw.app);
    expect((await b.signIn(request.code)).status).toBe(303);
    const html = await inert(await b.get(`/portal/requests/${request.id}`));
    for (const tag of [
      'jc-hostile-name',
      'abh-hostile-name',
      'jc-hostile-address',
      'jc-hostile-dpo',
    ])
      expect(decoded(html), tag).toContain(`alert("${tag}")`);
  });

  it('shows them as text on the receipt, the consents list and the history', async () => {
    const b = portalBrowser(w.gw.app);
    await b.signIn(request.code);
    const page = await (await b.get(`/portal/requests/${request.id}`)).text();
    const receipt = await b.post(`/portal/requests/${request.id}/grant`, {
      csrf: b.csrfOf(page),
      confirm: 'yes',
      lang: 'de',
      noticeHash: /name="noticeHash" value="([^"]+)"/.exec(page)?.[1] ?? '',
    });
    expect(receipt.status).toBe(200);
    expect(decoded(await inert(receipt))).toContain('alert("jc-hostile-name")');
    const consents = await inert(await b.get('/portal/consents'));
    expect(decoded(consents)).toContain('alert("jc-hostile-name")');
    // An exchange under the new consent puts both offices' names into the history.
    const sent = await w.as(abh, '/v1/exchanges', {
      method: 'POST',
      body: JSON.stringify({ ...(await exchangeBody(abh)), recipient: 'jc-hostile' }),
    });
    expect(sent.status, await sent.clone().text()).toBe(201);
    const history = decoded(await inert(await b.get('/portal/history')));
    expect(history).toContain('alert("abh-hostile-name")');
    expect(history).toContain('alert("jc-hostile-name")');
  });

  it('never reflects markup from the URL or headers into the sign-in page', async () => {
    const b = portalBrowser(w.gw.app);
    const probe = encodeURIComponent(xss('url'));
    for (const path of [
      `/portal/sign-in?code=${probe}`,
      `/portal/sign-in?lang=${probe}`,
      `/portal/sign-in?notice=${probe}`,
      `/portal/requests/${probe}`,
      `/portal/withdraw?lang=${probe}`,
    ])
      await inert(await b.get(path, { 'Accept-Language': xss('header') }));
  });
});

describe('agency-controlled strings refused at the API', () => {
  it.each([
    ['messageType', { messageType: xss('type') }],
    ['recipient', { recipient: xss('recipient') }],
  ])('refuses a hostile %s with 422 validation_failed and queues nothing', async (_name, bent) => {
    const before = w.state();
    const res = await w.as(abh, '/v1/exchanges', {
      method: 'POST',
      body: JSON.stringify({ ...(await exchangeBody(abh)), recipient: 'jc-hostile', ...bent }),
    });
    await refused(res, 422, 'validation_failed');
    expect(w.state()).toBe(before);
  });
});
