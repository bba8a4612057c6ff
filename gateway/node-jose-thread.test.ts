import { compactDecrypt, compactVerify, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { threadJoseEngine } from './node-jose-thread.ts';

/**
 * What the thread adds to the engine (whose answers gateway/node-jose.test.ts holds to jose's):
 * keys that cannot be exported still work there, many calls in flight each get their own answer,
 * and a thread that stops fails what it held without taking the next call with it.
 */
const bytes = (value: string) => new TextEncoder().encode(value);
const text = (value: Uint8Array) => new TextDecoder().decode(value);

describe('the JOSE thread', () => {
  it('signs with a key that cannot be exported, and answers each of many calls with its own result', async () => {
    const engine = threadJoseEngine();
    try {
      const signing = await generateKeyPair('ES256', { extractable: false });
      const sealing = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256' });
      expect(signing.privateKey.extractable).toBe(false);
      const messages = Array.from({ length: 200 }, (_, i) => `message ${String(i)}`);
      const header = { alg: 'ES256', kid: 'k1', typ: 'JWT' } as const;
      const signed = await Promise.all(
        messages.map((m) => engine.sign(bytes(m), header, signing.privateKey)),
      );
      const sealed = await Promise.all(
        messages.map((m) =>
          engine.encrypt(bytes(m), { alg: 'ECDH-ES+A256KW', cty: 'JWT' }, sealing.publicKey),
        ),
      );
      const verified = await Promise.all(
        signed.map((jws) => engine.verify(jws, signing.publicKey, 'ES256')),
      );
      for (const [i, m] of messages.entries()) {
        expect(text((await compactVerify(signed[i] ?? '', signing.publicKey)).payload)).toBe(m);
        expect(text((await compactDecrypt(sealed[i] ?? '', sealing.privateKey)).plaintext)).toBe(m);
        expect(text(verified[i] ?? new Uint8Array())).toBe(m);
      }
    } finally {
      await engine.close();
    }
  });

  it('fails the calls a stopped thread held with an Error, and serves the next call on a new one', async () => {
    const engine = threadJoseEngine();
    const sealing = await generateKeyPair('RSA-OAEP-256', { modulusLength: 3072 });
    const header = { alg: 'RSA-OAEP-256', cty: 'JWT' } as const;
    // Enough work queued that the thread is stopped while holding some of it.
    const calls = Array.from({ length: 400 }, () =>
      engine.encrypt(bytes('x'.repeat(4096)), header, sealing.publicKey).then(
        (jwe) => ({ jwe }),
        (error: unknown) => ({ error }),
      ),
    );
    await engine.close();
    const outcomes = await Promise.all(calls);
    const failed = outcomes.filter((o) => 'error' in o);
    expect(failed.length).toBeGreaterThan(0);
    for (const o of failed) {
      expect(o.error).toBeInstanceOf(Error);
      expect((o.error as Error).message).toMatch(/JOSE thread stopped/);
    }
    const jwe = await engine.encrypt(bytes('after'), header, sealing.publicKey);
    expect(text((await compactDecrypt(jwe, sealing.privateKey)).plaintext)).toBe('after');
    await engine.close();
  });
});
