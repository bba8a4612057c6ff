import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../core/index.ts';
import type { TestGateway } from './support/app.ts';
import { formBrowser } from './support/form-browser.ts';
import type { TestPrincipal } from './support/pki.ts';
import { AUD, koelnWorld, type KoelnWorld } from './support/world.ts';
import { consentRequestBody } from './support/flows.ts';

/**
 * Leichte Sprache (`de-x-ls`) through the real app: chosen on the language switch, kept in the
 * cookie, asked for by an office on the request, and the notice the person grants in it is the
 * one the consent and the signed receipt name.
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

async function askConsent(language: string) {
  const res = await gw.app.request('/v1/consent-requests', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await world.assertion(jc)}`,
      'Content-Type': 'application/json',
    },
    body: consentRequestBody(
      { scheme: 'azr', value: '100000000101' },
      { validUntil: '2027-11-25T00:00:00Z', language },
    ),
  });
  return res;
}

const switchLink = (html: string) =>
  /<a href="[^"]*lang=de-x-ls"[^>]*>Leichte Sprache<\/a>/.exec(html)?.[0] ?? '';

describe('the portal in Leichte Sprache', () => {
  it('renders a page in it for ?lang=de-x-ls and keeps the choice for the next page', async () => {
    const b = formBrowser(gw.app, AUD);
    const first = await b.get('/portal/sign-in?lang=de-x-ls');
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html).toContain('<html lang="de-x-ls" dir="ltr">');
    expect(html).toContain('Geben Sie hier den Code ein.');
    expect(b.jar.get('cg_lang')).toBe('de-x-ls');
    const next = await (await b.get('/portal/withdraw')).text();
    expect(next).toContain('<html lang="de-x-ls" dir="ltr">');
    expect(next).toContain('Widerrufs·code');
  });

  it('is named "Leichte Sprache" on the language switch of every language, marked as German', async () => {
    for (const language of ['de', 'de-x-ls', 'ar', 'tr']) {
      const html = await (await gw.app.request(`/portal/sign-in?lang=${language}`)).text();
      const link = switchLink(html);
      expect(link, language).toContain('lang="de-x-ls"');
      expect(link, language).toContain('hreflang="de-x-ls"');
      // It follows German on the switch.
      expect(html.indexOf('>Deutsch</a>'), language).toBeLessThan(html.indexOf(link));
      expect(html.indexOf(link), language).toBeLessThan(html.indexOf('>English</a>'));
    }
    const own = await (await gw.app.request('/portal/sign-in?lang=de-x-ls')).text();
    expect(switchLink(own)).toContain('aria-current="true"');
  });

  it('follows Accept-Language de-x-ls, and German for any other German', async () => {
    const page = async (acceptLanguage: string) =>
      (
        await gw.app.request('/portal/sign-in', { headers: { 'Accept-Language': acceptLanguage } })
      ).text();
    expect(await page('de-x-ls, de;q=0.9')).toContain('<html lang="de-x-ls"');
    expect(await page('de-AT')).toContain('<html lang="de"');
  });

  it('shows a request asked in Leichte Sprache in it, and the receipt names that text', async () => {
    const res = await askConsent('de-x-ls');
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; code: string; portalUrl: string };
    expect(created.portalUrl).toContain('lang=de-x-ls');
    const stored = gw.storage.db
      .prepare('SELECT language, notice_text FROM consent_requests WHERE id = ?')
      .get(created.id) as { language: string; notice_text: string };
    expect(stored.language).toBe('de-x-ls');
    expect(stored.notice_text).toContain('Einwilligung heißt: Sie sagen Ja.');

    const b = formBrowser(gw.app, AUD);
    const link = new URL(created.portalUrl);
    await b.get(link.pathname + link.search);
    await b.signIn(created.code);
    const page = await (await b.get(`/portal/requests/${created.id}`)).text();
    expect(page).toContain('<html lang="de-x-ls" dir="ltr">');
    expect(page).toContain(
      '<section class="notice" aria-labelledby="notice-title" lang="de-x-ls">',
    );
    expect(page).toContain('Die Einwilligung ist freiwillig.');
    expect(page).toContain('Ihre Einwilligung gilt bis zum 25. November 2027.');
    expect(page).toContain('Aufenthalts·status');
    expect(page).toContain('<input type="hidden" name="lang" value="de-x-ls"/>');

    const shownHash = /name="noticeHash" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const granted = await b.post(`/portal/requests/${created.id}/grant`, {
      csrf: b.csrfOf(page),
      lang: 'de-x-ls',
      noticeHash: shownHash,
      confirm: 'yes',
    });
    expect(granted.status).toBe(200);
    const receiptPage = await granted.text();
    expect(receiptPage).toContain('Bestätigung für Ihre Einwilligung');
    expect(receiptPage).toContain('<section class="notice" lang="de-x-ls">');

    const row = gw.storage.db
      .prepare('SELECT id, language, notice_hash, notice_text FROM consents')
      .get() as { id: string; language: string; notice_hash: string; notice_text: string };
    expect(row.language).toBe('de-x-ls');
    expect(row.notice_hash).toBe(shownHash);
    expect(await sha256(row.notice_text)).toBe(shownHash);
    expect(row.notice_text).toContain('Sie können Ihre Einwilligung jederzeit zurücknehmen.');

    const jws = await (await b.get(`/portal/consents/${row.id}/receipt.jwt`)).text();
    expect(decodeJwt(jws)).toMatchObject({
      language: 'de-x-ls',
      privacy_notice: { hash: shownHash },
    });
  });

  it('refuses a request in a language tag the portal does not speak', async () => {
    const res = await askConsent('de-x-foo');
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('language');
  });
});
