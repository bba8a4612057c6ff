import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/index.ts';
import { emptyRoot, equalBytes, fromBase64, leafHash, nodeHash, toBase64 } from './leaf.ts';

/** SHA-256 through node:crypto, independent of the WebCrypto path under test. */
const sha256 = (...parts: (Uint8Array | string)[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('leafHash', () => {
  it('is SHA-256(0x00 ‖ UTF-8 canonical JSON) of the entry', async () => {
    const entry = { seq: 7, event: 'consent.granted', actor: 'ämt-köln', categories: ['b', 'a'] };
    const json = '{"actor":"ämt-köln","categories":["b","a"],"event":"consent.granted","seq":7}';
    expect(hex(await leafHash(entry))).toBe(hex(sha256(Buffer.from([0x00]), Buffer.from(json))));
  });

  it('hashes the same keys in a different order the same', async () => {
    const a = { seq: 1, tenant: 'koeln', event: 'audit.read', nested: { y: 2, x: 1 } };
    const b = { nested: { x: 1, y: 2 }, event: 'audit.read', tenant: 'koeln', seq: 1 };
    expect(equalBytes(await leafHash(a), await leafHash(b))).toBe(true);
  });

  it('hashes a different value differently', async () => {
    const a = await leafHash({ seq: 1, outcome: 'ok' });
    expect(equalBytes(a, await leafHash({ seq: 1, outcome: 'refused' }))).toBe(false);
    expect(equalBytes(a, await leafHash({ seq: 2, outcome: 'ok' }))).toBe(false);
    expect(equalBytes(a, await leafHash({ seq: 1, outcome: 'ok', actor: 'x' }))).toBe(false);
  });

  it('leaves out undefined members, as the JSON served would', async () => {
    expect(hex(await leafHash({ seq: 0, sender: undefined }))).toBe(
      hex(await leafHash({ seq: 0 })),
    );
  });

  it('refuses fractions and non-finite numbers, naming where', async () => {
    for (const [entry, path] of [
      [{ seq: 1.5 }, '/seq'],
      [{ seq: 0, list: [1, Number.NaN] }, '/list/1'],
      [{ seq: 0, 'a/b': { c: Infinity } }, '/a~1b/c'],
      [{ seq: 2 ** 53 }, '/seq'],
    ] as const) {
      const error: unknown = await leafHash(entry).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('validation_failed');
      expect((error as GatewayError).errors?.[0]?.path).toBe(path);
    }
  });

  it('differs from a node hash over the same bytes (domain separation)', async () => {
    const left = sha256('l');
    const right = sha256('r');
    const node = await nodeHash(left, right);
    expect(hex(node)).toBe(hex(sha256(Buffer.from([0x01]), left, right)));
    expect(hex(node)).not.toBe(hex(await nodeHash(right, left)));
  });
});

describe('emptyRoot', () => {
  it('is SHA-256 of the empty string', async () => {
    expect(hex(await emptyRoot())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});

describe('base64', () => {
  it('is standard base64 with padding and round-trips', () => {
    for (let length = 0; length <= 34; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 251) % 256);
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(hex(fromBase64(text))).toBe(hex(bytes));
    }
    expect(toBase64(Uint8Array.of(0xfb, 0xff))).toBe('+/8=');
  });

  it('refuses anything but canonical padded standard base64', () => {
    const hash = toBase64(sha256('x'));
    for (const bad of [
      hash.replace(/=+$/, ''), // no padding
      '-_8=', // base64url of 0xfb 0xff
      ` ${hash}`,
      `${hash}\n`,
      'QQ', // unpadded
      'QR==', // stray bits in the last character
      'Q===',
      '====',
    ]) {
      expect(() => fromBase64(bad), bad).toThrow(GatewayError);
    }
  });
});

describe('equalBytes', () => {
  it('compares contents and lengths', () => {
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
    expect(equalBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});
