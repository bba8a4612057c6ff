import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerWithCsr } from '../certs/index.ts';
import { testGateway, type TestGateway } from './support/app.ts';
import { formBrowser } from './support/form-browser.ts';
import {
  assertionFor,
  keyAndCsr,
  pkiDeps,
  provisionedTenant,
  type TestPrincipal,
} from './support/pki.ts';
import { AUD } from './support/world.ts';
import { consentRequestBody } from './support/flows.ts';

/**
 * Forms that fit the people who use them (issue 17): the birth date as day, month and year, the
 * error summary, pages instead of problem+json for browsers, the icon, and a history that names
 * offices and shows the newest first.
 */
let gw: TestGateway;
let jc: TestPrincipal;

/** An office registered with the name people know it by. */
async function office(id: string, agencyType: string, displayName: string) {
  const deps = await pkiDeps(gw.storage, gw.clock, gw.masterKey);
  const { keys, csrPem, alg } = await keyAndCsr('P-256', id);
  const registered = await registerWithCsr(deps, {
    tenantId: 'koeln',
    id,
    kind: 'agency',
    agencyType,
    csrPem,
    displayName,
  });
  const { pem: certificatePem, fingerprint, serial } = registered;
  const principal: TestPrincipal = {
    tenantId: 'koeln',
    id,
    kind: 'agency',
    certificatePem,
    fingerprint,
    serial,
    privateKey: keys.privateKey,
    alg,
  };
  return principal;
}

beforeEach(async () => {
  gw = await testGateway({ publicUrl: AUD });
  await provisionedTenant(await pkiDeps(gw.storage, gw.clock, gw.masterKey), 'koeln');
  await office('abh-koeln', 'immigration_office', 'Ausländerbehörde Köln');
  jc = await office('jc-koeln', 'jobcenter', 'Jobcenter Köln');
});
afterEach(() => {
  gw.close();
});

