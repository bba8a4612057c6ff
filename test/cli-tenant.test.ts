import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { agencyAddArgs, keyAndCsr, randomMasterKeyHex } from './support/pki.ts';
import { tempDir } from './support/temp.ts';

/**
 * The operator CLI for what consent notices and receipts name: an agency's address and DPO
 * contact (`agency add`), and the tenant's supervisory authority (`tenant set`), on real SQLite.
 */

const MASTER_KEY = randomMasterKeyHex();
let dir: ReturnType<typeof tempDir>;
let data: string;

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['--data', data, ...argv], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { GATEWAY_MASTER_KEY: MASTER_KEY },
  });
  return { code, stdout, stderr };
}

function row(sql: string, ...params: string[]): Record<string, unknown> | undefined {
  const db = new Database(join(data, 'gateway.db'), { readonly: true });
  try {
    return db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

async function csrFile(name: string): Promise<string> {
  const path = join(dir.path, `${name}.csr`);
  writeFileSync(path, (await keyAndCsr('P-256', name)).csrPem);
  return path;
}

beforeEach(async () => {
  dir = tempDir();
  data = join(dir.path, 'data');
  expect((await cli('init', '--tenant', 'koeln')).code).toBe(0);
});
afterEach(() => {
  dir.remove();
});

const LOWER_SAXONY = [
  '--supervisory-authority-name',
  'Die Landesbeauftragte für den Datenschutz Niedersachsen',
  '--supervisory-authority-address',
  'Prinzenstraße 5, 30159 Hannover',
  '--supervisory-authority-email',
  'poststelle@lfd.niedersachsen.de',
  '--supervisory-authority-url',
  'https://www.lfd.niedersachsen.de',
];

describe('agency add --address --dpo-contact', () => {
  it('registers the address and DPO contact with the agency', async () => {
    const result = await cli(
      ...agencyAddArgs({
        id: 'abh-koeln',
        type: 'immigration_office',
        csr: await csrFile('abh-koeln'),
        out: join(dir.path, 'abh.pem'),
      }),
      '--address',
      'Willy-Brandt-Platz 3, 50679 Köln',
      '--dpo-contact',
      'datenschutz@stadt-koeln.de',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(row('SELECT address, dpo_contact FROM principals WHERE id = ?', 'abh-koeln')).toEqual({
      address: 'Willy-Brandt-Platz 3, 50679 Köln',
      dpo_contact: 'datenschutz@stadt-koeln.de',
    });
  });

  it('leaves both empty when not given', async () => {
    const result = await cli(
      ...agencyAddArgs({
        id: 'jc-koeln',
        type: 'jobcenter',
        csr: await csrFile('jc-koeln'),
        out: join(dir.path, 'jc.pem'),
      }),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(row('SELECT address, dpo_contact FROM principals WHERE id = ?', 'jc-koeln')).toEqual({
      address: null,
      dpo_contact: null,
    });
  });

  it('refuses an address with a line break: exit 2, nothing registered', async () => {
    const result = await cli(
      ...agencyAddArgs({
        id: 'so-koeln',
        type: 'social_office',
        csr: await csrFile('so-koeln'),
        out: join(dir.path, 'so.pem'),
      }),
      '--address',
      'Ottmar-Pohl-Platz 1\n51103 Köln',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('address');
    expect(row('SELECT id FROM principals WHERE id = ?', 'so-koeln')).toBeUndefined();
  });
});

describe('tenant set', () => {
  it('sets the supervisory authority notices and receipts name', async () => {
    const result = await cli('tenant', 'set', '--tenant', 'koeln', ...LOWER_SAXONY);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Die Landesbeauftragte für den Datenschutz Niedersachsen');
    const stored = row('SELECT supervisory_authority FROM tenants WHERE id = ?', 'koeln');
    expect(JSON.parse(String(stored?.['supervisory_authority']))).toEqual({
      name: 'Die Landesbeauftragte für den Datenschutz Niedersachsen',
      address: 'Prinzenstraße 5, 30159 Hannover',
      email: 'poststelle@lfd.niedersachsen.de',
      url: 'https://www.lfd.niedersachsen.de',
    });
  });

  it('is listed in the usage', async () => {
    const result = await cli('--help');
    expect(result.stdout).toContain('tenant set --tenant ID --supervisory-authority-name');
    expect(result.stdout).toContain('[--address TEXT] [--dpo-contact TEXT]');
  });

  it('refuses half an authority with exit 2, naming what is missing, and stores nothing', async () => {
    const result = await cli('tenant', 'set', '--tenant', 'koeln', ...LOWER_SAXONY.slice(0, 4));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--supervisory-authority-email');
    expect(result.stderr).toContain('--supervisory-authority-url');
    expect(row('SELECT supervisory_authority FROM tenants')).toEqual({
      supervisory_authority: null,
    });
  });

  it('refuses a plain-http website and a wrong e-mail with exit 2', async () => {
    const bad = [...LOWER_SAXONY];
    bad[5] = 'poststelle';
    bad[7] = 'http://www.lfd.niedersachsen.de';
    const result = await cli('tenant', 'set', '--tenant', 'koeln', ...bad);
    expect(result.code).toBe(2);
    expect(row('SELECT supervisory_authority FROM tenants')).toEqual({
      supervisory_authority: null,
    });
  });

  it('answers exit 1 for an unknown tenant, and exit 2 without a setting or --tenant', async () => {
    expect((await cli('tenant', 'set', '--tenant', 'bonn', ...LOWER_SAXONY)).code).toBe(1);
    expect((await cli('tenant', 'set', '--tenant', 'koeln')).code).toBe(2);
    expect((await cli('tenant', 'set', ...LOWER_SAXONY)).code).toBe(2);
  });
});

describe('tenant set: the profile the official pages show', () => {
  const profileOf = () =>
    JSON.parse(
      String(row('SELECT profile FROM tenants WHERE id = ?', 'koeln')?.['profile']),
    ) as Record<string, unknown>;

  it('sets each field as lines, from repeated flags and from \\n in a value', async () => {
    const result = await cli(
      'tenant',
      'set',
      '--tenant',
      'koeln',
      '--name',
      'Stadt Köln',
      '--address',
      'Willy-Brandt-Platz 2\\n50679 Köln',
      '--operator',
      'Stadt Köln, Amt für Informationsverarbeitung',
      '--operator',
      'Willy-Brandt-Platz 2, 50679 Köln',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('missing: dpoContact, accessibilityContact');
    expect(result.stdout).toContain('--dpo-contact … --accessibility-contact …');
    expect(row('SELECT display_name FROM tenants WHERE id = ?', 'koeln')).toEqual({
      display_name: 'Stadt Köln',
    });
    expect(profileOf()).toEqual({
      address: ['Willy-Brandt-Platz 2', '50679 Köln'],
      operator: [
        'Stadt Köln, Amt für Informationsverarbeitung',
        'Willy-Brandt-Platz 2, 50679 Köln',
      ],
    });
  });

  it('replaces the fields given and keeps the others', async () => {
    await cli('tenant', 'set', '--tenant', 'koeln', '--address', 'Altes Rathaus');
    await cli('tenant', 'set', '--tenant', 'koeln', '--dpo-contact', 'datenschutz@koeln.example');
    await cli('tenant', 'set', '--tenant', 'koeln', '--address', 'Willy-Brandt-Platz 2');
    expect(profileOf()).toEqual({
      address: ['Willy-Brandt-Platz 2'],
      dpoContact: ['datenschutz@koeln.example'],
    });
  });

  it('refuses markup, an empty line and too many lines with exit 2, and stores nothing', async () => {
    for (const bad of [
      ['--address', '<b>Rathaus</b>'],
      ['--dpo-contact', 'datenschutz@koeln.example\\n'],
      ['--accessibility-contact', 'a\\nb\\nc\\nd\\ne'],
      ['--name', ''],
    ]) {
      const result = await cli('tenant', 'set', '--tenant', 'koeln', ...bad);
      expect(result.code, bad.join(' ')).toBe(2);
    }
    expect(row('SELECT profile, display_name FROM tenants WHERE id = ?', 'koeln')).toEqual({
      profile: null,
      display_name: 'koeln',
    });
  });

  it('stores neither profile nor authority when the authority is wrong', async () => {
    const bad = [...LOWER_SAXONY];
    bad[5] = 'poststelle';
    const result = await cli('tenant', 'set', '--tenant', 'koeln', '--address', 'Rathaus', ...bad);
    expect(result.code).toBe(2);
    expect(row('SELECT profile FROM tenants WHERE id = ?', 'koeln')).toEqual({ profile: null });
  });

  it('answers exit 1 for an unknown tenant', async () => {
    expect((await cli('tenant', 'set', '--tenant', 'bonn', '--address', 'Rathaus')).code).toBe(1);
  });

  it('is listed in the usage', async () => {
    const result = await cli('tenant', 'set', '--help');
    expect(result.stdout).toContain('[--dpo-contact LINE]...');
    expect(result.stdout).toContain('[--accessibility-contact LINE]... [--operator LINE]...\n');
    expect(result.stdout).toContain('GATEWAY_ENV=production');
  });
});

describe('tenant show', () => {
  it('prints the profile and names the missing fields with the command that sets them', async () => {
    await cli(
      'tenant',
      'set',
      '--tenant',
      'koeln',
      '--address',
      'Willy-Brandt-Platz 2\\n50679 Köln',
    );
    const result = await cli('tenant', 'show', '--tenant', 'koeln');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('address:\n  Willy-Brandt-Platz 2\n  50679 Köln\n');
    expect(result.stdout).toContain('dpoContact:\n  (not set)\n');
    expect(result.stdout).toContain('supervisoryAuthority (default):\n  Landesbeauftragte');
    expect(result.stdout).toContain('missing: name, dpoContact, accessibilityContact, operator\n');
    expect(result.stdout).toContain(
      'set it with: consent-gateway tenant set --tenant koeln --name … --dpo-contact …',
    );
  });

  it('says the profile is complete once every required field is set', async () => {
    await cli(
      'tenant',
      'set',
      '--tenant',
      'koeln',
      '--name',
      'Stadt Köln',
      '--address',
      'Willy-Brandt-Platz 2',
      '--dpo-contact',
      'datenschutz@koeln.example',
      '--accessibility-contact',
      'barrierefrei@koeln.example',
      '--operator',
      'Stadt Köln',
    );
    const result = await cli('tenant', 'show', '--tenant', 'koeln');
    expect(result.stdout).toContain('name:\n  Stadt Köln\n');
    expect(result.stdout).toContain('representative (optional):\n  (not set)\n');
    expect(result.stdout).toMatch(/profile complete\n$/);
  });

  it('answers exit 1 for an unknown tenant and exit 2 without --tenant', async () => {
    expect((await cli('tenant', 'show', '--tenant', 'bonn')).code).toBe(1);
    expect((await cli('tenant', 'show')).code).toBe(2);
  });
});
