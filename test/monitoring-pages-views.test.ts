import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionTenant } from '../certs/index.ts';
import type { MonitoringReport } from '../monitoring/index.ts';
import { testGateway, type TestGateway } from './support/app.ts';
import { formBrowser } from './support/form-browser.ts';
import { seededMonitoringPages, type MonitoringPagesWorld } from './support/monitoring.ts';
import { addPrincipal, assertionFor, type TestPrincipal } from './support/pki.ts';
import { AUD } from './support/world.ts';

/**
 * The steering group's views in process, as a browser without JavaScript reads them over a
 * history made through the real API on real SQLite: the tenant view in German and English with
 * its tables, charts, withheld cells and tree head, the programme view, the CSV and JSON
 * downloads equal to the API, and the audit budget's 429 page. Signing in is in
 * monitoring-pages-sign-in.test.ts, Chromium and axe in monitoring-browser.test.ts.
 */
let world: MonitoringPagesWorld;
let gw: TestGateway;
let monitor: TestPrincipal;
let as: MonitoringPagesWorld['as'];
let member: MonitoringPagesWorld['member'];
let apiReport: MonitoringPagesWorld['apiReport'];

beforeAll(async () => {
  world = await seededMonitoringPages();
  ({ gw, monitor, as, member, apiReport } = world);
}, 60_000);
afterAll(() => {
  world.close();
});

describe('the tenant view', () => {
  it('shows the newest month by default, with the tree head the API names and • for suppressed cells', async () => {
    const b = await member(monitor);
    const res = await b.get('/monitoring');
    const html = await res.text();
    const report = await apiReport('2026-12');
    expect(html).toContain('<option value="2026-12" selected="">Dezember 2026</option>');
    expect(html).toContain('<option value="2026-Q4">4. Quartal 2026</option>');
    expect(html).toContain('<option value="2026">2026</option>');
    expect(html).toContain(report.treeHead.rootHash);
    expect(html).toContain(report.suppression.de);
    // Both charts are inline SVG with a title, each with its data table.
    expect(html.match(/<svg viewBox="[^"]+" role="img" aria-labelledby="[^"]+"/g)).toHaveLength(2);
    expect(html).toContain('id="chain"');
    expect(html).toContain('id="refusals"');
    // A month period's refusal chart spans the twelve months ending with it.
    expect(html).toContain(
      'Abgelehnte Sendungen je Monat und Grund, Januar 2026 bis Dezember 2026',
    );
  });

  it('states the rule and the tree head under every table, and lets every table scroll in a labelled region', async () => {
    const b = await member(monitor);
    const html = await (await b.get('/monitoring?period=2026-11')).text();
    const report = await apiReport('2026-11');
    const tables = [
      ...html.matchAll(/<table class="figures" id="([^"]+)" aria-describedby="([^"]+)"/g),
    ];
    expect(tables.length).toBe(8);
    for (const [, id, notes] of tables) {
      expect(html).toContain(
        `<div class="table-scroll" role="region" tabindex="0" aria-labelledby="${id}-caption"><table class="figures" id="${id}"`,
      );
      const note = new RegExp(`<div class="notes" id="${notes}">(.*?)</div>`).exec(html)?.[1] ?? '';
      expect(note, id).toContain(report.suppression.de);
      expect(note, id).toContain(report.treeHead.rootHash);
    }
    // November: 1 declined is withheld, shown as • with its meaning for screen readers, no bar.
    expect(html).toContain(
      '<span aria-hidden="true">•</span><span class="visually-hidden">geheim gehalten</span>',
    );
    const chart = /<svg[^>]*aria-labelledby="chain-chart-title".*?<\/svg>/s.exec(html)?.[0] ?? '';
    const declined = report.tables[0]?.total.values[2];
    expect(declined).toBeNull();
    expect(chart).toContain('• geheim gehalten');
    // The chain holds every measure of the two total rows: a bar for each published count above 0.
    const totals = report.tables.filter((t) => t.id.endsWith('office-type')).slice(0, 2);
    const drawn = totals.flatMap((t) => t.total.values).filter((v) => v !== null && v > 0);
    expect(chart.match(/<rect /g)?.length ?? 0).toBe(drawn.length);
    // Four fetches: too few for a median, which is • as well.
    expect(html).toContain('weniger als 5 Fälle');
  });

  it('names measures, office types, purposes and reasons in words with the code beside', async () => {
    const b = await member(monitor);
    const de = await (await b.get('/monitoring?period=2026-Q4')).text();
    for (const words of [
      'Ausländerbehörde',
      'Jobcenter',
      'Arbeitsmarktintegration',
      'Ersuchen gestellt',
      'Empfang bestätigt',
    ])
      expect(de).toContain(words);
    expect(de).toContain('Keine Einwilligung<code>consent_missing</code>');
    expect(de).toContain('Signatur ungültig<code>signature_invalid</code>');
    const en = await (await b.get('/monitoring?period=2026-Q4&lang=en')).text();
    expect(en).toContain('No consent<code>consent_missing</code>');
    expect(en).toContain('Labour-market integration');
  });

  it('shows a reason code the page has no words for as the code alone', async () => {
    // The history holds a refusal with a code this page has no words for (seedHistory).
    const b = await member(monitor);
    const html = await (await b.get('/monitoring?period=2026-Q4&lang=en')).text();
    expect(html).toContain('<th scope="col" class="num">quota_exceeded</th>');
    expect(html).toContain(
      '<th scope="col" class="num">No consent<code>consent_missing</code></th>',
    );
  });

  it('speaks English from Accept-Language or ?lang=en and links both languages', async () => {
    const b = await member(monitor);
    const res = await b.get('/monitoring?period=2026-11', {
      'Accept-Language': 'fr, en-GB;q=0.8, de;q=0.5',
    });
    const html = await res.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('Monitoring: Stadt Köln');
    expect(html).toContain('From request to acknowledgement');
    expect(html).toContain('href="/monitoring?period=2026-11&amp;lang=de"');
    expect(html).toContain('<option value="2026-Q4">Q4 2026</option>');
    const de = await (
      await b.get('/monitoring?period=2026-11', { 'Accept-Language': 'ar, tr' })
    ).text();
    expect(de).toContain('<html lang="de"');
  });

  it('answers a period that is none with a 422 page in the page language, as the API does', async () => {
    const b = await member(monitor);
    for (const period of ['2026-13', 'soon', '2026-Q5']) {
      const res = await b.get(`/monitoring?period=${period}&lang=en`);
      expect(res.status).toBe(422);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('There is no such period.');
    }
  });

  it('offers the same figures as CSV and JSON, equal to the API', async () => {
    const b = await member(monitor);
    const csv = await b.get('/monitoring/data/2026-11.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('Content-Disposition')).toBe(
      'attachment; filename="monitoring-koeln-2026-11.csv"',
    );
    const apiCsv = await as(monitor, '/v1/monitoring/reports/2026-11?format=csv');
    expect(await csv.text()).toBe(await apiCsv.text());
    const json = await b.get('/monitoring/data/2026-Q4.json');
    expect(json.headers.get('Content-Disposition')).toBe(
      'attachment; filename="monitoring-koeln-2026-Q4.json"',
    );
    const mine = (await json.json()) as MonitoringReport;
    const theirs = await apiReport('2026-Q4');
    expect(mine.treeHead.treeSize).toBe(theirs.treeHead.treeSize);
    expect(mine.treeHead.rootHash).toBe(theirs.treeHead.rootHash);
    expect({ ...mine, treeHead: null }).toEqual({ ...theirs, treeHead: null });
    const html = await (await b.get('/monitoring?period=2026-11')).text();
    expect(html).toContain('href="/monitoring/data/2026-11.csv"');
    expect(html).toContain('href="/monitoring/data/2026-11.json"');
    for (const path of ['/monitoring/data/2026-11.xml', '/monitoring/data/2026-13.csv']) {
      const res = await b.get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    }
    const anonymous = await (await member()).get('/monitoring/data/2026-11.csv');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('requested');
  });
});

