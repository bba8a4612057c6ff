import { describe, expect, it } from 'vitest';
import { CATALOGUES } from '../../gateway/portal/i18n.ts';
import { formBrowser } from '../support/form-browser.ts';
import { residenceStatusRequest } from '../support/person.ts';
import type { WorkerUnderTest } from './worker-target.ts';

/** A moment `days` from now, as RFC 3339 UTC. */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** A fresh AZR number: a person nobody has asked anything yet. */
const newAzr = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => String(b % 10)).join('');

/** The gateway's one CSP, as its pages must carry it: scripts and styles from itself only. */
function expectStrictPage(res: Response): void {
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
  const csp = res.headers.get('Content-Security-Policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
}

/**
 * The API reference with the Swagger UI files from the Worker's static assets (no CDN), and the
 * portal's HTML pages as a browser without JavaScript uses them, on the real Worker.
 */
export function describePortalAndDocs(worker: WorkerUnderTest): void {
  describe('the API reference on workerd', () => {
    it('serves /docs and its Swagger UI files from the static assets binding, under the strict CSP', async () => {
      const page = await worker.fetch('/docs');
      expectStrictPage(page);
      const html = await page.text();
      expect(html).toContain('<script src="/docs/assets/swagger-ui-bundle.js"></script>');

      const bundle = await worker.fetch('/docs/assets/swagger-ui-bundle.js');
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
      const js = await bundle.text();
      expect(js.length).toBeGreaterThan(1_000_000);
      expect(js).toContain('SwaggerUIBundle');
      const css = await worker.fetch('/docs/assets/swagger-ui.css');
      expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
      expect((await css.text()).length).toBeGreaterThan(10_000);
      const icon = await worker.fetch('/docs/assets/favicon-32x32.png');
      expect(icon.headers.get('Content-Type')).toBe('image/png');
      const png = new Uint8Array(await icon.arrayBuffer());
      expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      const init = await worker.fetch('/docs/init.js');
      expect(await init.text()).toContain("url: '/openapi.json'");
    });

    it('keeps the assets folder itself out of reach: only the three files, only under /docs/assets/', async () => {
      for (const path of [
        '/swagger-ui-bundle.js',
        '/index.html',
        '/docs/assets/index.html',
        '/docs/assets/swagger-ui-bundle.js.map',
      ]) {
        const res = await worker.fetch(path);
        expect(res.status, path).toBe(404);
        expect(res.headers.get('Content-Type'), path).toMatch(/^application\/problem\+json/);
      }
    });

    it('serves the OpenAPI document with the public URL as its server', async () => {
      const res = await worker.fetch('/openapi.json');
      expect(res.status).toBe(200);
      const document = (await res.json()) as {
        openapi: string;
        servers: { url: string }[];
        paths: Record<string, unknown>;
      };
      expect(document.openapi).toBe('3.1.0');
      expect(document.servers).toEqual([{ url: worker.audience }]);
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/v1/consent-requests', '/v1/exchanges', '/v1/audit/entries']),
      );
    });
  });

  describe('the portal pages on workerd', () => {
    /** The Jobcenter asks a new person, in `language`; answers the request as created. */
    const askConsent = async (language: string) => {
      const { jc } = await worker.world();
      const res = await worker.as(jc, '/v1/consent-requests', {
        method: 'POST',
        body: residenceStatusRequest(
          { scheme: 'azr', value: newAzr() },
          { validUntil: inDays(90), language },
        ),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as { id: string; code: string; portalUrl: string };
    };

    it('opens the sign-in page from the letter’s link, code filled in, in German and in Arabic', async () => {
      const created = await askConsent('de');
      const link = new URL(created.portalUrl);
      expect(link.origin).toBe(worker.audience);
      const b = formBrowser(worker.app, worker.audience);

      const german = await b.get(link.pathname + link.search);
      expectStrictPage(german);
      expect(german.headers.get('Cache-Control')).toBe('no-store');
      const de = await german.text();
      expect(de).toContain('<html lang="de" dir="ltr">');
      expect(de).toContain(CATALOGUES.de['signIn.title']);
      expect(de).toContain(`value="${created.code}"`);
      expect(de).not.toMatch(/<script|style=|\son\w+=/i);

      const arabic = await b.get(`/portal/sign-in?code=${created.code}&lang=ar`);
      expectStrictPage(arabic);
      const ar = await arabic.text();
      expect(ar).toContain('<html lang="ar" dir="rtl">');
      expect(ar).toContain(CATALOGUES.ar['signIn.title']);
      expect(ar).toContain(`value="${created.code}"`);

      const css = await b.get('/portal/assets/portal.css');
      expect(css.headers.get('Content-Type')).toMatch(/^text\/css/);
    });

    it('grants through the forms alone: sign-in, the request read in two languages, the tick, the receipt', async () => {
      const created = await askConsent('de');
      const b = formBrowser(worker.app, worker.audience);
      const signedIn = await b.signIn(created.code);
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('Location')).toBe(`/portal/requests/${created.id}`);
      expect(signedIn.headers.getSetCookie().some((c) => c.startsWith('cg_session='))).toBe(true);

      const german = await b.get(`/portal/requests/${created.id}?lang=de`);
      expectStrictPage(german);
      const de = await german.text();
      expect(de).toContain('<html lang="de" dir="ltr">');
      expect(de).toContain(CATALOGUES.de['request.title']);

      const arabic = await b.get(`/portal/requests/${created.id}?lang=ar`);
      expectStrictPage(arabic);
      const ar = await arabic.text();
      expect(ar).toContain('<html lang="ar" dir="rtl">');
      expect(ar).toContain(CATALOGUES.ar['request.title']);

      const form = {
        csrf: b.csrfOf(ar),
        lang: 'ar',
        noticeHash: /name="noticeHash" value="([^"]+)"/.exec(ar)?.[1] ?? '',
      };
      const unticked = await b.post(`/portal/requests/${created.id}/grant`, form);
      expect(unticked.status).toBe(422);
      const granted = await b.post(`/portal/requests/${created.id}/grant`, {
        ...form,
        confirm: 'yes',
      });
      expectStrictPage(granted);
      const receipt = await granted.text();
      expect(receipt).toContain(CATALOGUES.ar['receipt.title']);
      expect(receipt).toMatch(/[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}/);
      const consentId = /\/portal\/consents\/([^/"]+)\/receipt\.jwt/.exec(receipt)?.[1] ?? '';
      expect(consentId).not.toBe('');

      const mine = await b.get('/portal/consents');
      expectStrictPage(mine);
      expect(await mine.text()).toContain(consentId);
      const jwt = await b.get(`/portal/consents/${consentId}/receipt.jwt`);
      expect(jwt.headers.get('Content-Type')).toBe('application/jwt');
      const jws = new TextDecoder().decode(await jwt.arrayBuffer());
      expect(jws.split('.')).toHaveLength(3);
    });
  });
}
