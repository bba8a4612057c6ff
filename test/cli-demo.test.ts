import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomMasterKeyHex } from './support/pki.ts';
import { PROCESS_TEST_TIMEOUT_MS, run } from './support/process.ts';
import { tempDir } from './support/temp.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

/** `consent-gateway demo` as a user runs it: the real bin, a fresh temp data dir, real SQLite. */
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function dataDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, 'data');
}

function query<T>(data: string, sql: string): T[] {
  const db = new Database(join(data, 'gateway.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const STEPS = [
  /^1\. Jobcenter Demo asked a person for consent/m,
  /^2\. the person signed in to the portal .* granted the consent/m,
  /^3\. Ausländerbehörde Demo sent a residence_status\.notice/m,
  /^4\. Jobcenter Demo fetched the message, decrypted it .* the content is what was sent/m,
  /^5\. Jobcenter Demo acknowledged receipt/m,
];

describe('consent-gateway demo', () => {
  it('creates the demo tenant with three agencies and runs one round, exit 0', async () => {
    const data = dataDir();
    const result = await run('cli/bin.mjs', ['--data', data, 'demo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`created the demo tenant in ${data}`);
    expect(result.stdout).toContain(
      'registered Ausländerbehörde Demo, Jobcenter Demo, Sozialamt Demo',
    );
    for (const step of STEPS) expect(result.stdout).toMatch(step);

    expect(query(data, 'SELECT id FROM tenants')).toEqual([{ id: 'demo' }]);
    expect(query(data, "SELECT id FROM principals WHERE tenant_id = 'demo' ORDER BY id")).toEqual([
      { id: 'abh-demo' },
      { id: 'dsb-demo' },
      { id: 'jc-demo' },
      { id: 'lenkung-demo' },
      { id: 'so-demo' },
    ]);
    for (const id of ['abh-demo', 'jc-demo', 'so-demo', 'dsb-demo', 'lenkung-demo']) {
      expect(statSync(join(data, 'demo', `${id}.key`)).mode & 0o777).toBe(0o600);
    }
    // The round went through the real domain code: audited, acknowledged, ciphertext gone.
    const events = query<{ event: string }>(
      data,
      "SELECT event FROM audit_entries WHERE tenant_id = 'demo' ORDER BY seq",
    ).map((row) => row.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'consent.requested',
        'consent.granted',
        'exchange.accepted',
        'exchange.delivered',
        'exchange.acknowledged',
      ]),
    );
    expect(query(data, 'SELECT state, ciphertext FROM mailbox_messages')).toEqual([
      { state: 'acknowledged', ciphertext: null },
    ]);
  });

  it('prints no code, identifier or message content', async () => {
    const data = dataDir();
    const result = await run('cli/bin.mjs', ['--data', data, 'demo']);
    expect(result.code, result.stderr).toBe(0);
    const printed = (result.stdout + result.stderr).replaceAll(data, '<data>');
    const [request] = query<{ id: string }>(data, 'SELECT id FROM consent_requests');
    const [consent] = query<{ id: string }>(data, 'SELECT id FROM consents');
    const [message] = query<{ id: string }>(data, 'SELECT id FROM mailbox_messages');
    for (const id of [request?.id, consent?.id, message?.id]) {
      expect(id).toBeDefined();
      expect(printed).not.toContain(id);
    }
    // Subject, second factor, message fields: none of it reaches the terminal.
    for (const secret of ['DEMO-', '1990-01-31', 'duldung', '60a', 'Beschäftigung', 'eyJ']) {
      expect(printed).not.toContain(secret);
    }
    // One-time codes are groups of letters and digits; nothing shaped like one is printed.
    expect(printed).not.toMatch(/\b[A-Z0-9]{4}-[A-Z0-9]{4}\b/);
  });

  it('runs again on a data dir that has the demo tenant, with GATEWAY_DATA_DIR', async () => {
    const data = dataDir();
    const env = { GATEWAY_DATA_DIR: data, GATEWAY_MASTER_KEY: randomMasterKeyHex() };
    expect((await run('cli/bin.mjs', ['demo'], { env })).code).toBe(0);
    const again = await run('cli/bin.mjs', ['demo'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('the demo tenant is there already');
    expect(again.stdout).toContain('the three demo agencies are registered already');
    for (const step of STEPS) expect(again.stdout).toMatch(step);
    expect(query(data, 'SELECT state FROM mailbox_messages')).toEqual([
      { state: 'acknowledged' },
      { state: 'acknowledged' },
    ]);
    expect(existsSync(join(data, 'master.key'))).toBe(false);
  });

  it('refuses a wrong master key before it changes anything', async () => {
    const data = dataDir();
    const key = randomMasterKeyHex();
    expect(
      (await run('cli/bin.mjs', ['--data', data, 'demo'], { env: { GATEWAY_MASTER_KEY: key } }))
        .code,
    ).toBe(0);
    const entries = () => query(data, 'SELECT COUNT(*) AS n FROM audit_entries');
    const before = entries();
    const wrong = await run('cli/bin.mjs', ['--data', data, 'demo'], {
      env: { GATEWAY_MASTER_KEY: randomMasterKeyHex() },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('demo refused: the master key does not open');
    expect(wrong.stdout).toBe('');
    expect(entries()).toEqual(before);
  });

  it('is listed in --help', async () => {
    const result = await run('cli/bin.mjs', ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}demo\n/m);
  });
});
