import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import {
  REPORT_REUSE_MS,
  type MonitoringReport,
  type ProgrammeReport,
} from '../monitoring/index.ts';
import { askConsent, sendNotice } from './support/flows.ts';
import { personGrants, personSignsIn } from './support/person.ts';
import { addPrincipal, provisionedTenant, type TestPrincipal } from './support/pki.ts';
import { tempDirsPerTest } from './support/temp.ts';
import { koelnWorld, type KoelnWorld } from './support/world.ts';

/**
 * Monitoring for the steering group through the HTTP API and the DPO's CLI, on real SQLite: the
 * figures a `monitor` reads come from the audit log, withhold small counts, name no person and no
 * id but the offices', and recompute from an export to the same numbers.
 */

const HOUR = 3_600_000;
const fresh = tempDirsPerTest();
let world: KoelnWorld;
let monitor: TestPrincipal;
const ids: string[] = [];

beforeEach(async () => {
  world = await koelnWorld({ recordRegistrations: true });
  monitor = await addPrincipal(world.deps, {
    tenantId: 'koeln',
    id: 'lenkung-koeln',
    kind: 'monitor',
  });
  ids.length = 0;
});
afterEach(() => {
  world.close();
});

/** November 2026 in Köln: seven requests, six granted two hours later, one declined; sends; refusals. */
async function history(): Promise<void> {
  for (let i = 0; i < 7; i++) {
    const subject = { scheme: 'azr', value: `10000000000${i}` };
    const request = await askConsent(world, world.abh, subject);
    ids.push(request.id, request.code);
    world.gw.clock.advance(2 * HOUR);
    if (i === 6) {
      const cookie = await personSignsIn(world.gw.app, request.code);
      const declined = await world.gw.app.request(`/v1/portal/requests/${request.id}/decline`, {
        method: 'POST',
        headers: { Cookie: cookie },
      });
      expect(declined.status).toBe(204);
      continue;
    }
    ids.push((await personGrants(world.gw.app, request)).consentId);
    const sent = await sendNotice(world, world.abh, subject);
    expect(sent.status).toBe(201);
    const { id } = (await sent.json()) as { id: string };
    ids.push(id);
    world.gw.clock.advance(HOUR);
    expect((await world.as(world.jc, `/v1/mailbox/${id}`)).status).toBe(200);
    expect((await world.as(world.jc, `/v1/mailbox/${id}/ack`, { method: 'POST' })).status).toBe(
      204,
    );
  }
  for (let i = 0; i < 2; i++) {
    const refused = await sendNotice(world, world.abh, { scheme: 'azr', value: `20000000000${i}` });
    expect(refused.status).toBe(403);
  }
  // November's figures are published once November has ended in Berlin.
  world.gw.clock.advance(Date.parse('2026-12-01T00:00:00Z') - world.gw.clock.now().getTime());
}

const tableOf = (report: MonitoringReport, id: string) => {
  const table = report.tables.find((t) => t.id === id);
  if (!table) throw new Error(`no table ${id}`);
  return table;
};

