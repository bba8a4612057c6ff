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