async function askConsent() {
  const res = await gw.app.request('/v1/consent-requests', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await assertionFor(jc, { audience: AUD, now: gw.clock.now() })}`,
      'Content-Type': 'application/json',
    },
    body: consentRequestBody(
      { scheme: 'azr', value: '100000000101' },
      { validUntil: '2027-11-25T00:00:00Z' },
    ),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; code: string };
}

const browser = () => formBrowser(gw.app, AUD);
const attempts = () => gw.storage.db.prepare('SELECT COUNT(*) FROM code_attempts').pluck().get();

/** Posts the sign-in form with the date typed as given. */
async function typeDate(
  b: ReturnType<typeof browser>,
  code: string,
  day: string,
  month: string,
  year: string,
) {
  const page = await (await b.get(`/portal/sign-in?code=${code}`)).text();
  const form = { csrf: b.csrfOf(page), code, birthDay: day, birthMonth: month, birthYear: year };
  return b.post('/portal/sign-in', form);
}

describe('the birth date as three fields', () => {
  it('offers day, month and year as labelled numeric text fields in one fieldset', async () => {
    const html = await (await browser().get('/portal/sign-in')).text();
    expect(html).toMatch(/<fieldset role="group" aria-describedby="birth-hint">\s*<legend>/);
    expect(html).toContain('Zum Beispiel: 27 3 1990');
    for (const [id, auto] of [
      ['birthDay', 'bday-day'],
      ['birthMonth', 'bday-month'],
      ['birthYear', 'bday-year'],
    ]) {
      expect(html).toContain(`<label for="${id}">`);
      const input = new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)?.[0] ?? '';
      expect(input).toContain('type="text"');
      expect(input).toContain('inputmode="numeric"');
      expect(input).toContain(`autocomplete="${auto}"`);
    }
    expect(html).not.toContain('type="date"');
  });

  it('combines the three fields, one-digit and with spaces, and signs in', async () => {
    const created = await askConsent();
    const res = await typeDate(browser(), created.code, ' 31 ', '1', '1990 ');
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/portal/requests/${created.id}`);
  });

  it('keeps what was typed after a wrong date, and links the error to the code field', async () => {
    const created = await askConsent();
    const res = await typeDate(browser(), created.code, '30', '1', '1990');
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<title>Fehler: Anmelden');
    expect(html).toMatch(/class="error-summary" role="alert"/);
    expect(html).toContain('<a href="#code">Der Code oder das Geburtsdatum stimmt nicht');
    expect(html).toMatch(/id="birthDay"[^>]*value="30"/);
    expect(html).toMatch(/id="birthMonth"[^>]*value="1"/);
    expect(html).toMatch(/id="birthYear"[^>]*value="1990"/);
    expect(html).toMatch(new RegExp(`id="code"[^>]*value="${created.code}"`));
    expect(attempts()).toBe(1);
  });

  it('answers a date that cannot exist at its field, without counting an attempt', async () => {
    const created = await askConsent();
    const b = browser();
    const res = await typeDate(b, created.code, '12', '13', '1990');
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<a href="#birthMonth">Der Monat muss eine Zahl von 1 bis 12 sein.</a>');
    expect(html).toMatch(/id="birthMonth"[^>]*value="13"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/aria-describedby="birth-hint birth-error"/);
    expect(attempts()).toBe(0);
    const missing = await typeDate(b, '', '', '3', '');
    const text = await missing.text();
    expect(text).toContain('<a href="#code">Bitte geben Sie den Code ein.');
    expect(text).toContain('<a href="#birthDay">Beim Geburtsdatum fehlt der Tag.</a>');
    expect(attempts()).toBe(0);
    // The code still works: the refusals cost the person nothing.
    expect((await typeDate(b, created.code, '31', '01', '1990')).status).toBe(303);
  });

  it('takes a birth date of today in Berlin while UTC is still on the day before', async () => {
    const created = await askConsent();
    const b = browser();
    const setClock = (iso: string) => {
      gw.clock.advance(new Date(iso).getTime() - gw.clock.now().getTime());
    };
    setClock('2026-12-05T22:59:00Z'); // 23:59 on the 5th in Berlin: the 6th is tomorrow
    const future = await typeDate(b, created.code, '6', '12', '2026');
    expect(future.status).toBe(422);
    expect(await future.text()).toContain('Das Geburtsdatum muss in der Vergangenheit liegen.');
    expect(attempts()).toBe(0);
    setClock('2026-12-05T23:30:00Z'); // 00:30 on the 6th in Berlin, still the 5th in UTC
    const today = await typeDate(b, created.code, '6', '12', '2026');
    // Not refused as in the future: the date was tried, and is simply not the request's.
    expect(today.status).toBe(401);
    expect(await today.text()).not.toContain('in der Vergangenheit liegen');
    expect(attempts()).toBe(1);
  });

  it('speaks the person’s language in the date’s problems', async () => {
    const created = await askConsent();
    const b = browser();
    await b.get('/portal/sign-in?lang=ar');
    const html = await (await typeDate(b, created.code, '31', '2', '1990')).text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('هذا التاريخ غير موجود');
    // The person typing on an Arabic number pad signs in all the same.
    expect((await typeDate(b, created.code, '٣١', '١', '١٩٩٠')).status).toBe(303);
  });

  it('still takes the single ISO field of a form rendered before the change', async () => {
    const created = await askConsent();
    const b = browser();
    const page = await (await b.get('/portal/sign-in')).text();
    const res = await b.post('/portal/sign-in', {
      csrf: b.csrfOf(page),
      code: created.code,
      secondFactor: '1990-01-31',
    });
    expect(res.status).toBe(303);
  });

  it('keeps the sign-in hints’ example codes in one piece, left to right', async () => {
    const html = await (await browser().get('/portal/sign-in?lang=fa')).text();
    expect(html).toContain(
      '<span class="code-text" dir="ltr" translate="no">ABCD-EFGH-2345</span>',
    );
    const withdraw = await (await browser().get('/portal/withdraw?lang=ar')).text();
    expect(withdraw).toContain('dir="ltr" translate="no">WXYZ-2345-ABCD-6789-EFGH</span>');
  });
});

