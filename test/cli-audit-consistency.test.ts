import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cliInProcess } from './support/cli.ts';
import { residenceStatusRequest } from './support/person.ts';
import { addPrincipal, provisionedTenant, type TestPrincipal } from './support/pki.ts';
import { PROCESS_TEST_TIMEOUT_MS, run } from './support/process.ts';
import { koelnWorld, type KoelnWorld } from './support/world.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

/*
 * `audit verify NEW --consistent-with OLD` on real exports: a real app over SQLite, exports taken
 * through POST /v1/audit/exports as a DPO saves them, the CLI run as it is called.
 */

let world: KoelnWorld;
let dir: string;

beforeEach(async () => {
  world = await koelnWorld({ agencies: ['abh', 'jc'] });
  dir = join(world.gw.dataDir, 'exports');
  mkdirSync(dir, { mode: 0o700 });
});
afterEach(() => {
  world.close();
});

/** Makes `n` audit entries (one consent request each) as the jobcenter of `w`. */
async function someEntries(w: KoelnWorld, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const subject = { scheme: 'azr', value: String(100000000000 + i) };
    const res = await w.as(w.jc, '/v1/consent-requests', {
      method: 'POST',
      body: residenceStatusRequest(subject),
    });
    expect(res.status).toBe(201);
  }
}

/** An export as the DPO `p` saves it (`{ bundle, signature }`), written to `name`; its path. */
async function exportTo(name: string, w = world, p: TestPrincipal = w.dpo): Promise<string> {
  const res = await w.as(p, '/v1/audit/exports', { method: 'POST', body: '{}' });
  expect(res.status).toBe(200);
  const path = join(dir, name);
  writeFileSync(path, await res.text());
  // The next export is taken an hour later: its date tells the two apart.
  w.gw.clock.advance(3_600_000);
  return path;
}

/** The export in `path` with its bundle text changed by `change`, written to `name`. */
function changed(path: string, name: string, change: (bundle: string) => string): string {
  const saved = JSON.parse(readFileSync(path, 'utf8')) as { bundle: string; signature: string };
  const bundle = change(saved.bundle);
  expect(bundle).not.toBe(saved.bundle);
  const out = join(dir, name);
  writeFileSync(out, JSON.stringify({ ...saved, bundle }));
  return out;
}

const consistency = (...args: string[]) => cliInProcess(['audit', 'verify', ...args]);

async function pinnedKeys(): Promise<string[]> {
  const jwks = join(dir, 'jwks.json');
  const openpgp = join(dir, 'gateway.asc');
  writeFileSync(jwks, await (await world.gw.app.request('/.well-known/jwks.json')).text());
  writeFileSync(openpgp, await (await world.gw.app.request('/.well-known/openpgp-key.asc')).text());
  return ['--jwks', jwks, '--openpgp-key', openpgp];
}

