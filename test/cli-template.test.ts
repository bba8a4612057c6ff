import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../policies/index.ts';
import { NRW_SUPERVISORY_AUTHORITY } from '../tenants/index.ts';
import { keyAndCsr, randomMasterKeyHex } from './support/pki.ts';
import { PROCESS_TEST_TIMEOUT_MS, startGateway } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/**
 * The NRW starting kit: `init --tenant ID --from-template nrw` on real SQLite, the CLI run in
 * process; the policy file it writes is run by a real gateway process.
 */

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const MASTER_KEY = randomMasterKeyHex();
let dir: ReturnType<typeof tempDir>;
let data: string;
const cleanups: (() => unknown)[] = [];

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(['--data', data, ...argv], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { GATEWAY_MASTER_KEY: MASTER_KEY, ...env },
  });
  return { code, stdout, stderr };
}

const initKoeln = () =>
  cli(['init', '--tenant', 'koeln', '--name', 'Stadt Köln', '--from-template', 'nrw']);

function query(sql: string, ...params: string[]): Record<string, unknown>[] {
  const db = new Database(join(data, 'gateway.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** Every row of every table and every kit file with its time, so "nothing changed" means it. */
function snapshot(): string {
  const tables = query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  const kit = join(data, 'templates');
  const files = existsSync(kit)
    ? readdirSync(kit, { recursive: true, encoding: 'utf8' })
        .sort()
        .map((f) => [f, statSync(join(kit, f)).mtimeMs, statSync(join(kit, f)).mode])
    : [];
  return JSON.stringify([
    tables.map(({ name }) => [name, query(`SELECT * FROM "${String(name)}"`)]),
    files,
  ]);
}

const kitDir = () => join(data, 'templates', 'koeln');
const mode = (path: string) => statSync(path).mode & 0o777;

beforeEach(() => {
  dir = tempDir();
  data = join(dir.path, 'data');
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  dir.remove();
});

describe('init --from-template nrw', () => {
  it('makes the tenant with the LDI NRW, the programme view nrw, and says so line by line', async () => {
    const result = await initKoeln();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      `created tenant koeln ("Stadt Köln") in ${data}: CA, signing key, OpenPGP key`,
    );
    expect(lines[1]).toContain('LDI NRW');
    expect(lines[2]).toContain('programme view: takes part in nrw');
    expect(lines[3]).toContain(`policy set ${DEFAULT_POLICY.version}`);
    expect(lines[3]).toContain(join(kitDir(), 'policy.json'));
    expect(lines[4]).toContain('abh-koeln, jc-koeln, so-koeln');
    expect(lines[4]).toContain(join(kitDir(), 'NEXT-STEPS.md'));
    const [tenant] = query('SELECT display_name, supervisory_authority, programme FROM tenants');
    expect(tenant).toMatchObject({ display_name: 'Stadt Köln', programme: 'nrw' });
    expect(JSON.parse(String(tenant?.['supervisory_authority']))).toEqual(
      NRW_SUPERVISORY_AUTHORITY,
    );
  });

  it("writes the programme's policy set as JSON that loadPolicySet accepts, owner-only", async () => {
    expect((await initKoeln()).code).toBe(0);
    const file = join(kitDir(), 'policy.json');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\{\n {2}"version": /);
    const loaded = await loadPolicySet(JSON.parse(text));
    expect(loaded.hash).toBe((await loadPolicySet(DEFAULT_POLICY)).hash);
    expect(mode(file)).toBe(0o600);
    expect(mode(join(kitDir(), 'NEXT-STEPS.md'))).toBe(0o600);
    expect(mode(kitDir())).toBe(0o700);
    expect(mode(join(data, 'templates'))).toBe(0o700);
  });

  it('writes NEXT-STEPS.md whose commands register the offices and the reader, and leave the view', async () => {
    expect((await initKoeln()).code).toBe(0);
    const steps = readFileSync(join(kitDir(), 'NEXT-STEPS.md'), 'utf8');
    expect(steps).toContain('Nächste Schritte / Next steps');
    expect(steps).toContain(`GATEWAY_POLICY_FILE=${join(kitDir(), 'policy.json')} npm start`);
    const commands = commandsIn(steps);
    expect(commands.map((argv) => argv.slice(4, 6).join(' '))).toEqual([
      'agency add',
      'agency add',
      'agency add',
      'principal add',
      'tenant set',
    ]);
    for (const argv of commands) {
      const result = await cli(await withFilesIn(argv));
      expect(result.code, `${argv.join(' ')}\n${result.stderr}`).toBe(0);
    }
    expect(query('SELECT id, kind, agency_type, display_name FROM principals ORDER BY id')).toEqual(
      [
        {
          id: 'abh-koeln',
          kind: 'agency',
          agency_type: 'immigration_office',
          display_name: 'Ausländerbehörde Stadt Köln',
        },
        {
          id: 'jc-koeln',
          kind: 'agency',
          agency_type: 'jobcenter',
          display_name: 'Jobcenter Stadt Köln',
        },
        { id: 'lenkung-koeln', kind: 'monitor', agency_type: null, display_name: 'lenkung-koeln' },
        {
          id: 'so-koeln',
          kind: 'agency',
          agency_type: 'social_office',
          display_name: 'Sozialamt Stadt Köln',
        },
      ],
    );
    expect(query('SELECT programme FROM tenants')).toEqual([{ programme: null }]);
  });

  it('refuses an unknown template with exit 2 in one line, creating nothing', async () => {
    const result = await cli(['init', '--tenant', 'koeln', '--from-template', 'berlin']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'consent-gateway: unknown template "berlin"; known templates: nrw\n',
    );
    expect(existsSync(data)).toBe(false);
  });

  it('refuses a tenant id that is not one before it becomes a path', async () => {
    const result = await cli(['init', '--tenant', '../evil', '--from-template', 'nrw']);
    expect(result.code).toBe(2);
    expect(existsSync(data)).toBe(false);
    expect(existsSync(join(dir.path, 'evil'))).toBe(false);
  });

  it('refuses a second run on the tenant in one line, exit 1, with nothing changed', async () => {
    expect((await initKoeln()).code).toBe(0);
    writeFileSync(join(kitDir(), 'policy.json'), '{"version":"koeln-1"}\n');
    const before = snapshot();
    const again = await initKoeln();
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      `consent-gateway: tenant koeln exists already in ${data}; ` +
        'init --from-template starts new tenants only; nothing was changed\n',
    );
    expect(snapshot()).toBe(before);
    expect(readFileSync(join(kitDir(), 'policy.json'), 'utf8')).toBe('{"version":"koeln-1"}\n');
  });

  it('refuses to overwrite a kit file left from before, making no tenant', async () => {
    expect((await cli(['init', '--tenant', 'bonn'])).code).toBe(0);
    const stray = join(kitDir(), 'NEXT-STEPS.md');
    mkdirSync(kitDir(), { recursive: true });
    writeFileSync(stray, 'ours\n');
    const result = await initKoeln();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${stray} exists already and is not overwritten`);
    expect(query('SELECT id FROM tenants')).toEqual([{ id: 'bonn' }]);
    expect(readFileSync(stray, 'utf8')).toBe('ours\n');
    expect(existsSync(join(kitDir(), 'policy.json'))).toBe(false);
  });

  it('takes its files back when the tenant cannot be made (wrong master key)', async () => {
    expect((await cli(['init', '--tenant', 'bonn'])).code).toBe(0);
    const before = snapshot();
    const result = await cli(['init', '--tenant', 'koeln', '--from-template', 'nrw'], {
      GATEWAY_MASTER_KEY: randomMasterKeyHex(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing was changed');
    expect(existsSync(join(data, 'templates'))).toBe(false);
    expect(snapshot()).toBe(before);
  });

  it('leaves plain init as it was: no kit files, no programme', async () => {
    const result = await cli(['init', '--tenant', 'koeln']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `created tenant koeln ("koeln") in ${data}: CA, signing key, OpenPGP key\n`,
    );
    expect(existsSync(join(data, 'templates'))).toBe(false);
    expect(query('SELECT supervisory_authority, programme FROM tenants')).toEqual([
      { supervisory_authority: null, programme: null },
    ]);
  });

  it('is listed in the usage', async () => {
    const result = await cli(['--help']);
    expect(result.stdout).toContain('init --tenant ID [--name NAME] [--from-template nrw]');
    expect(result.stdout).toContain('--role dpo|operator|monitor');
    expect(result.stdout).toContain('tenant set --tenant ID --programme ID|none');
    expect(result.stdout).toContain('monitor compute BUNDLE (--period P | --check REPORT)');
  });
});

describe('the written policy.json as GATEWAY_POLICY_FILE', () => {
  async function gatewayWith(policyFile: string) {
    const gw = await startGateway({
      GATEWAY_DATA_DIR: data,
      GATEWAY_MASTER_KEY: MASTER_KEY,
      GATEWAY_POLICY_FILE: policyFile,
    });
    cleanups.push(() => gw.stop('SIGKILL'));
    const health = await fetch(`${gw.baseUrl}/health`);
    expect(health.status).toBe(200);
    const res = await fetch(`${gw.baseUrl}/v1/policy`);
    expect(res.status).toBe(200);
    const shown = (await res.json()) as { version: string; hash: string; rules: unknown[] };
    expect(await gw.stop()).toBe(0);
    return shown;
  }

  it('runs a real gateway with the file as written: GET /v1/policy shows its version and hash', async () => {
    expect((await initKoeln()).code).toBe(0);
    const file = join(kitDir(), 'policy.json');
    const expected = await loadPolicySet(JSON.parse(readFileSync(file, 'utf8')));
    const shown = await gatewayWith(file);
    expect(shown).toMatchObject({ version: expected.version, hash: expected.hash });
    expect(shown.rules).toHaveLength(DEFAULT_POLICY.rules.length);
  });

  it("runs a municipality's adapted copy: GET /v1/policy shows what is in force", async () => {
    expect((await initKoeln()).code).toBe(0);
    const adapted = JSON.parse(readFileSync(join(kitDir(), 'policy.json'), 'utf8')) as {
      version: string;
      rules: { id: string }[];
    };
    adapted.version = 'koeln-2027.1';
    adapted.rules = adapted.rules.filter((rule) => rule.id !== 'rp.so-to-abh');
    const copy = join(dir.path, 'policy-koeln.json');
    writeFileSync(copy, JSON.stringify(adapted, null, 2));
    const shown = await gatewayWith(copy);
    expect(shown.version).toBe('koeln-2027.1');
    expect(shown.hash).toBe((await loadPolicySet(adapted)).hash);
    expect(shown.rules).toHaveLength(DEFAULT_POLICY.rules.length - 1);
  });
});

/** The `npx consent-gateway …` commands of the ```sh blocks, as the shell would split them. */
function commandsIn(markdown: string): string[][] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((block) => block.replaceAll('\\\n', ' ').split('\n'))
    .filter((line) => line.startsWith('npx consent-gateway '))
    .map(shellSplit);
}

function shellSplit(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/(?:'[^']*'|[^\s'])+/g)) {
    words.push(match[0].replace(/'([^']*)'/g, '$1'));
  }
  return words;
}

/**
 * The command's arguments after `--data DIR` (the test passes its own), with the placeholders an
 * operator replaces filled in and its CSR made, as the office would send it.
 */
async function withFilesIn(argv: string[]): Promise<string[]> {
  expect(argv.slice(0, 4)).toEqual(['npx', 'consent-gateway', '--data', data]);
  const out: string[] = [];
  for (const word of argv.slice(4)) {
    if (word.endsWith('.csr')) {
      const path = join(dir.path, word);
      writeFileSync(path, (await keyAndCsr('P-256', word.slice(0, -4))).csrPem);
      out.push(path);
    } else if (word.endsWith('.crt')) out.push(join(dir.path, word));
    else if (word === '<Anschrift / address>') out.push('Willy-Brandt-Platz 3, 50679 Köln');
    else if (word === '<Datenschutz / DPO contact>') out.push('datenschutz@stadt-koeln.de');
    else out.push(word);
  }
  return out;
}
