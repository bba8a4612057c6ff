import Database from 'better-sqlite3';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fromBase64, toBase64, verifyConsistency } from '../audit/index.ts';
import { cliInProcess as cli } from './support/cli.ts';
import { demoAgency } from './support/demo-agency.ts';
import { randomMasterKeyHex } from './support/pki.ts';
import { PROCESS_TEST_TIMEOUT_MS, startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const MASTER_KEY = randomMasterKeyHex();

const SUBJECT = { scheme: 'azr', value: '123456789012' };
const MESSAGE = {
  residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
  employmentPermission: { allowed: true, conditions: 'Beschäftigung erlaubt' },
};

/** The README round's consent: jc-demo asks, the person grants in the portal. */
async function grantDemoConsent(baseUrl: string, data: string, aud: string): Promise<void> {
  const jc = demoAgency(data, 'jc-demo', aud);
  const created = (await (
    await fetch(`${baseUrl}/v1/consent-requests`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await jc.token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        subject: SUBJECT,
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
  const session = await fetch(`${baseUrl}/v1/portal/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: created.code, secondFactor: '1990-01-31' }),
  });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const granted = await fetch(`${baseUrl}/v1/portal/requests/${created.id}/grant`, {
    method: 'POST',
    headers: { Cookie: cookie },
  });
  expect(granted.status).toBe(200);
}

/** One exchange abh-demo → jc-demo; answers the message id. */
async function send(baseUrl: string, data: string, aud: string, key: string): Promise<string> {
  const abh = demoAgency(data, 'abh-demo', aud);
  const res = await fetch(`${baseUrl}/v1/exchanges`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await abh.token()}`,
      'Content-Type': 'application/json',
      'Idempotency-Key': key,
    },
    body: JSON.stringify({
      recipient: 'jc-demo',
      subject: SUBJECT,
      purpose: 'labour_market_integration',
      messageType: 'residence_status.notice',
      payload: await abh.sign(MESSAGE),
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/**
 * Sends exchanges, `parallel` at a time, until `stop()` is called or `limit` were sent, so the
 * gateway is writing while the backup runs. Counts what was sent, and what was in flight.
 */
function keepSending(baseUrl: string, data: string, aud: string, parallel = 3, limit = 150) {
  let stopped = false;
  let started = 0;
  let sent = 0;
  let inFlight = 0;
  const worker = async (): Promise<void> => {
    while (!stopped && started < limit) {
      const n = started++;
      inFlight++;
      try {
        await send(baseUrl, data, aud, `load-${n}`);
        sent++;
      } finally {
        inFlight--;
      }
    }
  };
  const done = Promise.all(Array.from({ length: parallel }, worker));
  return {
    sent: () => sent,
    inFlight: () => inFlight,
    async stop(): Promise<number> {
      stopped = true;
      await done;
      return sent;
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What the backup file holds about the demo tenant's log, read straight from SQLite. */
function backedUpLog(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const head = db
      .prepare("SELECT size, root FROM audit_heads WHERE tenant_id = 'demo'")
      .get() as { size: number; root: Buffer };
    const entries = db
      .prepare("SELECT COUNT(*) AS n FROM audit_entries WHERE tenant_id = 'demo'")
      .get() as { n: number };
    const messages = db.prepare('SELECT id FROM mailbox_messages').pluck().all() as string[];
    return { size: head.size, root: new Uint8Array(head.root), entries: entries.n, messages };
  } finally {
    db.close();
  }
}

describe('backup under load, restored into a fresh data dir', () => {
  const dir = tempDir();
  const data = join(dir.path, 'data');
  const restored = join(dir.path, 'restored');
  const gateways: GatewayProcess[] = [];
  afterAll(async () => {
    for (const gw of gateways) await gw.stop();
    dir.remove();
  });

  it('serves the same tree head, a verifiable export and the waiting mailbox', async () => {
    const env = { GATEWAY_MASTER_KEY: MASTER_KEY };
    const gw = await startGateway({ GATEWAY_DATA_DIR: data, ...env });
    gateways.push(gw);
    const aud = `http://localhost:${new URL(gw.baseUrl).port}`;
    await grantDemoConsent(gw.baseUrl, data, aud);
    const waiting = await send(gw.baseUrl, data, aud, 'before-backup');

    const load = keepSending(gw.baseUrl, data, aud);
    await until(() => load.sent() >= 5);
    const sentBefore = load.sent();
    const inFlightAtStart = load.inFlight();
    const out = join(dir.path, 'gateway.backup');
    const backup = await cli(['--data', data, 'backup', '--out', out]);
    const sentDuring = load.sent();
    await until(() => load.sent() >= sentDuring + 5);
    const total = await load.stop();
    expect(backup.code, backup.stderr).toBe(0);
    expect(inFlightAtStart).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(sentBefore);
    expect(backup.stdout).toMatch(
      /^backup written to .+: \d+ bytes, 1 tenant: demo \(audit tree size \d+\); the master key is not in it/,
    );
    expect(statSync(out).mode & 0o777).toBe(0o600);

    // Consistent: the head counts exactly the entries the copy holds, and it holds the waiting one.
    const log = backedUpLog(out);
    expect(backup.stdout).toContain(`(audit tree size ${log.size})`);
    expect(log.entries).toBe(log.size);
    expect(log.messages).toContain(waiting);
    await gw.stop();

    const restore = await cli(['--data', restored, 'restore', out], env);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(`demo (audit tree size ${log.size})`);
    expect(restore.stdout).toContain('integrity ok');
    expect(restore.stdout).toContain('the master key is not in a backup');
    expect(statSync(join(restored, 'gateway.db')).mode & 0o777).toBe(0o600);
    expect(statSync(restored).mode & 0o777).toBe(0o700);

    const again = await startGateway({ GATEWAY_DATA_DIR: restored, ...env });
    gateways.push(again);
    const aud2 = `http://localhost:${new URL(again.baseUrl).port}`;
    await expectSameTree(again.baseUrl, data, aud2, log);
    await expectExportVerifies(again.baseUrl, data, aud2, dir.path, log.size);
    await expectMailboxOpens(again.baseUrl, data, aud2, dir.path, waiting);
    await again.stop();
  }, 240_000);
});

/**
 * The restored gateway's signed head extends the backed-up tree: its JWS verifies under the
 * tenant's published keys, and an RFC 9162 consistency proof from the backed-up size and root
 * (read from the backup file itself) to that head holds. Its size is larger only by the DPO's
 * recorded reads.
 */
async function expectSameTree(
  baseUrl: string,
  data: string,
  aud: string,
  log: { size: number; root: Uint8Array },
): Promise<void> {
  const dpo = demoAgency(data, 'dsb-demo', aud);
  const res = await fetch(`${baseUrl}/v1/audit/tree-head`, {
    headers: { Authorization: `Bearer ${await dpo.token()}` },
  });
  expect(res.status).toBe(200);
  const head = (await res.json()) as { treeSize: number; rootHash: string; jws: string };
  expect(head.treeSize).toBe(log.size + 1);
  const jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
  const { payload } = await compactVerify(head.jws, createLocalJWKSet(jwks));
  const signed = JSON.parse(new TextDecoder().decode(payload)) as {
    treeSize: number;
    rootHash: string;
  };
  expect(signed).toMatchObject({ treeSize: head.treeSize, rootHash: head.rootHash });

  const proofRes = await fetch(
    `${baseUrl}/v1/audit/proofs/consistency?from=${log.size}&to=${head.treeSize}`,
    { headers: { Authorization: `Bearer ${await dpo.token()}` } },
  );
  expect(proofRes.status).toBe(200);
  const { proof } = (await proofRes.json()) as { proof: string[] };
  expect(toBase64(log.root)).not.toBe(head.rootHash);
  expect(
    await verifyConsistency(
      log.size,
      head.treeSize,
      proof.map(fromBase64),
      log.root,
      fromBase64(head.rootHash),
    ),
  ).toBe(true);
}

async function expectExportVerifies(
  baseUrl: string,
  data: string,
  aud: string,
  work: string,
  backedUp: number,
): Promise<void> {
  const dpo = demoAgency(data, 'dsb-demo', aud);
  const res = await fetch(`${baseUrl}/v1/audit/exports`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await dpo.token()}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(200);
  writeFileSync(join(work, 'export.json'), await res.text());
  writeFileSync(
    join(work, 'jwks.json'),
    await (await fetch(`${baseUrl}/.well-known/jwks.json`)).text(),
  );
  const verified = await cli([
    'audit',
    'verify',
    join(work, 'export.json'),
    '--jwks',
    join(work, 'jwks.json'),
  ]);
  expect(verified.code, verified.stderr).toBe(0);
  const count = Number(/verified: (\d+) entries/.exec(verified.stdout)?.[1]);
  expect(count).toBeGreaterThan(backedUp);
}

/** A message sent before the backup and never fetched is fetched and opened after the restore. */
async function expectMailboxOpens(
  baseUrl: string,
  data: string,
  aud: string,
  work: string,
  id: string,
): Promise<void> {
  const jc = demoAgency(data, 'jc-demo', aud);
  const fetched = await fetch(`${baseUrl}/v1/mailbox/${id}`, {
    headers: { Authorization: `Bearer ${await jc.token()}` },
  });
  expect(fetched.status).toBe(200);
  writeFileSync(join(work, 'fetched.json'), await fetched.text());
  const opened = await cli([
    'open',
    '--key',
    join(data, 'demo', 'jc-demo.key'),
    '--in',
    join(work, 'fetched.json'),
  ]);
  expect(opened.code, opened.stderr).toBe(0);
  const content = JSON.parse(opened.stdout) as { message: typeof MESSAGE };
  expect(content.message).toEqual(MESSAGE);
  const ack = await fetch(`${baseUrl}/v1/mailbox/${id}/ack`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await jc.token()}` },
  });
  expect(ack.status).toBe(204);
}