describe('monitoring for the steering group', () => {
  it('gives a monitor the figures of its tenant, small counts withheld, under a signed tree head', async () => {
    await history();
    const res = await world.as(monitor, '/v1/monitoring/reports/2026-11');
    expect(res.status).toBe(200);
    const text = await res.text();
    const report = JSON.parse(text) as MonitoringReport;
    const consents = tableOf(report, 'consents-by-office-type');
    const columns = Object.fromEntries(consents.columns.map((c, i) => [c, i]));
    expect(consents.rows).toHaveLength(1);
    const row = consents.rows[0];
    expect(row?.key).toEqual({
      senderType: 'immigration_office',
      recipientType: 'jobcenter',
      purpose: 'labour_market_integration',
    });
    expect(row?.values[columns['requested'] ?? -1]).toBe(7);
    expect(row?.values[columns['granted'] ?? -1]).toBe(6);
    // One decline: withheld, here and in every total and table it could be computed from.
    expect(row?.values[columns['declined'] ?? -1]).toBeNull();
    expect(consents.total.values[columns['declined'] ?? -1]).toBeNull();
    expect(
      tableOf(report, 'consents-by-agency').rows[0]?.values[columns['declined'] ?? -1],
    ).toBeNull();
    expect(row?.stats?.['decisionDaysMedian']).toBe(0.1);
    const exchanges = tableOf(report, 'exchanges-by-office-type');
    expect(exchanges.total.values).toEqual([6, 6, 6, 0]);
    expect(exchanges.total.stats?.['fetchHoursMedian']).toBe(1);
    const refusals = tableOf(report, 'refusals-by-office-type');
    expect(refusals.columns).toEqual(['consent_missing']);
    expect(refusals.total.total).toBeNull();
    expect(report.suppression.rule).toBe('suppress:3');
    expect(report.suppression.de).toMatch(/BStatG/);

    // The head is the gateway's, signed, and covers the whole log as it was.
    const jwks = (await (
      await world.gw.app.request('/.well-known/jwks.json')
    ).json()) as JSONWebKeySet;
    const { payload } = await compactVerify(report.treeHead.jws, createLocalJWKSet(jwks));
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      treeSize: report.treeHead.treeSize,
      rootHash: report.treeHead.rootHash,
    });
    // Aggregates only: no request, consent or exchange id, no code, no subject reference.
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).not.toMatch(/subjectRef|100000000000/);
  });

  it('answers CSV with withheld values as •, the rule and the tree head on every line', async () => {
    await history();
    const res = await world.as(monitor, '/v1/monitoring/reports/2026-11?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'tenant,period,table,row,senderType,recipientType,sender,recipient,purpose,measure,value,rule,treeSize,rootHash',
    );
    expect(lines.some((l) => l.includes(',declined,•,suppress:3,'))).toBe(true);
    expect(lines.some((l) => l.includes(',requested,7,suppress:3,'))).toBe(true);
    // A root hash that starts with + (one in 64) is written as '+…, as every field that a
    // spreadsheet would take for a formula.
    for (const line of lines.slice(1)) {
      expect(line).toMatch(/,suppress:3,\d+,(?:'\+|[A-Za-z0-9/])[A-Za-z0-9+/]*=*$/);
    }
  });

  it('lists the months with figures, and refuses a period it cannot read', async () => {
    await history();
    const periods = await world.as(monitor, '/v1/monitoring/periods');
    expect(await periods.json()).toEqual({ items: [{ key: '2026-11' }] });
    // A month that has not ended is not published: its counts only grow, and two reports of it
    // set side by side would reveal what each withholds.
    const open = await world.as(monitor, '/v1/monitoring/reports/2026-12');
    expect(open.status).toBe(409);
    expect(await open.json()).toMatchObject({
      code: 'conflict',
      reasons: [{ code: 'period_open' }],
    });
    const quarter = await world.as(monitor, '/v1/monitoring/reports/2026-Q4');
    expect(quarter.status).toBe(409);
    const bad = await world.as(monitor, '/v1/monitoring/reports/2026-13');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await bad.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('keeps a monitor away from entries and subjects, and offices away from the figures', async () => {
    for (const path of ['/v1/audit/entries', '/v1/audit/tree-head']) {
      const res = await world.as(monitor, path);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'forbidden' });
    }
    const report = await world.as(monitor, '/v1/subjects/access-report', {
      method: 'POST',
      body: JSON.stringify({ subject: { scheme: 'azr', value: '100000000000' } }),
    });
    expect(report.status).toBe(403);
    const office = await world.as(world.jc, '/v1/monitoring/reports/2026-11');
    expect(office.status).toBe(403);
    expect((await world.gw.app.request('/v1/monitoring/reports/2026-11')).status).toBe(401);
    // The DPO reads the figures as well.
    expect((await world.as(world.dpo, '/v1/monitoring/reports/2026-10')).status).toBe(200);
  });

  it('serves a report again for a minute under its head, then one under the new head with the same figures', async () => {
    await history();
    const first = (await (
      await world.as(monitor, '/v1/monitoring/reports/2026-11')
    ).json()) as MonitoringReport;
    await askConsent(world, world.abh, { scheme: 'azr', value: '300000000000' });
    const again = (await (
      await world.as(monitor, '/v1/monitoring/reports/2026-11')
    ).json()) as MonitoringReport;
    expect(again.treeHead).toEqual(first.treeHead);
    world.gw.clock.advance(REPORT_REUSE_MS);
    const later = (await (
      await world.as(monitor, '/v1/monitoring/reports/2026-11')
    ).json()) as MonitoringReport;
    expect(later.treeHead.treeSize).toBe(first.treeHead.treeSize + 1);
    // The new request counts in December: an ended month's figures never change.
    expect(later.tables).toEqual(first.tables);
  });

  it('puts the municipalities of a programme side by side, each row its own protected totals', async () => {
    await history();
    await provisionedTenant(world.deps, 'bonn');
    await provisionedTenant(world.deps, 'aachen');
    await world.gw.storage.tenants.setProgramme('bonn', 'nrw');
    expect((await world.as(monitor, '/v1/monitoring/programme/2026-11')).status).toBe(404);
    await world.gw.storage.tenants.setProgramme('koeln', 'nrw');
    const res = await world.as(monitor, '/v1/monitoring/programme/2026-11');
    expect(res.status).toBe(200);
    const view = (await res.json()) as ProgrammeReport;
    expect(view.rows.map((r) => r.tenant)).toEqual(['koeln', 'bonn']);
    const own = (await (
      await world.as(monitor, '/v1/monitoring/reports/2026-11')
    ).json()) as MonitoringReport;
    const koeln = view.rows[0];
    expect(koeln?.consents).toEqual(tableOf(own, 'consents-by-office-type').total.values);
    expect(koeln?.exchanges).toEqual(tableOf(own, 'exchanges-by-office-type').total.values);
    expect(view.rows[1]?.consents).toEqual([0, 0, 0, 0, 0]);
    const csv = await world.as(monitor, '/v1/monitoring/programme/2026-11?format=csv');
    expect(await csv.text()).toMatch(/^programme,period,tenant,name,group,measure,value/);
  });

  it('recomputes to the same figures from a DPO export, and names a changed figure', async () => {
    await history();
    const published = await (await world.as(monitor, '/v1/monitoring/reports/2026-11')).text();
    const exported = await world.as(world.dpo, '/v1/audit/exports', { method: 'POST', body: '{}' });
    expect(exported.status).toBe(200);
    const dir = fresh();
    const bundleFile = join(dir, 'export.json');
    const reportFile = join(dir, 'report.json');
    writeFileSync(bundleFile, await exported.text());
    writeFileSync(reportFile, published);

    const same = await cli('monitor', 'compute', bundleFile, '--check', reportFile);
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^same figures: 6 tables of 2026-11 for koeln/);

    const changed = JSON.parse(published) as MonitoringReport;
    const table = tableOf(changed, 'consents-by-office-type');
    (table.rows[0]?.values as (number | null)[])[0] = 8;
    writeFileSync(reportFile, JSON.stringify(changed));
    const differs = await cli('monitor', 'compute', bundleFile, '--check', reportFile);
    expect(differs.code).toBe(1);
    expect(differs.stderr).toMatch(/DIFFERS table consents-by-office-type/);

    const computed = await cli('monitor', 'compute', bundleFile, '--period', '2026-11');
    expect(computed.code).toBe(0);
    const mine = JSON.parse(computed.stdout) as MonitoringReport;
    expect(mine.tables).toEqual((JSON.parse(published) as MonitoringReport).tables);
    expect(tableOf(mine, 'consents-by-office-type').rows[0]?.values[0]).toBe(7);

    // A bundle changed after signing is refused before anything is computed.
    writeFileSync(
      bundleFile,
      readFileSync(bundleFile, 'utf8').replace(
        'labour_market_integration',
        'labour_market_integratioN',
      ),
    );
    const forged = await cli('monitor', 'compute', bundleFile, '--period', '2026-11');
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/does not verify/);
  });
});

describe('monitor compute refuses what it cannot recompute', () => {
  it('needs a period or a report, and an export from the first entry', async () => {
    await history();
    const dir = fresh();
    const partial = await world.as(world.dpo, '/v1/audit/exports', {
      method: 'POST',
      body: JSON.stringify({ from: '2026-11-25T20:00:00Z' }),
    });
    const file = join(dir, 'partial.json');
    writeFileSync(file, await partial.text());
    const neither = await cli('monitor', 'compute', file);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/needs --period P or --check REPORT/);
    const cut = await cli('monitor', 'compute', file, '--period', '2026-11');
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/every entry from seq 0 .*export without a time range/);
    const rule = await cli('monitor', 'compute', file, '--period', '2026-11', '--rule', 'hide');
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/suppress/);
  });
});

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  });
  return { code, stdout, stderr };
}
