import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PkiDeps } from '../certs/index.ts';
import { testGateway, type TestGateway } from './support/app.ts';
import {
  addPrincipal,
  assertionFor,
  pkiDeps,
  provisionedTenant,
  type TestPrincipal,
} from './support/pki.ts';
import { run } from './support/process.ts';

const AUD = 'http://localhost:8787';
let gw: TestGateway;
let deps: PkiDeps;
let jc: TestPrincipal;
let dpo: TestPrincipal;

beforeEach(async () => {
  gw = await testGateway({ publicUrl: AUD });
  deps = await pkiDeps(gw.storage, gw.clock, gw.masterKey);
  await provisionedTenant(deps, 'koeln');
  await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'abh-koeln',
    kind: 'agency',
    agencyType: 'immigration_office',
  });
  jc = await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'jc-koeln',
    kind: 'agency',
    agencyType: 'jobcenter',
  });
  dpo = await addPrincipal(deps, { tenantId: 'koeln', id: 'dsb-koeln', kind: 'dpo' });
});
afterEach(() => {
  gw.close();
});

const as = async (p: TestPrincipal, path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set(
    'Authorization',
    `Bearer ${await assertionFor(p, { audience: AUD, now: gw.clock.now() })}`,
  );
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  return gw.app.request(path, { ...init, headers });
};

async function someEntries(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await as(jc, '/v1/consent-requests', {
      method: 'POST',
      body: JSON.stringify({
        subject: { scheme: 'azr', value: `AZR-${i}` },
        senders: ['abh-koeln'],
        recipients: ['jc-koeln'],
        purpose: 'labour_market_integration',
        categories: ['residence_status'],
        validUntil: '2027-06-01T00:00:00Z',
        language: 'de',
        secondFactor: { type: 'birthDate', value: '1990-01-31' },
      }),
    });
    expect(res.status).toBe(201);
  }
}

function gpg(home: string, ...args: string[]) {
  return spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', ...args], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
}

describe('audit exports', () => {
  it('verify with the CLI and with GnuPG alone; a changed entry fails and is named', async () => {
    await someEntries(5);
    const res = await as(dpo, '/v1/audit/exports', { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    const exported = (await res.json()) as { bundle: string; signature: string };
    const bundle = JSON.parse(exported.bundle) as {
      entries: { seq: number; actor: string }[];
      treeHead: { treeSize: number };
    };
    expect(bundle.entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);

    const dir = join(gw.dataDir, 'export');
    mkdirSync(dir, { mode: 0o700 });
    const file = (name: string) => join(dir, name);
    writeFileSync(file('export.json'), JSON.stringify(exported));
    writeFileSync(file('bundle.json'), exported.bundle);
    writeFileSync(file('bundle.json.asc'), exported.signature);
    writeFileSync(file('jwks.json'), await (await gw.app.request('/.well-known/jwks.json')).text());
    writeFileSync(
      file('gateway.asc'),
      await (await gw.app.request('/.well-known/openpgp-key.asc')).text(),
    );

    const ok = await run('cli/bin.mjs', [
      'audit',
      'verify',
      file('export.json'),
      '--jwks',
      file('jwks.json'),
      '--openpgp-key',
      file('gateway.asc'),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('verified: 5 entries');

    // GnuPG 2.2 alone, with the published key.
    const home = file('gnupg');
    mkdirSync(home, { mode: 0o700 });
    try {
      expect(gpg(home, '--import', file('gateway.asc')).status).toBe(0);
      const verified = gpg(home, '--verify', file('bundle.json.asc'), file('bundle.json'));
      expect(verified.status, verified.stderr).toBe(0);
      expect(verified.stderr).toContain('Good signature');

      // One changed byte in one entry: the CLI names the entry, GnuPG refuses the signature.
      const tampered = exported.bundle.replace('"actor":"jc-koeln"', '"actor":"jc-koelm"');
      expect(tampered).not.toBe(exported.bundle);
      writeFileSync(file('tampered.json'), tampered);
      const bad = await run('cli/bin.mjs', [
        'audit',
        'verify',
        file('tampered.json'),
        '--signature',
        file('bundle.json.asc'),
        '--jwks',
        file('jwks.json'),
        '--openpgp-key',
        file('gateway.asc'),
      ]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('FAIL openpgp signature');
      expect(bad.stderr).toMatch(/FAIL entry 0: not included/);
      expect(bad.stderr).toContain('NOT verified');
      expect(gpg(home, '--verify', file('bundle.json.asc'), file('tampered.json')).status).not.toBe(
        0,
      );
    } finally {
      spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
    }
  });

  it('records the export, and refuses it to an agency', async () => {
    await someEntries(1);
    expect((await as(jc, '/v1/audit/exports', { method: 'POST', body: '{}' })).status).toBe(403);
    await as(dpo, '/v1/audit/exports', { method: 'POST', body: '{}' });
    const events = gw.storage.db
      .prepare('SELECT event FROM audit_entries ORDER BY seq')
      .pluck()
      .all();
    expect(events).toEqual(['consent.requested', 'audit.exported']);
  });
});
