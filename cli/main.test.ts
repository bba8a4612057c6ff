import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp.ts';
import { main } from './main.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });
  return { code, stdout, stderr };
}

function dataDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, 'data');
}

const tenantsIn = (dir: string): unknown[] => {
  const db = new Database(join(dir, 'gateway.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, display_name AS name FROM tenants').all();
  } finally {
    db.close();
  }
};

describe('consent-gateway CLI', () => {
  it('prints usage for --help and exits 0', async () => {
    for (const argv of [['--help'], ['-h'], ['init', '--help']]) {
      const result = await cli(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: consent-gateway');
      expect(result.stdout).toContain('init --tenant ID');
    }
  });

  it('prints usage to stderr and exits 2 without a command', async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: consent-gateway');
  });

  it('exits 2 with usage for an unknown command', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^consent-gateway: unknown command: frobnicate\n/);
    expect(result.stderr).toContain('Usage:');
  });

  it.each([
    [['--bogus', 'init']],
    [['init', '--tenant', 'koeln', '--bogus']],
    [['init', '--tenant']],
    [['init']],
    [['init', 'koeln']],
  ])('exits 2 with usage for the bad command line %j', async (argv) => {
    const result = await cli(argv, { GATEWAY_DATA_DIR: dataDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage:');
  });

  it('init creates the data dir and the tenant record', async () => {
    const dir = dataDir();
    const result = await cli(['--data', dir, 'init', '--tenant', 'koeln', '--name', 'Stadt Köln']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('created tenant koeln');
    expect(tenantsIn(dir)).toEqual([{ id: 'koeln', name: 'Stadt Köln' }]);
  });

  it('init takes --data after the command and GATEWAY_DATA_DIR from the environment', async () => {
    const first = dataDir();
    expect((await cli(['init', '--tenant', 'bonn', '--data', first])).code).toBe(0);
    expect(tenantsIn(first)).toEqual([{ id: 'bonn', name: 'bonn' }]);
    const second = dataDir();
    expect((await cli(['init', '--tenant', 'hamm'], { GATEWAY_DATA_DIR: second })).code).toBe(0);
    expect(tenantsIn(second)).toEqual([{ id: 'hamm', name: 'hamm' }]);
  });

  it('init refuses an existing tenant with exit 1 and changes nothing', async () => {
    const dir = dataDir();
    await cli(['--data', dir, 'init', '--tenant', 'koeln', '--name', 'Köln']);
    const again = await cli(['--data', dir, 'init', '--tenant', 'koeln', '--name', 'Other']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('consent-gateway: tenant koeln exists already\n');
    expect(tenantsIn(dir)).toEqual([{ id: 'koeln', name: 'Köln' }]);
  });

  it('init refuses an invalid tenant id with exit 2 and says what is allowed', async () => {
    const result = await cli(['--data', dataDir(), 'init', '--tenant', 'Köln!']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid tenant id');
    expect(result.stderr).toContain('lower-case letters, digits and hyphens');
  });
});
