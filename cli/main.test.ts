import Database from 'better-sqlite3';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyAndCsr, randomMasterKeyHex } from '../test/support/pki.ts';
import { tempDir } from '../test/support/temp.ts';
import { defaultAudience } from './commands/client.ts';
import { commandNames, main } from './main.ts';
import { COMMAND_HELP } from './usage.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

const MASTER_KEY = randomMasterKeyHex();

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { GATEWAY_MASTER_KEY: MASTER_KEY, ...env },
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
  it('prints the whole usage for --help, -h and help, and exits 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const result = await cli(argv);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('Usage: consent-gateway');
      expect(result.stdout).toContain('init --tenant ID');
      expect(result.stdout).toContain('receipt verify FILE');
    }
  });

  it.each([
    [['agency', 'add', '--help']],
    [['agency', 'add', '-h']],
    [['agency', 'add', '--tenant', 'koeln', '--help']],
    [['help', 'agency', 'add']],
    [['--help', 'agency', 'add']],
    [['agency', '--help']],
  ])('prints only agency add help for %j and exits 0', async (argv) => {
    const result = await cli(argv);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^Usage:\n {2}consent-gateway agency add --tenant ID --id AGENCY/,
    );
    expect(result.stdout).toContain('[--address TEXT] [--dpo-contact TEXT] [--validity-days N]');
    expect(result.stdout).toContain('immigration_office, jobcenter, social_office');
    expect(result.stdout).toContain('--data DIR');
    expect(result.stdout).not.toContain('principal add');
    expect(result.stdout).not.toContain('init --tenant');
  });

  it('gives every command its own help, and the full usage is made of them', async () => {
    const full = (await cli(['--help'])).stdout;
    for (const { command, forms } of COMMAND_HELP) {
      const result = await cli(['help', ...command.split(' ')]);
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toContain(`consent-gateway ${command}`);
      for (const form of forms) {
        for (const line of [...form.synopsis, ...form.about]) {
          expect(result.stdout, command).toContain(line);
          expect(full, command).toContain(line);
        }
      }
    }
    expect(COMMAND_HELP.map((h) => h.command).sort()).toEqual([...commandNames].sort());
  });

  it('keeps --data out of the help of commands that use no data dir', async () => {
    const result = await cli(['receipt', 'verify', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('--data DIR');
    expect(result.stdout).not.toContain('GATEWAY_MASTER_KEY');
  });

  it('refuses help for an unknown command with exit 2', async () => {
    const result = await cli(['help', 'frobnicate']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      "consent-gateway: unknown command: frobnicate\nrun 'consent-gateway --help' for usage\n",
    );
  });

  it('says in one line, without the usage, that no command was given, exit 2', async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "consent-gateway: no command given\nrun 'consent-gateway --help' for usage\n",
    );
  });

  it('exits 2 with one line for an unknown command', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "consent-gateway: unknown command: frobnicate\nrun 'consent-gateway --help' for usage\n",
    );
  });

  it('names the subcommands of a group given alone, exit 2', async () => {
    const result = await cli(['agency']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "consent-gateway: agency needs one of: agency add\nrun 'consent-gateway agency --help' for usage\n",
    );
  });

  it.each([
    [['--bogus', 'init'], '--help', /Unknown option '--bogus'/],
    [['init', '--tenant', 'koeln', '--bogus'], 'init --help', /Unknown option '--bogus'/],
    [['init', '--tenant'], 'init --help', /--tenant/],
    [['init'], 'init --help', /init needs --tenant ID/],
    [['init', 'koeln'], 'init --help', /koeln/],
    [['agency', 'add', '--tenant', 'koeln'], 'agency add --help', /--id is required/],
  ])(
    'exits 2 for the bad command line %j with one line and where the usage is',
    async (argv, help, message) => {
      const result = await cli(argv, { GATEWAY_DATA_DIR: dataDir() });
      expect(result.code).toBe(2);
      const lines = result.stderr.split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^consent-gateway: /);
      expect(lines[0]).toMatch(message);
      expect(lines[1]).toBe(`run 'consent-gateway ${help}' for usage`);
      expect(result.stderr).not.toContain('Usage:');
    },
  );

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
    const [line, hint, ...more] = result.stderr.split('\n');
    expect(line).toMatch(
      /^consent-gateway: invalid tenant id: .*lower-case letters, digits and hyphens/,
    );
    expect(hint).toBe("run 'consent-gateway init --help' for usage");
    expect(more).toEqual(['']);
  });

  it('init creates the CA, signing and OpenPGP keys, with private keys only wrapped', async () => {
    const dir = dataDir();
    expect((await cli(['--data', dir, 'init', '--tenant', 'koeln'])).code).toBe(0);
    const db = new Database(join(dir, 'gateway.db'), { readonly: true });
    const keys = db.prepare('SELECT use, status FROM tenant_keys ORDER BY use').all();
    db.close();
    expect(keys).toEqual([
      { use: 'ca', status: 'active' },
      { use: 'openpgp', status: 'active' },
      { use: 'signing', status: 'active' },
    ]);
    const file = readFileSync(join(dir, 'gateway.db')).toString('latin1');
    expect(file).not.toMatch(/PRIVATE KEY|"d":"/);
  });

  it('without GATEWAY_MASTER_KEY keeps the key in a 0600 file and warns', async () => {
    const dir = dataDir();
    const result = await cli(['--data', dir, 'init', '--tenant', 'koeln'], {
      GATEWAY_MASTER_KEY: '',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: master key kept in the data dir');
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    // The same key file unwraps the CA key later: a second command works with it.
    const crl = await cli(
      ['--data', dir, 'crl', '--tenant', 'koeln', '--out', join(dir, 'crl.pem')],
      {
        GATEWAY_MASTER_KEY: '',
      },
    );
    expect(crl.code).toBe(0);
    expect(readFileSync(join(dir, 'crl.pem'), 'utf8')).toContain('BEGIN X509 CRL');
    // Another master key cannot unwrap the CA key: the command fails and says why.
    const wrong = await cli([
      '--data',
      dir,
      'crl',
      '--tenant',
      'koeln',
      '--out',
      join(dir, 'x.pem'),
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('could not be unwrapped');
  });

  it('records issuance, revocation and rotation in the audit log', async () => {
    const dir = dataDir();
    expect((await cli(['--data', dir, 'init', '--tenant', 'koeln'])).code).toBe(0);
    const { csrPem } = await keyAndCsr('P-256', 'jc-koeln');
    const csr = join(dir, 'jc.csr');
    writeFileSync(csr, csrPem);
    const added = await cli([
      '--data',
      dir,
      'agency',
      'add',
      '--tenant',
      'koeln',
      '--id',
      'jc-koeln',
      '--type',
      'jobcenter',
      '--csr',
      csr,
      '--out',
      join(dir, 'jc.crt'),
    ]);
    expect(added.code, added.stderr).toBe(0);
    const serial = /serial (\w+)/.exec(added.stdout)?.[1] ?? '';
    expect(
      (await cli(['--data', dir, 'cert', 'revoke', '--tenant', 'koeln', '--serial', serial])).code,
    ).toBe(0);
    expect((await cli(['--data', dir, 'keys', 'rotate', '--tenant', 'koeln'])).code).toBe(0);
    const db = new Database(join(dir, 'gateway.db'), { readonly: true });
    const entries = db
      .prepare('SELECT entry FROM audit_entries ORDER BY seq')
      .pluck()
      .all() as string[];
    db.close();
    expect(entries.map((e) => (JSON.parse(e) as { event: string }).event)).toEqual([
      'certificate.issued',
      'certificate.revoked',
      'key.rotated',
    ]);
    expect(JSON.parse(entries[1] ?? '{}')).toMatchObject({ serial, actor: 'operator' });
  });
});

describe('token', () => {
  it('signs for the gateway running in this environment unless --aud says otherwise', () => {
    expect(defaultAudience({})).toBe('http://localhost:8787');
    expect(defaultAudience({ PORT: '9000' })).toBe('http://localhost:9000');
    expect(defaultAudience({ PORT: '', GATEWAY_PUBLIC_URL: ' ' })).toBe('http://localhost:8787');
    expect(defaultAudience({ PORT: '9000', GATEWAY_PUBLIC_URL: 'https://consent.koeln.de/' })).toBe(
      'https://consent.koeln.de',
    );
  });
});
