import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { FixedClock } from '../core/index.ts';
import { readConfig } from '../gateway/config.ts';
import { createLogger } from '../gateway/logging.ts';
import { portalProfileGate } from '../gateway/portal/legal/production-gate.ts';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import { updateTenantProfile } from '../tenants/index.ts';
import { LogCollector } from './support/app.ts';
import { randomMasterKeyHex } from './support/pki.ts';
import {
  freePort,
  PROCESS_TEST_TIMEOUT_MS,
  projectRoot,
  run,
  startGateway,
} from './support/process.ts';
import { tempDir } from './support/temp.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

/**
 * GATEWAY_ENV=production: the portal is an official site, so the real server process refuses to
 * start while the portal tenant's profile lacks a required field, with one line saying which and
 * how to set it; the edge, which cannot refuse to start, closes its portal pages instead.
 */
const MASTER_KEY = randomMasterKeyHex();
let dir: ReturnType<typeof tempDir>;
let data: string;

beforeEach(() => {
  dir = tempDir();
  data = join(dir.path, 'data');
});
afterEach(() => {
  dir.remove();
});

async function cli(...argv: string[]) {
  let stderr = '';
  const code = await main(['--data', data, ...argv], {
    stdout: { write: () => undefined },
    stderr: { write: (text: string) => (stderr += text) },
    env: { GATEWAY_MASTER_KEY: MASTER_KEY },
  });
  expect(code, stderr).toBe(0);
}

const productionEnv = () => ({
  GATEWAY_ENV: 'production',
  GATEWAY_DATA_DIR: data,
  GATEWAY_MASTER_KEY: MASTER_KEY,
});

/** The real entry, run to its end. */
async function startAndExit(env: Record<string, string>) {
  const port = String(await freePort());
  return run(process.execPath, ['--import', 'tsx', 'gateway/node.ts'], {
    env: { ...env, PORT: port, HOST: '127.0.0.1' },
    cwd: projectRoot,
  });
}

describe('the Node entry in production', () => {
  it('refuses to start with an incomplete profile: one line naming tenant, fields, command', async () => {
    await cli('init', '--tenant', 'koeln');
    await cli('tenant', 'set', '--tenant', 'koeln', '--operator', 'Stadt Köln, IT-Amt');
    const result = await startAndExit(productionEnv());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe(
      'consent-gateway: tenant koeln: profile incomplete (missing: name, address, dpoContact, ' +
        'accessibilityContact); set it with: consent-gateway tenant set --tenant koeln ' +
        '--name … --address … --dpo-contact … --accessibility-contact …\n',
    );
    expect(result.stdout).not.toContain('gateway listening');
  });

  it('refuses an empty data dir instead of making the demo tenant', async () => {
    const result = await startAndExit(productionEnv());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^consent-gateway: no tenant: .*consent-gateway init --tenant/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('starts with a complete profile and serves it', async () => {
    await cli('init', '--tenant', 'koeln', '--name', 'Stadt Köln');
    await cli(
      'tenant',
      'set',
      '--tenant',
      'koeln',
      '--address',
      'Willy-Brandt-Platz 2\\n50679 Köln',
      '--dpo-contact',
      'datenschutz@koeln.example',
      '--accessibility-contact',
      'barrierefrei@koeln.example',
      '--operator',
      'Stadt Köln',
      '--operator',
      'Willy-Brandt-Platz 2, 50679 Köln',
    );
    const gw = await startGateway(productionEnv());
    try {
      const res = await fetch(`${gw.baseUrl}/portal/impressum`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Willy-Brandt-Platz 2<br/>50679 Köln');
      expect(html).toContain('Stadt Köln');
    } finally {
      expect(await gw.stop()).toBe(0);
    }
  });
});

describe('GATEWAY_ENV', () => {
  it('is production or development, and development by default', () => {
    expect(readConfig({ GATEWAY_ENV: 'production' })).toMatchObject({
      ok: true,
      config: { production: true },
    });
    expect(readConfig({})).not.toHaveProperty('config.production');
    expect(readConfig({ GATEWAY_ENV: 'development' })).not.toHaveProperty('config.production');
    expect(readConfig({ GATEWAY_ENV: 'prod' })).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^invalid configuration: GATEWAY_ENV must be production/)],
    });
  });
});

describe('the edge in production (portalProfileGate)', () => {
  let storage: SqliteStorage;
  let clock: FixedClock;
  let logs: LogCollector;
  beforeEach(async () => {
    await cli('init', '--tenant', 'koeln', '--name', 'Stadt Köln');
    storage = openSqliteStorage(data);
    clock = new FixedClock('2026-12-05T10:00:00Z');
    logs = new LogCollector();
  });
  afterEach(() => {
    storage.close();
  });
  const gate = () =>
    portalProfileGate({
      tenants: storage.tenants,
      logger: createLogger({ level: 'info', destination: logs }),
      clock,
    });

  it('closes the portal pages with 503 problem+json and logs why, and nothing else', async () => {
    const check = gate();
    const closed = await check('/portal/sign-in');
    expect(closed?.status).toBe(503);
    expect(closed?.headers.get('Content-Type')).toBe('application/problem+json');
    expect(closed?.headers.get('Retry-After')).toBe('300');
    expect(await closed?.json()).toMatchObject({ status: 503, code: 'internal_error' });
    expect(await check('/portal')).toBeDefined();
    expect(await check('/portal/assets/portal.css')).toBeUndefined();
    expect(await check('/v1/consent-requests')).toBeUndefined();
    expect(await check('/portalx')).toBeUndefined();
    // One line a minute, not one a request.
    expect(logs.entries).toHaveLength(1);
    expect(logs.entries[0]?.['msg']).toBe(
      'portal not served: tenant koeln: profile incomplete (missing: address, dpoContact, ' +
        'accessibilityContact, operator); set it with: consent-gateway tenant set --tenant koeln ' +
        '--address … --dpo-contact … --accessibility-contact … --operator …',
    );
  });

  it('opens once the profile is complete, within a minute', async () => {
    const check = gate();
    expect(await check('/portal/help')).toBeDefined();
    await updateTenantProfile(storage.tenants, 'koeln', {
      address: ['Willy-Brandt-Platz 2', '50679 Köln'],
      dpoContact: ['datenschutz@koeln.example'],
      accessibilityContact: ['barrierefrei@koeln.example'],
      operator: ['Stadt Köln'],
    });
    expect(await check('/portal/help')).toBeDefined();
    clock.advance(60_000);
    expect(await check('/portal/help')).toBeUndefined();
    expect(await check('/portal/sign-in')).toBeUndefined();
  });
});
