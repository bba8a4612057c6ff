import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/index.ts';
import {
  encodeMasterKey,
  generateMasterKeyBytes,
  importMasterKey,
  KeyUnwrapError,
  parseMasterKey,
  unwrapPrivateKey,
  unwrapSecret,
  wrapPrivateKey,
  wrapSecret,
} from './key-wrap.ts';
import type { WrappedKey } from './key-wrap.ts';

const context = 'tenant:koeln/signing/kid-123';
const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** Awaits a promise that must reject with a GatewayError and returns that error. */
async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

/** Awaits a promise that must reject with a KeyUnwrapError (no GatewayError) and returns it. */
async function unwrapFailure(promise: Promise<unknown>): Promise<KeyUnwrapError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(KeyUnwrapError);
  expect(error).not.toBeInstanceOf(GatewayError);
  return error as KeyUnwrapError;
}

function refusalOf(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError, nothing was thrown');
}

function bytesOf(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function toBase64url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Flips one bit of the first byte of a base64url string's decoded value. */
function flipFirstByte(value: string): string {
  const binary = atob(value.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return toBase64url(bytes);
}

describe('importMasterKey', () => {
  it('imports 32 bytes as a non-extractable AES-GCM key', async () => {
    const key = await importMasterKey(generateMasterKeyBytes());
    expect(key.algorithm.name).toBe('AES-GCM');
    expect(key.extractable).toBe(false);
    expect([...key.usages].sort()).toEqual(['decrypt', 'encrypt']);
  });

  it.each([0, 16, 31, 33, 64])('refuses a master key of %i bytes', async (length) => {
    const error = await refusal(importMasterKey(new Uint8Array(length)));
    expect(error.code).toBe('validation_failed');
  });
});

describe('wrapSecret and unwrapSecret', () => {
  it('round-trips a secret under the same master key and context', async () => {
    const master = await importMasterKey(generateMasterKeyBytes());
    const secret = bytesOf(100);
    const wrapped = await wrapSecret(master, secret, context);
    expect(wrapped.alg).toBe('A256GCM');
    expect(wrapped.iv).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // 100 bytes of ciphertext plus the 16-byte tag, base64url without padding.
    expect(wrapped.ciphertext).toMatch(/^[A-Za-z0-9_-]{155}$/);
    expect(await unwrapSecret(master, wrapped, context)).toEqual(secret);
  });

  it('uses a fresh IV for every wrap of the same secret', async () => {
    const master = await importMasterKey(generateMasterKeyBytes());
    const secret = bytesOf(32);
    const first = await wrapSecret(master, secret, context);
    const second = await wrapSecret(master, secret, context);
    expect(first.iv).not.toBe(second.iv);
    expect(first.ciphertext).not.toBe(second.ciphertext);
  });

  it('refuses to unwrap under another master key', async () => {
    const wrapped = await wrapSecret(
      await importMasterKey(generateMasterKeyBytes()),
      bytesOf(32),
      context,
    );
    const other = await importMasterKey(generateMasterKeyBytes());
    const error = await unwrapFailure(unwrapSecret(other, wrapped, context));
    expect(error.reason).toBe('does_not_open');
    expect(error.code).toBe('internal_error');
    expect(error.message).toBe('a stored key could not be unwrapped (wrong master key?)');
  });

  it('refuses to unwrap a secret moved to another slot (context)', async () => {
    const master = await importMasterKey(generateMasterKeyBytes());
    const wrapped = await wrapSecret(master, bytesOf(32), context);
    const error = await unwrapFailure(unwrapSecret(master, wrapped, 'tenant:bonn/signing/kid-123'));
    expect(error.reason).toBe('does_not_open');
    expect(error.message).not.toContain('bonn');
  });

  it('refuses a tampered ciphertext', async () => {
    const master = await importMasterKey(generateMasterKeyBytes());
    const wrapped = await wrapSecret(master, bytesOf(32), context);
    const tampered: WrappedKey = { ...wrapped, ciphertext: flipFirstByte(wrapped.ciphertext) };
    const error = await unwrapFailure(unwrapSecret(master, tampered, context));
    expect(error.reason).toBe('does_not_open');
  });

  it('refuses a tampered IV', async () => {
    const master = await importMasterKey(generateMasterKeyBytes());
    const wrapped = await wrapSecret(master, bytesOf(32), context);
    const tampered: WrappedKey = { ...wrapped, iv: flipFirstByte(wrapped.iv) };
    expect((await unwrapFailure(unwrapSecret(master, tampered, context))).reason).toBe(
      'does_not_open',
    );
  });

  it('refuses a malformed stored value without trying to decrypt it', async () => {
    const master = await importMasterKey(generateMasterKeyBytes());
    const wrapped = await wrapSecret(master, bytesOf(32), context);
    const shortIv = { ...wrapped, iv: wrapped.iv.slice(0, 8) };
    const wrongAlg = { ...wrapped, alg: 'A128GCM' } as unknown as WrappedKey;
    for (const broken of [shortIv, wrongAlg]) {
      const error = await unwrapFailure(unwrapSecret(master, broken, context));
      expect(error.reason).toBe('malformed');
      expect(error.message).toBe('a stored key is malformed');
    }
  });
});

describe('wrapPrivateKey and unwrapPrivateKey', () => {
  it('round-trips an ECDSA P-256 private key that still signs for its public key', async () => {
    const master = await importMasterKey(generateMasterKeyBytes());
    const pair = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
    const wrapped = await wrapPrivateKey(master, pair.privateKey, context);
    const unwrapped = await unwrapPrivateKey(master, wrapped, context, ecdsa, ['sign']);
    expect(unwrapped.extractable).toBe(false);
    expect(unwrapped.type).toBe('private');

    const data = new TextEncoder().encode('tree head 42');
    const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, unwrapped, data);
    expect(
      await crypto.subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        pair.publicKey,
        signature,
        data,
      ),
    ).toBe(true);
  });

  it('refuses to unwrap a private key under another context', async () => {
    const master = await importMasterKey(generateMasterKeyBytes());
    const pair = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
    const wrapped = await wrapPrivateKey(master, pair.privateKey, context);
    const error = await unwrapFailure(
      unwrapPrivateKey(master, wrapped, 'tenant:koeln/signing/kid-456', ecdsa, ['sign']),
    );
    expect(error.reason).toBe('does_not_open');
  });

  it('refuses to unwrap a private key as another algorithm', async () => {
    const master = await importMasterKey(generateMasterKeyBytes());
    const pair = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
    const wrapped = await wrapPrivateKey(master, pair.privateKey, context);
    const error = await unwrapFailure(
      unwrapPrivateKey(master, wrapped, context, { name: 'ECDSA', namedCurve: 'P-384' }, ['sign']),
    );
    expect(error.reason).toBe('wrong_algorithm');
  });

  it('refuses to wrap a non-extractable or public key', async () => {
    const master = await importMasterKey(generateMasterKeyBytes());
    const locked = await crypto.subtle.generateKey(ecdsa, false, ['sign', 'verify']);
    expect((await refusal(wrapPrivateKey(master, locked.privateKey, context))).code).toBe(
      'internal_error',
    );
    const open = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
    expect((await refusal(wrapPrivateKey(master, open.publicKey, context))).code).toBe(
      'internal_error',
    );
  });
});

