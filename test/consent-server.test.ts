import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agencyAddArgs,
  assertionFor,
  keyAndCsr,
  randomMasterKeyHex,
  type TestPrincipal,
} from './support/pki.ts';
import { run, startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/**
 * The consent round against the real server process and its SQLite file, set up with the CLI as
 * an operator would: afterwards neither the identifier, the code nor the birth date is in any
 * file of the data dir or in any log line.
 */
const CANARY = '471100000047';
const dir = tempDir();
const dataDir = join(dir.path, 'data');
const env = { GATEWAY_MASTER_KEY: randomMasterKeyHex(), GATEWAY_DATA_DIR: dataDir };
let gw: GatewayProcess;

async function agency(id: string, type: string): Promise<TestPrincipal> {
  const { keys, csrPem, alg } = await keyAndCsr('P-256', id);
  writeFileSync(join(dir.path, `${id}.csr`), csrPem);
  const out = join(dir.path, `${id}.crt`);
  const result = await run(
    'cli/bin.mjs',
    [...agencyAddArgs({ id: id, type: type, csr: join(dir.path, `${id}.csr`), out: out })],
    { env },
  );
  expect(result.code, result.stderr).toBe(0);
  return {
    tenantId: 'koeln',
    id,
    kind: 'agency',
    certificatePem: readFileSync(out, 'utf8'),
    fingerprint: /kid +(\S+)/.exec(result.stdout)?.[1] ?? '',
    serial: /serial (\w+)/.exec(result.stdout)?.[1] ?? '',
    privateKey: keys.privateKey,
    alg,
  };
}

let jc: TestPrincipal;
beforeAll(async () => {
  expect(
    (await run('cli/bin.mjs', ['init', '--tenant', 'koeln', '--name', 'Stadt Köln'], { env })).code,
  ).toBe(0);
  jc = await agency('jc-koeln', 'jobcenter');
  await agency('abh-koeln', 'immigration_office');
  gw = await startGateway(env);
}, 120_000);
afterAll(async () => {
  await gw.stop();
  dir.remove();
});

describe('consent against the real server', () => {
  it('runs request → sign-in → grant → revoke over HTTP and leaves no identifier behind', async () => {
    const audience = `http://localhost:${new URL(gw.baseUrl).port}`;
    const bearer = async () => `Bearer ${await assertionFor(jc, { audience, now: new Date() })}`;
    const created = await fetch(`${gw.baseUrl}/v1/consent-requests`, {
      method: 'POST',
      headers: { Authorization: await bearer(), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        subject: { scheme: 'azr', value: CANARY },
        senders: ['abh-koeln'],
        recipients: ['jc-koeln'],
        purpose: 'labour_market_integration',
        categories: ['residence_status'],
        validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        language: 'uk',
        secondFactor: { type: 'birthDate', value: '1988-07-14' },
      }),
    });
    expect(created.status).toBe(201);
    const { id, code } = (await created.json()) as { id: string; code: string };

    const session = await fetch(`${gw.baseUrl}/v1/portal/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, secondFactor: '1988-07-14' }),
    });
    expect(session.status).toBe(201);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const view = (await (
      await fetch(`${gw.baseUrl}/v1/portal/requests/${id}`, { headers: { Cookie: cookie } })
    ).json()) as {
      language: string;
      notice: { text: string };
    };
    expect(view.language).toBe('uk');
    expect(view.notice.text).toMatch(/[\u0400-\u04FF]/);

    const grant = await fetch(`${gw.baseUrl}/v1/portal/requests/${id}/grant`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(grant.status).toBe(200);
    const { consent } = (await grant.json()) as { consent: { id: string } };
    const revoke = await fetch(`${gw.baseUrl}/v1/portal/consents/${consent.id}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(await revoke.json()).toMatchObject({ state: 'revoked' });

    const seen = (await (
      await fetch(`${gw.baseUrl}/v1/consents?subject.scheme=azr&subject.value=${CANARY}`, {
        headers: { Authorization: await bearer() },
      })
    ).json()) as { items: { state: string }[] };
    expect(seen.items.map((c) => c.state)).toEqual(['revoked']);

    await gw.stop();
    const files = ['gateway.db', 'gateway.db-wal', 'gateway.db-shm', 'master.key']
      .map((f) => join(dataDir, f))
      .filter((f) => existsSync(f));
    const everything =
      files.map((f) => readFileSync(f).toString('latin1')).join('') + gw.stdout() + gw.stderr();
    for (const secret of [
      CANARY,
      code,
      code.replaceAll('-', ''),
      '1988-07-14',
      cookie.split('=')[1] ?? 'x',
    ]) {
      expect(everything.includes(secret), `${secret} leaked`).toBe(false);
    }
    const lines = gw
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((l) => l['msg'] === 'request').map((l) => l['route'])).toEqual([
      '/v1/consent-requests',
      '/v1/portal/session',
      '/v1/portal/requests/:id',
      '/v1/portal/requests/:id/grant',
      '/v1/portal/consents/:id/revoke',
      '/v1/consents',
    ]);
  });
});