describe('audit verify NEW --consistent-with OLD', () => {
  it('says in one line that an earlier export is a prefix of a later one (the real bin)', async () => {
    await someEntries(world, 3);
    const old = await exportTo('old.json');
    await someEntries(world, 4);
    const now = await exportTo('new.json');
    const result = await run('cli/bin.mjs', [
      'audit',
      'verify',
      now,
      '--consistent-with',
      old,
      ...(await pinnedKeys()),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The first export's own record (audit.exported) is entry 3 of the second.
    expect(result.stdout).toMatch(
      /^consistent: export of 2026-11-25T10:00:00\.000Z \(size 3, root [A-Za-z0-9+/]{43}=\) is a prefix of export of 2026-11-25T11:00:00\.000Z \(size 8, root [A-Za-z0-9+/]{43}=\)\n$/,
    );
  });

  it('holds an export consistent with itself', async () => {
    await someEntries(world, 2);
    const only = await exportTo('only.json');
    const result = await consistency(only, '--consistent-with', only);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('(size 2, root');
  });

  it('refuses the two the wrong way round, and says so', async () => {
    await someEntries(world, 2);
    const old = await exportTo('old.json');
    await someEntries(world, 1);
    const now = await exportTo('new.json');
    const result = await consistency(old, '--consistent-with', now);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'INCONSISTENT: the earlier export holds more entries (4) than the later one (2): give the later export first and the earlier one to --consistent-with\n',
    );
  });

  it('names the seq of an entry changed in the earlier export', async () => {
    await someEntries(world, 3);
    const old = await exportTo('old.json');
    await someEntries(world, 1);
    const now = await exportTo('new.json');
    const tampered = changed(old, 'tampered.json', (bundle) => {
      // Canonical JSON puts "actor" before "seq": the actor of entry 1 stands before its seq.
      const at = bundle.lastIndexOf('"actor":"jc-koeln"', bundle.indexOf('"seq":1,'));
      return bundle.slice(0, at) + bundle.slice(at).replace('"jc-koeln"', '"jc-koelm"');
    });
    const result = await consistency(now, '--consistent-with', tampered, ...(await pinnedKeys()));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${tampered}: FAIL entry at position 1 (seq 1): not included under the signed root`,
    );
    expect(result.stderr).toMatch(
      /\nINCONSISTENT: entry seq 1 of the earlier export differs from the later export's\n$/,
    );
  });

  it('refuses an earlier export whose root was forged', async () => {
    await someEntries(world, 3);
    const old = await exportTo('old.json');
    await someEntries(world, 1);
    const now = await exportTo('new.json');
    const forged = changed(old, 'forged.json', (bundle) =>
      bundle.replace(/"rootHash":"[^"]+"/, `"rootHash":"${'A'.repeat(43)}="`),
    );
    const result = await consistency(now, '--consistent-with', forged);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${forged}: FAIL tree head matches its signature`);
    expect(result.stderr).toMatch(
      /\nINCONSISTENT: the earlier export states another tree head than the one signed: its size or root was forged\n$/,
    );
  });

  it('says NOT verified, not INCONSISTENT, for an earlier export that lacks its signature', async () => {
    await someEntries(world, 1);
    const old = await exportTo('old.json');
    const now = await exportTo('new.json');
    // The bundle alone, without the .asc a DPO should have kept beside it.
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, (JSON.parse(readFileSync(old, 'utf8')) as { bundle: string }).bundle);
    const result = await consistency(now, '--consistent-with', bare);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `${bare}: FAIL openpgp signature: none given (--signature FILE, or BUNDLE.asc / BUNDLE.sig beside the bundle)\n` +
        `NOT verified: the earlier export ${bare} does not verify on its own\n`,
    );
  });

  it("refuses another tenant's export", async () => {
    await provisionedTenant(world.deps, 'bonn');
    const bonnDpo = await addPrincipal(world.deps, {
      tenantId: 'bonn',
      id: 'dsb-bonn',
      kind: 'dpo',
    });
    await someEntries(world, 2);
    const bonn = await exportTo('bonn.json', world, bonnDpo);
    const koeln = await exportTo('koeln.json');
    const result = await consistency(koeln, '--consistent-with', bonn);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'INCONSISTENT: the exports are of different tenants (bonn, koeln)\n',
    );
  });

  it("refuses another gateway's export of a tenant of the same name", async () => {
    const elsewhere = await koelnWorld({ agencies: ['abh', 'jc'] });
    try {
      await someEntries(elsewhere, 1);
      const other = await exportTo('other.json', elsewhere);
      await someEntries(world, 2);
      const ours = await exportTo('ours.json');
      const result = await consistency(ours, '--consistent-with', other);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "INCONSISTENT: the earlier tree head is not signed by a key of the later export's log: another gateway's or another log's export\n",
      );
    } finally {
      elsewhere.close();
    }
  });

  it('says a wrong command line in one line', async () => {
    await someEntries(world, 1);
    const one = await exportTo('one.json');
    const withSignature = await consistency(one, '--consistent-with', one, '--signature', one);
    expect(withSignature.code).toBe(2);
    expect(withSignature.stderr).toBe(
      "consent-gateway: --consistent-with takes no --signature: each export carries its own, or has FILE.asc beside it\nrun 'consent-gateway audit verify --help' for usage\n",
    );
    const noValue = await consistency(one, '--consistent-with');
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toMatch(/^consent-gateway: Option '--consistent-with <value>'/);
  });
});
