/**
 * Interoperability with GnuPG 2.2 as Debian ships it: what agencies and auditors will actually
 * run. Our gateway key must import, our detached signatures must verify with `gpg --verify`, and
 * keys made by gpg must pass our registration check.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateGatewayPgpKey,
  readPgpPublicKey,
  signDetached,
  verifyDetached,
} from '../certs/openpgp.ts';
import type { GatewayPgpKey } from '../certs/openpgp.ts';
import { FixedClock, GatewayError } from '../core/index.ts';
import { tempDir } from './support/temp.ts';

interface GpgResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const clock = new FixedClock('2026-01-15T10:00:00Z');
const workDir = tempDir('cgw-gpg-');
const home = join(workDir.path, 'gnupg');

/** Runs gpg against the isolated home; arguments are passed as a list, never through a shell. */
function gpg(args: readonly string[], input?: string): GpgResult {
  const result = spawnSync(
    'gpg',
    [
      '--batch',
      '--no-tty',
      '--homedir',
      home,
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      ...args,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, GNUPGHOME: home, LC_ALL: 'C', LANGUAGE: 'C' },
      timeout: 60_000,
      ...(input === undefined ? {} : { input }),
    },
  );
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function gpgOk(args: readonly string[], input?: string): string {
  const result = gpg(args, input);
  expect(result.status, `gpg ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

function file(name: string, content: string | Uint8Array): string {
  const path = join(workDir.path, name);
  writeFileSync(path, content);
  return path;
}

/** The `--with-colons` records of one key: `pub`/`sub` lines split into their fields. */
function colonRecords(fingerprint: string): string[][] {
  return gpgOk(['--with-colons', '--list-keys', fingerprint])
    .split('\n')
    .map((line) => line.split(':'));
}

/** Makes a key with gpg itself, adds an encryption subkey, returns its fingerprint. */
function gpgKeyPair(userId: string, algorithm: string, subkeyAlgorithm?: string): string {
  gpgOk(['--quick-gen-key', userId, algorithm, 'default', 'never']);
  const fingerprint = gpgOk(['--with-colons', '--list-keys', userId])
    .split('\n')
    .find((line) => line.startsWith('fpr:'))
    ?.split(':')[9];
  if (fingerprint === undefined) throw new Error(`gpg made no key for ${userId}`);
  if (subkeyAlgorithm !== undefined) {
    gpgOk(['--quick-add-key', fingerprint, subkeyAlgorithm, 'encr', 'never']);
  }
  return fingerprint;
}

let gatewayKey: GatewayPgpKey;

beforeAll(async () => {
  mkdirSync(home);
  chmodSync(home, 0o700);
  gatewayKey = await generateGatewayPgpKey({
    tenantId: 'koeln',
    displayName: 'Stadt Köln',
    clock,
  });
  gpgOk(['--import', file('gateway.asc', gatewayKey.publicKeyArmored)]);
});

afterAll(() => {
  // Key generation starts a gpg-agent (and maybe more) for this home; none may outlive the test.
  spawnSync('gpgconf', ['--homedir', home, '--kill', 'all'], { encoding: 'utf8' });
  workDir.remove();
});

describe('the gateway key in GnuPG 2.2', () => {
  it('imports as ECDSA (19) on nistp256 with an ECDH (18) nistp256 subkey', () => {
    const records = colonRecords(gatewayKey.fingerprint);
    const pub = records.find((fields) => fields[0] === 'pub');
    const sub = records.find((fields) => fields[0] === 'sub');
    const fpr = records.find((fields) => fields[0] === 'fpr');
    expect(pub?.[3]).toBe('19');
    expect(pub?.[16]).toBe('nistp256');
    expect(pub?.[11]).toContain('s');
    expect(sub?.[3]).toBe('18');
    expect(sub?.[16]).toBe('nistp256');
    expect(sub?.[11]).toContain('e');
    expect(fpr?.[9]).toBe(gatewayKey.fingerprint);
  });

  it('lists only v4 packets with the expected algorithms', () => {
    const packets = gpgOk([
      '--list-packets',
      file('gateway-packets.asc', gatewayKey.publicKeyArmored),
    ]);
    expect(packets).toMatch(/:public key packet:\s+version 4, algo 19,/);
    expect(packets).toMatch(/:public sub key packet:\s+version 4, algo 18,/);
    expect(packets).toContain('nistp256 (1.2.840.10045.3.1.7)');
    expect(packets).not.toMatch(/version [56],/);
  });

  it('verifies a detached signature from signDetached with gpg --verify', async () => {
    const data = new TextEncoder().encode('{"entries":[],"note":"Grüße\r\naus Köln"}\n');
    const dataPath = file('data.bin', data);
    const signaturePath = file(
      'data.bin.asc',
      await signDetached(gatewayKey.privateKeyArmored, data, clock),
    );
    const result = gpg(['--status-fd', '1', '--verify', signaturePath, dataPath]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\[GNUPG:\] GOODSIG /m);
    expect(result.stdout).toContain(`VALIDSIG ${gatewayKey.fingerprint}`);
    expect(result.stderr).toContain('Good signature');

    const packets = gpgOk(['--list-packets', signaturePath]);
    expect(packets).toMatch(/version 4, created \d+, md5len 0, sigclass 0x00/);
    expect(packets).toContain('digest algo 8');
  });

  it('fails gpg --verify once one byte of the data changed', async () => {
    const data = new TextEncoder().encode('audit export bundle 1');
    const signaturePath = file(
      'flipped.bin.asc',
      await signDetached(gatewayKey.privateKeyArmored, data, clock),
    );
    const flipped = data.slice();
    flipped[0] = (flipped[0] ?? 0) ^ 0x01;
    const result = gpg([
      '--status-fd',
      '1',
      '--verify',
      signaturePath,
      file('flipped.bin', flipped),
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/^\[GNUPG:\] BADSIG /m);
  });
});

describe('keys made by GnuPG 2.2', () => {
  let nistFingerprint: string;

  beforeAll(() => {
    nistFingerprint = gpgKeyPair('Test <t@example.invalid>', 'nistp256', 'nistp256');
  });

  it('accepts a gpg nistp256 key with an ECDH subkey', async () => {
    const armored = gpgOk(['--export', '--armor', nistFingerprint]);
    expect(await readPgpPublicKey(armored)).toEqual({
      fingerprint: nistFingerprint,
      algorithm: 'ecdsa',
      curve: 'nistP256',
    });
  });

  it('accepts a gpg rsa3072 key with an RSA encryption subkey', async () => {
    const fingerprint = gpgKeyPair('Rsa <rsa@example.invalid>', 'rsa3072', 'rsa3072');
    const armored = gpgOk(['--export', '--armor', fingerprint]);
    expect(await readPgpPublicKey(armored)).toEqual({
      fingerprint,
      algorithm: 'rsaEncryptSign',
      bits: 3072,
    });
  });

  it('refuses a gpg ed25519/cv25519 key', async () => {
    const fingerprint = gpgKeyPair('Ed <ed@example.invalid>', 'ed25519', 'cv25519');
    const armored = gpgOk(['--export', '--armor', fingerprint]);
    const error: unknown = await readPgpPublicKey(armored).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('validation_failed');
  });

  it('refuses the private key gpg exports with --export-secret-keys', async () => {
    const armored = gpgOk(['--export-secret-keys', '--armor', nistFingerprint]);
    const error: unknown = await readPgpPublicKey(armored).catch((reason: unknown) => reason);
    expect((error as GatewayError).code).toBe('validation_failed');
  });

  it('verifies a detached signature made by gpg over the exact bytes', async () => {
    const data = 'signed by gpg\r\n';
    const dataPath = file('gpg-signed.bin', data);
    gpgOk(['--local-user', nistFingerprint, '--armor', '--detach-sign', dataPath]);
    const armoredKey = gpgOk(['--export', '--armor', nistFingerprint]);
    const armoredSignature = readFileSync(`${dataPath}.asc`, 'utf8');
    await expect(verifyDetached(armoredKey, data, armoredSignature)).resolves.toBeUndefined();
    const error: unknown = await verifyDetached(
      armoredKey,
      'signed by gpg\n',
      armoredSignature,
    ).catch((reason: unknown) => reason);
    expect((error as GatewayError).code).toBe('validation_failed');
  });
});