describe('pages for browsers, problem+json for clients', () => {
  const html = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  it('answers an unknown path to a browser with a 404 page in its language', async () => {
    const res = await gw.app.request('/nowhere', {
      headers: { ...html, 'Accept-Language': 'uk,de;q=0.5' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('<html lang="uk" dir="ltr">');
    expect(page).toContain('<h1>Такої сторінки немає</h1>');
    expect(page).toContain('<a href="/portal">');
    expect(page).not.toMatch(/no such resource|<script/);
  });

  it('keeps problem+json for API clients on the same paths', async () => {
    for (const accept of ['application/json', '*/*', undefined]) {
      const res = await gw.app.request('/nowhere', {
        headers: accept === undefined ? {} : { Accept: accept },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ code: 'not_found', status: 404 });
    }
    const root = await gw.app.request('/', { headers: { Accept: 'application/json' } });
    expect(root.status).toBe(404);
  });

  it('answers a wrong method to a browser with a page, Allow kept', async () => {
    const res = await gw.app.request('/portal/sign-out', { headers: html });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('POST');
    expect(await res.text()).toContain('So kann man diese Seite nicht öffnen.');
    const api = await gw.app.request('/portal/sign-out');
    expect(api.headers.get('Content-Type')).toBe('application/problem+json');
  });

  it('sends a browser from / and /portal/ on to /portal, keeping the language', async () => {
    const root = await gw.app.request('/?lang=tr', { headers: html });
    expect(root.status).toBe(303);
    expect(root.headers.get('Location')).toBe('/portal?lang=tr');
    const slash = await gw.app.request('/portal/', { headers: html });
    expect(slash.status).toBe(301);
    expect(slash.headers.get('Location')).toBe('/portal');
  });

  it('serves the icon as ICO and SVG, cacheable, under the CSP', async () => {
    const ico = await gw.app.request('/favicon.ico');
    expect(ico.status).toBe(200);
    expect(ico.headers.get('Content-Type')).toBe('image/x-icon');
    expect(ico.headers.get('Cache-Control')).toMatch(/public, max-age=\d+/);
    const bytes = new Uint8Array(await ico.arrayBuffer());
    expect([...bytes.slice(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
    const svg = await gw.app.request('/portal/assets/favicon.svg');
    expect(svg.headers.get('Content-Type')).toMatch(/^image\/svg\+xml/);
    expect(svg.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const text = await svg.text();
    expect(text).toMatch(/^<svg /);
    expect(text).not.toMatch(/style=|<script/);
  });
});

describe('the history', () => {
  it('shows the newest first, offices by name, and links named by what they open', async () => {
    const created = await askConsent();
    gw.clock.advance(60_000);
    const b = browser();
    expect((await b.signIn(created.code)).status).toBe(303);
    const page = await (await b.get(`/portal/requests/${created.id}`)).text();
    const hash = /name="noticeHash" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const granted = await b.post(`/portal/requests/${created.id}/grant`, {
      csrf: b.csrfOf(page),
      lang: 'de',
      noticeHash: hash,
      confirm: 'yes',
    });
    expect(granted.status).toBe(200);
    const history = await (await b.get('/portal/history')).text();
    const granting = history.indexOf('Sie haben eingewilligt');
    const asking = history.indexOf('Ein Amt hat um Einwilligung gebeten');
    expect(granting).toBeGreaterThan(0);
    expect(asking).toBeGreaterThan(granting);
    expect(history).toContain('<dd>Jobcenter Köln</dd>');
    expect(history).toContain('Ausländerbehörde Köln');
    expect(history).not.toMatch(/<dd>(abh|jc)-koeln<\/dd>/);
    expect(history).toMatch(
      /<a href="\/portal\/consents\/[^"]+\/receipt">Bestätigung der Einwilligung für „[^“]+“ ansehen<\/a>/,
    );
    const consents = await (await b.get('/portal/consents')).text();
    expect(consents).toMatch(/>\s*Bestätigung für „[^“]+“ ansehen\s*<\/a>/);
  });
});
