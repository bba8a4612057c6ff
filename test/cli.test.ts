import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { cliInProcess as cli } from './support/cli.ts';
import { residenceStatusRequest } from './support/person.ts';
import { randomMasterKeyHex } from './support/pki.ts';
import { PROCESS_TEST_TIMEOUT_MS, projectRoot, run } from './support/process.ts';
import { tempDir } from './support/temp.ts';
import { koelnWorld, type KoelnWorld } from './support/world.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

describe('npx consent-gateway (the installed bin)', () => {
  it('prints its help', async () => {
    const result = await run('npx', ['--no-install', 'consent-gateway', '--help'], {
      env: { HOME: process.env['HOME'] ?? '' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: consent-gateway');
  });

  it("prints one command's help and says a wrong command line in one line", async () => {
    const help = await run('cli/bin.mjs', ['agency', 'add', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage:\n {2}consent-gateway agency add --tenant ID/);
    expect(help.stdout).not.toContain('principal add');
    const wrong = await run('cli/bin.mjs', ['agency', 'add', '--tenant']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /^consent-gateway: .*--tenant.*\nrun 'consent-gateway agency add --help' for usage\n$/,
    );
  });

  it('exits 2 on an unknown verb and 0 after creating a tenant', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const bad = await run('cli/bin.mjs', ['nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "consent-gateway: unknown command: nonsense\nrun 'consent-gateway --help' for usage\n",
    );
    const good = await run('cli/bin.mjs', ['init', '--tenant', 'kreis-lippe'], {
      env: { GATEWAY_DATA_DIR: dir.path },
    });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('created tenant kreis-lippe');
  });
});

describe('the bin starts from a bundle of the current sources', () => {
  it('runs from dist/cli.mjs, built from every source as it is now', async () => {
    const result = await run('cli/bin.mjs', ['--version']);
    expect(result.code, result.stderr).toBe(0);
    // The call built the bundle if the sources changed since the last build (or none was made).
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'dist', 'cli.json'), 'utf8')) as {
      inputs: Record<string, number>;
    };
    expect(Object.keys(manifest.inputs)).toEqual(
      expect.arrayContaining([
        'cli/main.ts',
        'cli/commands/audit.ts',
        'audit/consistency-check.ts',
      ]),
    );
    const changed = Object.entries(manifest.inputs).filter(
      ([path, mtimeMs]) => statSync(join(projectRoot, path)).mtimeMs !== mtimeMs,
    );
    expect(changed).toEqual([]);
  });
});

describe('GATEWAY_MASTER_KEY_FILE', () => {
  function keyFile(dir: string, name: string, key: string): string {
    const path = join(dir, name);
    writeFileSync(path, `${key}\n`, { mode: 0o600 });
    return path;
  }

  it('is read for the master key as the gateway reads it', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const key = randomMasterKeyHex();
    const file = keyFile(dir.path, 'credential', key);
    const data = join(dir.path, 'data');
    const made = await cli(['--data', data, 'init', '--tenant', 'koeln'], {
      GATEWAY_MASTER_KEY_FILE: file,
    });
    expect(made.code, made.stderr).toBe(0);
    // The key from the file, not one made up in the data dir (which would warn).
    expect(made.stderr).toBe('');
    expect(existsSync(join(data, 'master.key'))).toBe(false);
    // The key in the file is the one the keys were wrapped with.
    const rotated = await cli(['--data', data, 'keys', 'rotate', '--tenant', 'koeln'], {
      GATEWAY_MASTER_KEY: key,
    });
    expect(rotated.code, rotated.stderr).toBe(0);
    const wrong = keyFile(dir.path, 'wrong', randomMasterKeyHex());
    const refused = await cli(['--data', data, 'keys', 'rotate', '--tenant', 'koeln'], {
      GATEWAY_MASTER_KEY_FILE: wrong,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'keys rotate refused: the master key does not open the CA key of tenant koeln',
    );
  });

  it('is refused in one line together with GATEWAY_MASTER_KEY, or when it holds no key', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const key = randomMasterKeyHex();
    const data = join(dir.path, 'data');
    const file = keyFile(dir.path, 'credential', key);
    const both = await cli(['--data', data, 'init', '--tenant', 'koeln'], {
      GATEWAY_MASTER_KEY: key,
      GATEWAY_MASTER_KEY_FILE: file,
    });
    expect(both.code).toBe(1);
    expect(both.stderr).toBe(
      'consent-gateway: init failed: GATEWAY_MASTER_KEY_FILE must not be set together with GATEWAY_MASTER_KEY\n',
    );
    const missing = await cli(['--data', data, 'init', '--tenant', 'koeln'], {
      GATEWAY_MASTER_KEY_FILE: join(dir.path, 'nothing-here'),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'consent-gateway: init failed: invalid configuration: GATEWAY_MASTER_KEY_FILE cannot be read (ENOENT)\n',
    );
    const garbage = await cli(['--data', data, 'init', '--tenant', 'koeln'], {
      GATEWAY_MASTER_KEY_FILE: keyFile(dir.path, 'garbage', 'not a key'),
    });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain('GATEWAY_MASTER_KEY_FILE must hold 32 bytes');
    expect(garbage.stderr).not.toContain('not a key');
    expect(existsSync(join(data, 'gateway.db'))).toBe(false);
  });
});

/** Every row of every table, so a test can say "nothing changed" and mean it. */
function snapshot(dataDir: string): string {
  const db = new Database(join(dataDir, 'gateway.db'), { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    return JSON.stringify(
      tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all()]),
    );
  } finally {
    db.close();
  }
}

