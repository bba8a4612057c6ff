import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { importMasterKey, parseMasterKey } from '../certs/index.ts';
import { FixedClock } from '../core/index.ts';
import { createApp } from '../gateway/app.ts';
import { readConfig } from '../gateway/config.ts';
import { createLogger } from '../gateway/logging.ts';
import { nodeDocsAssets } from '../gateway/node-docs-assets.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../policies/index.ts';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import { updateTenantProfile } from '../tenants/index.ts';
import { LogCollector } from './support/app.ts';
import { randomMasterKeyHex } from './support/pki.ts';
import {
  freePort,
  PROCESS_TEST_TIMEOUT_MS,
  projectRoot,
  run,
  SERVER_ARGS,
  startGateway,
} from './support/process.ts';
import { tempDir } from './support/temp.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

/**
 * GATEWAY_ENV=production: the portal is an official site, so the real server process refuses to
 * start while the portal tenant's profile lacks a required field, with one line saying which and
 * how to set it; the app closes its portal pages too (`production: true`), which is all the edge,
 * unable to refuse to start, has.
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
  return run(process.execPath, [...SERVER_ARGS], {
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

  it('takes the portal tenant by id (GATEWAY_PORTAL_TENANT)', () => {
    expect(readConfig({ GATEWAY_PORTAL_TENANT: 'koeln' })).toMatchObject({
      ok: true,
      config: { portalTenant: 'koeln' },
    });
    expect(readConfig({})).not.toHaveProperty('config.portalTenant');
    expect(readConfig({ GATEWAY_PORTAL_TENANT: 'Köln!' })).toMatchObject({ ok: false });
  });
});

describe('the portal gate in production (createApp with production: true)', () => {
  let storage: SqliteStorage | undefined;
  let clock: FixedClock;
  let logs: LogCollector;
  beforeEach(() => {
    clock = new FixedClock('2026-12-05T10:00:00Z');
    logs = new LogCollector();
  });
  afterEach(() => {
    storage?.close();
    storage = undefined;
  });

  /** The app the Worker builds with GATEWAY_ENV=production, over the data dir's storage. */
  async function productionApp(portalTenant?: string) {
    storage = openSqliteStorage(data);
    return createApp({
      config: { publicUrl: 'http://localhost:8787', bodyLimit: 1024 * 1024, version: '0.0.0' },
      clock,
      logger: createLogger({ level: 'info', destination: logs }),
      storage,
      keys: { masterKey: await importMasterKey(parseMasterKey(MASTER_KEY)) },
      docsAssets: nodeDocsAssets(),
      policy: await loadPolicySet(DEFAULT_POLICY),
      production: true,
      ...(portalTenant === undefined ? {} : { portalTenant }),
    });
  }
  const json = { Accept: 'application/json' };
  const browser = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  it('closes the portal pages, however the path is spelled, with 503 portal_not_ready and logs why', async () => {
    await cli('init', '--tenant', 'koeln', '--name', 'Stadt Köln');
    const app = await productionApp();
    for (const path of ['/portal/sign-in', '/%70ortal/sign-in', '/portal', '/portal/help']) {
      const res = await app.request(path, { headers: json });
      expect(res.status, path).toBe(503);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(res.headers.get('Retry-After')).toBe('300');
      expect(res.headers.get('X-Request-Id')).toMatch(/\w/);
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(await res.json()).toMatchObject({ status: 503, code: 'portal_not_ready' });
    }
    // One line a minute, not one a request.
    expect(logs.entries.filter((entry) => entry['production'] === true)).toEqual([
      expect.objectContaining({
        msg:
          'portal not served: tenant koeln: profile incomplete (missing: address, dpoContact, ' +
          'accessibilityContact, operator); set it with: consent-gateway tenant set --tenant ' +
          'koeln --address … --dpo-contact … --accessibility-contact … --operator …',
      }),
    ]);
  });

  it('answers a browser with a page, and leaves the assets and the API alone', async () => {
    await cli('init', '--tenant', 'koeln', '--name', 'Stadt Köln');
    const app = await productionApp();
    const page = await app.request('/%70ortal/sign-in', { headers: browser });
    expect(page.status).toBe(503);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(page.headers.get('Retry-After')).toBe('300');
    expect(page.headers.get('Content-Security-Policy')).toBeTruthy();
    expect((await app.request('/portal/assets/portal.css')).status).toBe(200);
    expect((await app.request('/portal/assets/favicon.svg')).status).toBe(200);
    expect((await app.request('/v1/policy', { headers: json })).status).toBe(200);
    expect((await app.request('/portalx', { headers: json })).status).toBe(404);
  });

  it('stays closed while there is no tenant at all', async () => {
    const app = await productionApp();
    const res = await app.request('/portal/sign-in', { headers: json });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'portal_not_ready' });
    expect(logs.entries.find((entry) => entry['production'] === true)?.['msg']).toBe(
      'portal not served: no tenant: create one with: consent-gateway init --tenant ID --name NAME',
    );
  });

  it('opens as soon as the profile is complete, and then reads it no more', async () => {
    await cli('init', '--tenant', 'koeln', '--name', 'Stadt Köln');
    const app = await productionApp();
    expect((await app.request('/portal/help', { headers: json })).status).toBe(503);
    if (storage === undefined) throw new Error('no storage');
    await updateTenantProfile(storage.tenants, 'koeln', {
      address: ['Willy-Brandt-Platz 2', '50679 Köln'],
      dpoContact: ['datenschutz@koeln.example'],
      accessibilityContact: ['barrierefrei@koeln.example'],
      operator: ['Stadt Köln'],
    });
    expect((await app.request('/portal/help')).status).toBe(200);
    const list = vi.spyOn(storage.tenants, 'list');
    expect((await app.request('/portal/assets/favicon.svg')).status).toBe(200);
    expect(list).not.toHaveBeenCalled();
    expect((await app.request('/portal/sign-in')).status).toBe(200);
    // The page's header still names the municipality: one read, by the page, not by the gate.
    expect(list).toHaveBeenCalledTimes(1);
  });

  it('with several tenants opens only once the operator names the portal tenant, and names that one', async () => {
    await cli('init', '--tenant', 'koeln', '--name', 'Stadt Köln');
    await cli('init', '--tenant', 'bielefeld', '--name', 'Stadt Bielefeld');
    const complete = {
      address: ['Niederwall 23', '33602 Bielefeld'],
      dpoContact: ['datenschutz@bielefeld.example'],
      accessibilityContact: ['barrierefrei@bielefeld.example'],
      operator: ['Stadt Bielefeld'],
    };
    let app = await productionApp();
    if (storage === undefined) throw new Error('no storage');
    await updateTenantProfile(storage.tenants, 'koeln', complete);
    await updateTenantProfile(storage.tenants, 'bielefeld', complete);
    // Both complete, but which municipality is the site? Not whichever is oldest.
    expect((await app.request('/portal/help', { headers: json })).status).toBe(503);
    expect(logs.entries.find((entry) => entry['production'] === true)?.['msg']).toBe(
      'portal not served: 2 tenants: name the one whose site the portal is with GATEWAY_PORTAL_TENANT=ID',
    );
    storage.close();
    app = await productionApp('bielefeld');
    const page = await app.request('/portal/help');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Stadt Bielefeld');
    expect(html).not.toContain('Stadt Köln');
    storage.close();
    app = await productionApp('muenster');
    expect((await app.request('/portal/help', { headers: json })).status).toBe(503);
  });
});
