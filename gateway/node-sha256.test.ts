import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { leafHash, nodeHash } from '../audit/index.ts';
import { sha256, useSha256 } from '../core/index.ts';
import { nodeSha256 } from './node-sha256.ts';

const webCrypto = async (bytes: Uint8Array<ArrayBuffer>) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));

afterEach(() => {
  useSha256(webCrypto);
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