describe('a wrong master key', () => {
  const rightKey = randomMasterKeyHex();
  const wrongKey = randomMasterKeyHex();

  async function dataDirWithTenant(): Promise<string> {
    const dir = tempDir();
    dirs.push(dir);
    const data = join(dir.path, 'data');
    const made = await run('cli/bin.mjs', ['--data', data, 'init', '--tenant', 'koeln'], {
      env: { GATEWAY_MASTER_KEY: rightKey },
    });
    expect(made.code, made.stderr).toBe(0);
    return data;
  }

  it('makes `keys rotate` exit 1, say why, and change nothing', async () => {
    const data = await dataDirWithTenant();
    const before = snapshot(data);
    const result = await run(
      'cli/bin.mjs',
      ['--data', data, 'keys', 'rotate', '--tenant', 'koeln'],
      {
        env: { GATEWAY_MASTER_KEY: wrongKey },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'keys rotate refused: the master key does not open the CA key of tenant koeln',
    );
    expect(result.stderr).toContain('nothing was changed');
    expect(result.stdout).toBe('');
    expect(snapshot(data)).toBe(before);

    // The right key still rotates.
    const rotated = await run(
      'cli/bin.mjs',
      ['--data', data, 'keys', 'rotate', '--tenant', 'koeln'],
      {
        env: { GATEWAY_MASTER_KEY: rightKey },
      },
    );
    expect(rotated.code, rotated.stderr).toBe(0);
  });

  it('makes `init` of another tenant exit 1 and create nothing', async () => {
    const data = await dataDirWithTenant();
    const before = snapshot(data);
    const result = await run('cli/bin.mjs', ['--data', data, 'init', '--tenant', 'bonn'], {
      env: { GATEWAY_MASTER_KEY: wrongKey },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('init refused: the master key does not open');
    expect(snapshot(data)).toBe(before);
    expect(existsSync(join(data, 'master.key'))).toBe(false);
  });

  it('is not what `init` makes up when GATEWAY_MASTER_KEY is missing for a data dir made with it', async () => {
    const data = await dataDirWithTenant();
    const before = snapshot(data);
    const result = await run('cli/bin.mjs', ['--data', data, 'init', '--tenant', 'bonn']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no master key: set GATEWAY_MASTER_KEY');
    expect(existsSync(join(data, 'master.key'))).toBe(false);
    expect(snapshot(data)).toBe(before);
  });
});

describe('audit verify output', () => {
  let world: KoelnWorld;
  beforeEach(async () => {
    world = await koelnWorld({ agencies: ['abh', 'jc'] });
  });
  afterEach(() => {
    world.close();
  });

  /** An export of the log with `n` consent requests in it, saved with the JWKS beside it. */
  async function exported(n: number): Promise<{ file: string; jwks: string }> {
    for (let i = 0; i < n; i++) {
      const res = await world.as(world.jc, '/v1/consent-requests', {
        method: 'POST',
        body: residenceStatusRequest({ scheme: 'azr', value: String(100000000000 + i) }),
      });
      expect(res.status).toBe(201);
    }
    const res = await world.as(world.dpo, '/v1/audit/exports', { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    const file = join(world.gw.dataDir, 'export.json');
    const jwks = join(world.gw.dataDir, 'jwks.json');
    writeFileSync(file, await res.text());
    writeFileSync(jwks, await (await world.gw.app.request('/.well-known/jwks.json')).text());
    return { file, jwks };
  }

  async function verify(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(['audit', 'verify', ...argv], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
    });
    return { code, stdout, stderr };
  }

  it('prints one line per check group by default, and every entry with --verbose', async () => {
    const { file, jwks } = await exported(3);
    const summary = await verify([file, '--jwks', jwks]);
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout.split('\n')).toEqual([
      'ok   openpgp signature (key from the bundle: compare it with the published one)',
      'ok   tree head signature',
      'ok   tree head matches its signature',
      'ok   3 entries with their inclusion proofs',
      'verified: 3 entries',
      '',
    ]);

    const verbose = await verify([file, '--jwks', jwks, '--verbose']);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toContain('ok   entry at position 0 (seq 0)\n');
    expect(verbose.stdout).toContain('ok   entry at position 2 (seq 2)\n');
    expect(verbose.stdout).not.toContain('with their inclusion proofs');
    expect(verbose.stdout).toMatch(/verified: 3 entries\n$/);
  });

  it('always prints the failures, exit 1', async () => {
    const { file, jwks } = await exported(2);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('labour_market_integration', 'labour_market_integratioN'));
    const result = await verify([file, '--jwks', jwks]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^FAIL entry at position \d+ \(seq \d+\): /m);
    expect(result.stderr).toMatch(/NOT verified\n$/);
  });
});