describe('the programme view', () => {
  it('answers a 404 page while the tenant takes part in no programme, and offers no link to one', async () => {
    const b = await member(monitor);
    const res = await b.get('/monitoring/programme?period=2026-11');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('nimmt an keinem Programm teil');
    expect(await (await b.get('/monitoring')).text()).not.toContain('/monitoring/programme');
  });

  it('puts every taking-part municipality side by side, one row each, linked with the tenant view', async () => {
    await gw.storage.tenants.setProgramme('koeln', 'nrw');
    await gw.storage.tenants.setProgramme('dortmund', 'nrw');
    try {
      const b = await member(monitor);
      const tenant = await (await b.get('/monitoring?period=2026-11')).text();
      expect(tenant).toContain('href="/monitoring/programme?period=2026-11&amp;lang=de"');
      const res = await b.get('/monitoring/programme?period=2026-11');
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Programm nrw: alle Kommunen');
      expect(html).toContain('Stadt Köln<code>koeln</code>');
      expect(html).toContain('Stadt Dortmund<code>dortmund</code>');
      expect(html).toContain('href="/monitoring?period=2026-11&amp;lang=de"');
      expect(html).toContain('Eine Summe über alle Kommunen gibt es absichtlich nicht');
      const report = await apiReport('2026-11');
      expect(html).toContain(report.treeHead.rootHash);
      const csv = await b.get('/monitoring/data/programme/2026-11.csv');
      expect(csv.headers.get('Content-Disposition')).toBe(
        'attachment; filename="monitoring-nrw-2026-11.csv"',
      );
      const apiCsv = await as(monitor, '/v1/monitoring/programme/2026-11?format=csv');
      expect(await csv.text()).toBe(await apiCsv.text());
    } finally {
      await gw.storage.tenants.setProgramme('koeln', undefined);
      await gw.storage.tenants.setProgramme('dortmund', undefined);
    }
  });
});

describe('limits', () => {
  it("answers pages past the principal's audit budget with a 429 page and Retry-After", async () => {
    const small = await testGateway({
      publicUrl: AUD,
      rateLimits: { audit: { rate: 0.01, burst: 2 } },
    });
    try {
      const pki = { pki: small.storage.pki, clock: small.clock, masterKey: small.masterKey };
      await provisionTenant(pki, { id: 'koeln', displayName: 'Stadt Köln' });
      const reader = await addPrincipal(pki, {
        tenantId: 'koeln',
        id: 'lenkung-koeln',
        kind: 'monitor',
      });
      const b = formBrowser(small.app, AUD);
      const page = await (await b.get('/monitoring')).text();
      const token = await assertionFor(reader, { audience: AUD, now: small.clock.now() });
      expect(
        (await b.post('/monitoring/sign-in', { csrf: b.csrfOf(page), assertion: token })).status,
      ).toBe(303);
      expect((await b.get('/monitoring')).status).toBe(200);
      expect((await b.get('/monitoring')).status).toBe(200);
      const refused = await b.get('/monitoring');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(await refused.text()).toContain('Zu viele Abrufe');
    } finally {
      small.close();
    }
  });
});
