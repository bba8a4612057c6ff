import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomMasterKeyHex } from './support/pki.ts';
import { PROCESS_TEST_TIMEOUT_MS, run } from './support/process.ts';
import { tempDir } from './support/temp.ts';

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

  it('exits 2 on an unknown verb and 0 after creating a tenant', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const bad = await run('cli/bin.mjs', ['nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown command: nonsense');
    const good = await run('cli/bin.mjs', ['init', '--tenant', 'kreis-lippe'], {
      env: { GATEWAY_DATA_DIR: dir.path },
    });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('created tenant kreis-lippe');
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
