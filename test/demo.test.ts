import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastEndedMonth, monthOf, type MonitoringReport } from '../monitoring/index.ts';
import { demoAgency } from './support/demo-agency.ts';
import { startTestPostgres, type TestPostgres } from './support/postgres.ts';
import { run, startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/**
 * The README's walk-through, step by step, against `npm start`'s demo agencies on an empty data
 * dir: on the embedded SQLite file, on a PostgreSQL server (GATEWAY_DATABASE_URL), and on workerd
 * with D1 and the audit sequencer as `npm run dev:edge` runs it.
 */
const dir = tempDir();
const data = join(dir.path, 'data');
let gw: GatewayProcess;
let aud = '';
let postgres: TestPostgres | undefined;

const cli = async (...args: string[]) => {
  const result = await run('cli/bin.mjs', args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
};
/**
 * On the embedded default the round plays the agencies with the CLI, exactly as README shows; on
 * the other backends with the same keys in process (test/support/demo-agency.ts), since each CLI
 * start costs about two CPU-seconds and the CLI's tokens are not what those backends test.
 */
let viaCli = true;
const token = (agency: string) =>
  viaCli
    ? cli(
        'token',
        '--key',
        join(data, 'demo', `${agency}.key`),
        '--cert',
        join(data, 'demo', `${agency}.crt`),
        '--aud',
        aud,
      )
    : demoAgency(data, agency, aud).token();

type Backend = () => Promise<{
  env: Record<string, string>;
  start?: Parameters<typeof startGateway>[1];
  readiness?: Parameters<typeof startGateway>[2];
}>;

const BACKENDS: Record<'sqlite' | 'postgres' | 'edge', Backend> = {
  sqlite: () => Promise.resolve({ env: {} }),
  postgres: async () => {
    postgres = await startTestPostgres();
    return {
      env: {
        GATEWAY_DATABASE_URL: await postgres.createDatabase('readme'),
        GATEWAY_MASTER_KEY: randomBytes(32).toString('hex'),
      },
    };
  },
  // wrangler needs HOME for its settings; workerd takes its time on a busy machine.
  edge: () =>
    Promise.resolve({
      env: { HOME: process.env['HOME'] ?? '' },
      start: [process.execPath, '--import', 'tsx', 'scripts/dev-edge.ts'],
      readiness: { line: 'Ready on http://', timeoutMs: 150_000 },
    }),
};

describe.each(Object.keys(BACKENDS) as (keyof typeof BACKENDS)[])('on %s', (backend) => {
  beforeAll(async () => {
    rmSync(data, { recursive: true, force: true });
    viaCli = backend === 'sqlite';
    const { env, start, readiness } = await BACKENDS[backend]();
    gw = await startGateway({ GATEWAY_DATA_DIR: data, ...env }, start, readiness);
    aud = `http://localhost:${new URL(gw.baseUrl).port}`;
  }, 180_000);
  afterAll(async () => {
    await gw.stop();
    postgres?.stop();
    postgres = undefined;
  });

  describe('the README round with the demo agencies', () => {
    it('creates the demo agencies with owner-only keys on first start', () => {
      for (const id of ['abh-demo', 'jc-demo', 'so-demo', 'dsb-demo', 'lenkung-demo']) {
        expect(statSync(join(data, 'demo', `${id}.key`)).mode & 0o777).toBe(0o600);
        expect(readFileSync(join(data, 'demo', `${id}.crt`), 'utf8')).toContain(
          'BEGIN CERTIFICATE',
        );
      }
    });

    // Six CLI processes (four tokens, sign, open) at about 2 CPU-seconds each, mostly loading the
    // TypeScript sources: on a busy 2-core machine that alone passed the 30 s default.
    it('request consent, grant it, send, fetch, open, acknowledge', async () => {
      const created = (await (
        await fetch(`${gw.baseUrl}/v1/consent-requests`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${await token('jc-demo')}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            subject: { scheme: 'azr', value: '123456789012' },
            senders: ['abh-demo'],
            recipients: ['jc-demo'],
            purpose: 'labour_market_integration',
            categories: ['residence_status', 'employment_permission'],
            validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
            language: 'de',
            secondFactor: { type: 'birthDate', value: '1990-01-31' },
          }),
        })
      ).json()) as { id: string; code: string };
      const session = await fetch(`${gw.baseUrl}/v1/portal/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: created.code, secondFactor: '1990-01-31' }),
      });
      const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect(
        (
          await fetch(`${gw.baseUrl}/v1/portal/requests/${created.id}/grant`, {
            method: 'POST',
            headers: { Cookie: cookie },
          })
        ).status,
      ).toBe(200);

      writeFileSync(
        join(dir.path, 'message.json'),
        JSON.stringify({
          residenceTitle: {
            kind: 'duldung',
            legalBasis: '§ 60a AufenthG',
            validUntil: '2027-03-31',
          },
          employmentPermission: { allowed: true, conditions: 'Beschäftigung erlaubt' },
        }),
      );
      const payload = viaCli
        ? await cli(
            'sign',
            '--key',
            join(data, 'demo', 'abh-demo.key'),
            '--in',
            join(dir.path, 'message.json'),
          )
        : await demoAgency(data, 'abh-demo', aud).sign(
            JSON.parse(readFileSync(join(dir.path, 'message.json'), 'utf8')),
          );
      const sent = await fetch(`${gw.baseUrl}/v1/exchanges`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${await token('abh-demo')}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': 'demo-1',
        },
        body: JSON.stringify({
          recipient: 'jc-demo',
          subject: { scheme: 'azr', value: '123456789012' },
          purpose: 'labour_market_integration',
          messageType: 'residence_status.notice',
          payload,
        }),
      });
      expect(sent.status, await sent.clone().text()).toBe(201);
      const { id } = (await sent.json()) as { id: string };

      const fetched = await fetch(`${gw.baseUrl}/v1/mailbox/${id}`, {
        headers: { Authorization: `Bearer ${await token('jc-demo')}` },
      });
      expect(fetched.status).toBe(200);
      writeFileSync(join(dir.path, 'fetched.json'), await fetched.text());
      const opened = JSON.parse(
        await cli(
          'open',
          '--key',
          join(data, 'demo', 'jc-demo.key'),
          '--in',
          join(dir.path, 'fetched.json'),
        ),
      ) as {
        attestation: { messageType: string };
        message: { employmentPermission: { conditions: string } };
      };
      expect(opened.attestation.messageType).toBe('residence_status.notice');
      expect(opened.message.employmentPermission.conditions).toBe('Beschäftigung erlaubt');

      const ack = await fetch(`${gw.baseUrl}/v1/mailbox/${id}/ack`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${await token('jc-demo')}` },
      });
      expect(ack.status).toBe(204);
    }, 120_000);

    it('lets the demo steering group read ended months, and holds the running one back', async () => {
      const token = () => demoAgency(data, 'lenkung-demo', aud).token();
      const running = monthOf(new Date().toISOString());
      const open = await fetch(`${gw.baseUrl}/v1/monitoring/reports/${running}`, {
        headers: { Authorization: `Bearer ${await token()}` },
      });
      expect(open.status).toBe(409);
      expect(await open.json()).toMatchObject({ reasons: [{ code: 'period_open' }] });
      const ended = lastEndedMonth(new Date());
      const res = await fetch(`${gw.baseUrl}/v1/monitoring/reports/${ended}`, {
        headers: { Authorization: `Bearer ${await token()}` },
      });
      expect(res.status).toBe(200);
      const report = (await res.json()) as MonitoringReport;
      expect(report.period.key).toBe(ended);
      expect(report.treeHead.treeSize).toBeGreaterThan(0);
    });

    // The operator's CLI on the local edge gateway's D1 (GATEWAY_D1_STATE), while it runs.
    it.runIf(backend === 'edge')(
      'registers a DPO with the CLI beside the running edge gateway, who reads a signed tree head',
      async () => {
        // The demo's own DPO is seeded with the tenant; this one is registered as an operator would.
        const key = join(data, 'demo', 'dsb-extra.key');
        const csr = join(dir.path, 'dsb-extra.csr');
        for (const args of [
          ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key],
          ['req', '-new', '-key', key, '-subj', '/CN=dsb-extra', '-out', csr],
        ]) {
          expect((await run('openssl', args)).code).toBe(0);
        }
        const vars = readFileSync(join(data, 'edge', '.dev.vars'), 'utf8');
        const masterKey = /^GATEWAY_MASTER_KEY=(.+)$/m.exec(vars)?.[1] ?? '';
        const added = await run(
          'cli/bin.mjs',
          ['principal', 'add', '--tenant', 'demo', '--id', 'dsb-extra', '--role', 'dpo'].concat([
            '--csr',
            csr,
            '--out',
            join(data, 'demo', 'dsb-extra.crt'),
          ]),
          { env: { GATEWAY_D1_STATE: join(data, 'edge'), GATEWAY_MASTER_KEY: masterKey } },
        );
        expect(added.code, added.stderr).toBe(0);
        const dpo = demoAgency(data, 'dsb-extra', aud);
        const res = await fetch(`${gw.baseUrl}/v1/audit/tree-head`, {
          headers: { Authorization: `Bearer ${await dpo.token()}` },
        });
        expect(res.status).toBe(200);
        const { treeSize } = (await res.json()) as { treeSize: number };
        const entries = await fetch(`${gw.baseUrl}/v1/audit/entries?limit=100`, {
          headers: { Authorization: `Bearer ${await dpo.token()}` },
        });
        const { items } = (await entries.json()) as { items: { event: string }[] };
        // The head covers the round above and the DPO's own registration, both through D1.
        expect(items.length).toBeGreaterThanOrEqual(treeSize);
        expect(items.map((e) => e.event)).toEqual(
          expect.arrayContaining([
            'consent.granted',
            'exchange.acknowledged',
            'certificate.issued',
          ]),
        );
      },
      60_000,
    );
  });
});

afterAll(() => {
  dir.remove();
});