describe('parseMasterKey', () => {
  const key = bytesOf(32, 250);

  it.each([
    ['hex (lower case)', toHex(key)],
    ['hex (upper case)', toHex(key).toUpperCase()],
    ['base64', toBase64(key)],
    ['base64 without padding', toBase64(key).replace(/=+$/, '')],
    ['base64url', toBase64url(key)],
    ['base64url with a trailing newline', `${toBase64url(key)}\n`],
  ])('accepts 32 bytes as %s', (_, text) => {
    expect(parseMasterKey(text)).toEqual(key);
  });

  it('reads back what encodeMasterKey wrote', () => {
    const bytes = generateMasterKeyBytes();
    expect(bytes.byteLength).toBe(32);
    expect(encodeMasterKey(bytes)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseMasterKey(encodeMasterKey(bytes))).toEqual(bytes);
  });

  it('generates different keys each time', () => {
    expect(generateMasterKeyBytes()).not.toEqual(generateMasterKeyBytes());
  });

  it.each([
    ['31 bytes as hex', toHex(bytesOf(31))],
    ['33 bytes as hex', toHex(bytesOf(33))],
    ['31 bytes as base64', toBase64(bytesOf(31))],
    ['33 bytes as base64url', toBase64url(bytesOf(33))],
    ['garbage', 'this is not a key at all!'],
    ['mixed base64 alphabets', `${toBase64url(key).slice(0, 40)}+/-`],
    ['the empty string', ''],
  ])('refuses %s without echoing the value', (_, text) => {
    const error = refusalOf(() => parseMasterKey(text));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/32 bytes/);
    const shown = `${error.message} ${error.detail ?? ''}`;
    if (text.trim().length > 0) {
      expect(shown).not.toContain(text.trim());
      expect(shown).not.toContain(text.trim().slice(0, 12));
    }
  });
});
