import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unarmor } from 'openpgp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { canonicalJson } from '../core/index.ts';
import type { TestGateway } from './support/app.ts';
import type { TestPrincipal } from './support/pki.ts';
import { PROCESS_TEST_TIMEOUT_MS, run } from './support/process.ts';
import { koelnWorld, type KoelnWorld } from './support/world.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

let world: KoelnWorld;
let gw: TestGateway;
let jc: TestPrincipal;
let dpo: TestPrincipal;
let as: KoelnWorld['as'];

beforeEach(async () => {
  world = await koelnWorld({ agencies: ['abh', 'jc'] });
  ({ gw, jc, dpo, as } = world);
});
afterEach(() => {
  world.close();
});

async function someEntries(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await as(jc, '/v1/consent-requests', {
      method: 'POST',
      body: JSON.stringify({
        subject: { scheme: 'azr', value: String(100000000000 + i) },
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
      expect(bad.stderr).toMatch(/^FAIL entry at position 0 \(seq 0\): not included/m);
      expect(bad.stderr).toContain('NOT verified');
      expect(gpg(home, '--verify', file('bundle.json.asc'), file('tampered.json')).status).not.toBe(
        0,
      );
    } finally {
      spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
    }
  });

  it('names the changed entry by its position, whatever byte of it was changed', async () => {
    await someEntries(8);
    const res = await as(dpo, '/v1/audit/exports', { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    const exported = (await res.json()) as { bundle: string; signature: string };
    const { entries } = JSON.parse(exported.bundle) as { entries: { seq: number }[] };
    expect(entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Each entry is written as its RFC 8785 canonical JSON, the bytes its leaf hash is over.
    const texts = entries.map((e) => canonicalJson(e));
    expect(exported.bundle).toContain(`"entries":[${texts.join(',')}]`);

    const dir = join(gw.dataDir, 'export');
    mkdirSync(dir, { mode: 0o700 });
    const file = (name: string) => join(dir, name);
    writeFileSync(file('bundle.json.asc'), exported.signature);
    writeFileSync(file('jwks.json'), await (await gw.app.request('/.well-known/jwks.json')).text());
    writeFileSync(
      file('gateway.asc'),
      await (await gw.app.request('/.well-known/openpgp-key.asc')).text(),
    );
    const verify = async (name: string, content: string | Uint8Array, signature = true) => {
      writeFileSync(file(name), content);
      let stdout = '';
      let stderr = '';
      const code = await main(
        [
          'audit',
          'verify',
          file(name),
          ...(signature ? ['--signature', file('bundle.json.asc')] : []),
          '--jwks',
          file('jwks.json'),
          '--openpgp-key',
          file('gateway.asc'),
        ],
        {
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: (text: string) => (stderr += text) },
          env: {},
        },
      );
      const named = [...stderr.matchAll(/^FAIL entry at position (\d+)\b/gm)].map((m) =>
        Number(m[1]),
      );
      return { code, stdout, stderr, named: [...new Set(named)] };
    };
    expect((await verify('bundle.json', exported.bundle)).code).toBe(0);
    expect((await verify('export.json', JSON.stringify(exported), false)).code).toBe(0);

    /** The bundle with the first `from` in the text of the entry at `position` made `to`. */
    const change = (position: number, from: string, to: string): string => {
      const text = texts[position] ?? '';
      const start = exported.bundle.indexOf(`${position === 0 ? '[' : ','}${text}`) + 1;
      expect(text.indexOf(from), `${from} in entry ${position}`).toBeGreaterThanOrEqual(0);
      const changed = text.replace(from, to);
      return exported.bundle.slice(0, start) + changed + exported.bundle.slice(start + text.length);
    };
    const middle = (position: number) => {
      const text = texts[position] ?? '';
      const value = text.indexOf('"actor":"') + '"actor":"'.length;
      const at = value + (text.indexOf('"', value) - value) / 2;
      return text.slice(at - 2, at + 1);
    };
    const flip = (text: string) =>
      text.slice(0, 1) + String.fromCharCode(text.charCodeAt(1) ^ 0x20) + text.slice(2);
    const cases: [string, number, string][] = [
      ['a byte in the middle of a string value', 5, change(5, middle(5), flip(middle(5)))],
      ['an opening quote', 2, change(2, '"event"', '\'event"')],
      ['the last closing quote (its string runs on)', 3, change(3, 'Z"}', "Z'}")],
      ['the last closing quote of the last entry', 7, change(7, 'Z"}', 'Z}')],
      ['a quote added in a string value', 1, change(1, 'jc-k', 'jc-"k')],
      ['7 → 7.0', 7, change(7, '"seq":7', '"seq":7.0')],
      ['a space inside the entry', 6, change(6, ',"event"', ', "event"')],
      ['a letter escaped as \\u00XX', 2, change(2, '"outcome":"ok"', '"outcome":"\\u006fk"')],
      ['its seq', 4, change(4, '"seq":4', '"seq":5')],
      ['the seq of another entry', 1, change(1, '"seq":1', '"seq":4')],
    ];
    for (const [what, position, tampered] of cases) {
      expect(tampered, what).not.toBe(exported.bundle);
      for (const [name, content, signature] of [
        ['bundle.json', tampered, true],
        ['export.json', JSON.stringify({ ...exported, bundle: tampered }), false],
      ] as const) {
        const bad = await verify(name, content, signature);
        expect(bad.code, `${what} (${name}): ${bad.stdout}`).toBe(1);
        expect(bad.named, `${what} (${name}): ${bad.stderr}`).toEqual([position]);
        expect(bad.stderr).toContain('FAIL openpgp signature');
        expect(bad.stderr).toMatch(/NOT verified\n$/);
      }
    }

    // A byte made not UTF-8 (a letter of the actor given the high bit), in the bundle and inside
    // the export's string, where the entry's quotes are escaped.
    expect(Buffer.byteLength(exported.bundle)).toBe(exported.bundle.length);
    const letterOf = (text: string, entry: string, before: string) =>
      text.indexOf(entry) + entry.indexOf(before) + before.length;
    const bytes = Buffer.from(exported.bundle);
    const at = letterOf(exported.bundle, texts[6] ?? '', '"actor":"jc-k');
    expect(String.fromCharCode(bytes[at] ?? 0)).toBe('o');
    bytes[at] = (bytes[at] ?? 0) | 0x80;
    const notUtf8 = await verify('bundle.json', bytes);
    expect(notUtf8.stderr).toContain(`FAIL file: byte ${at} is not UTF-8\n`);
    expect([notUtf8.code, notUtf8.named]).toEqual([1, [6]]);
    const raw = JSON.stringify(exported);
    const saved = Buffer.from(raw);
    const inExport = letterOf(raw, JSON.stringify(texts[6]).slice(1, -1), '\\"actor\\":\\"jc-k');
    expect(String.fromCharCode(saved[inExport] ?? 0)).toBe('o');
    saved[inExport] = (saved[inExport] ?? 0) | 0xc0;
    const notUtf8Export = await verify('export.json', saved, false);
    expect(notUtf8Export.stderr).toContain(`FAIL file: byte ${inExport} is not UTF-8\n`);
    expect([notUtf8Export.code, notUtf8Export.named]).toEqual([1, [6]]);

    // A quote replaced in the saved export breaks the export's own JSON: still named.
    const escaped = JSON.stringify(texts[3]).slice(1, -1);
    const quote = raw.indexOf(escaped) + escaped.indexOf('\\"outcome') + 1;
    const broken = await verify(
      'export.json',
      raw.slice(0, quote) + "'" + raw.slice(quote + 1),
      false,
    );
    expect(broken.stderr).toMatch(/^FAIL export: not valid JSON at offset \d+/m);
    expect([broken.code, broken.named]).toEqual([1, [3]]);
  });

  it('finds the detached signature beside the bundle (BUNDLE.asc, or a binary BUNDLE.sig), and fails closed without one', async () => {
    await someEntries(3);
    const res = await as(dpo, '/v1/audit/exports', { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    const exported = (await res.json()) as { bundle: string; signature: string };
    const dir = join(gw.dataDir, 'beside');
    mkdirSync(dir, { mode: 0o700 });
    const file = (name: string) => join(dir, name);
    writeFileSync(
      file('gateway.asc'),
      await (await gw.app.request('/.well-known/openpgp-key.asc')).text(),
    );
    writeFileSync(file('jwks.json'), await (await gw.app.request('/.well-known/jwks.json')).text());
    const verify = async (name: string) => {
      let stdout = '';
      let stderr = '';
      const code = await main(
        [
          'audit',
          'verify',
          file(name),
          '--jwks',
          file('jwks.json'),
          '--openpgp-key',
          file('gateway.asc'),
        ],
        {
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: (text: string) => (stderr += text) },
          env: {},
        },
      );
      return { code, stdout, stderr };
    };

    // As GnuPG users keep them: bundle.json and bundle.json.asc side by side.
    writeFileSync(file('bundle.json'), exported.bundle);
    writeFileSync(file('bundle.json.asc'), exported.signature);
    const armored = await verify('bundle.json');
    expect(armored.code, armored.stderr).toBe(0);
    expect(armored.stdout).toContain(`ok   openpgp signature from ${file('bundle.json.asc')}`);
    expect(armored.stdout).toContain('verified: 3 entries');

    // A binary signature (gpg --detach-sign) in bundle2.json.sig.
    writeFileSync(file('bundle2.json'), exported.bundle);
    writeFileSync(file('bundle2.json.sig'), (await unarmor(exported.signature)).data as Uint8Array);
    const binary = await verify('bundle2.json');
    expect(binary.code, binary.stderr).toBe(0);
    expect(binary.stdout).toContain(`ok   openpgp signature from ${file('bundle2.json.sig')}`);

    // The signature beside a changed bundle does not verify.
    writeFileSync(
      file('changed.json'),
      exported.bundle.replace('"actor":"jc-koeln"', '"actor":"jc-koelm"'),
    );
    writeFileSync(file('changed.json.asc'), exported.signature);
    const changed = await verify('changed.json');
    expect(changed.code).not.toBe(0);
    expect(changed.stderr).toContain('FAIL openpgp signature from');
    expect(changed.stderr).toContain('NOT verified');

    // Nothing beside it, no --signature: it fails closed, saying where it looked.
    writeFileSync(file('alone.json'), exported.bundle);
    const alone = await verify('alone.json');
    expect(alone.code).not.toBe(0);
    expect(alone.stderr).toContain('FAIL openpgp signature: none given');
    expect(alone.stderr).toContain('BUNDLE.asc / BUNDLE.sig');
    expect(alone.stderr).toContain('NOT verified');
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
