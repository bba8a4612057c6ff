import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { leafHash, nodeHash } from '../audit/index.ts';
import { hmacSha256, sha256, useHmacSha256, useSha256 } from '../core/index.ts';
import { nodeHmacSha256, nodeSha256 } from './node-sha256.ts';

const webCrypto = async (bytes: Uint8Array<ArrayBuffer>) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));

const webCryptoHmac = async (key: CryptoKey, bytes: Uint8Array<ArrayBuffer>) =>
  new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes));

afterEach(() => {
  useSha256(webCrypto);
  useHmacSha256(webCryptoHmac);
});

describe('nodeSha256', () => {
  it('is WebCrypto’s SHA-256, byte for byte, on any input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const input = new Uint8Array(bytes);
        expect([...(await nodeSha256(input))]).toEqual([...(await webCrypto(input))]);
      }),
    );
  });

  it('gives the audit tree the same leaf and node hashes once installed', async () => {
    const entry = { seq: 7, tenant: 'koeln', event: 'consent.granted', actor: 'subject' };
    const before = [await leafHash(entry), await nodeHash(new Uint8Array(32), new Uint8Array(32))];
    useSha256(nodeSha256);
    const after = [await leafHash(entry), await nodeHash(new Uint8Array(32), new Uint8Array(32))];
    expect(after.map((h) => [...h])).toEqual(before.map((h) => [...h]));
  });

  it('is what the gateway’s other hashes use once installed, and gives the same digests', async () => {
    const before = await sha256('a request body');
    let calls = 0;
    useSha256((bytes) => {
      calls++;
      return nodeSha256(bytes);
    });
    expect(await sha256('a request body')).toBe(before);
    expect(calls).toBe(1);
  });
});

describe('nodeHmacSha256', () => {
  const importHmac = (raw: Uint8Array<ArrayBuffer>) =>
    crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

  it('is WebCrypto’s HMAC-SHA256 under the same non-extractable key, on any input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 200 }),
        async (raw, bytes) => {
          const key = await importHmac(new Uint8Array(raw));
          const input = new Uint8Array(bytes);
          expect([...(await nodeHmacSha256(key, input))]).toEqual([
            ...(await webCryptoHmac(key, input)),
          ]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('is what keyed hashes use once installed, and tells keys apart', async () => {
    const one = await importHmac(new Uint8Array(32).fill(1));
    const two = await importHmac(new Uint8Array(32).fill(2));
    const input = new TextEncoder().encode('azr:123456789012');
    const before = [...(await hmacSha256(one, input))];
    useHmacSha256(nodeHmacSha256);
    expect([...(await hmacSha256(one, input))]).toEqual(before);
    expect([...(await hmacSha256(two, input))]).not.toEqual(before);
  });
});
