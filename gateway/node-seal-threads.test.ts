import { compactDecrypt, compactVerify, decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { sealHere, type SealJob } from '../exchange/index.ts';
import { sealThreads } from './node-seal-threads.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function keys() {
  const signing = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const ec = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ]);
  const rsa = await crypto.subtle.generateKey(
    {
      name: 'RSA-OAEP',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    false,
    ['encrypt', 'decrypt'],
  );
  return { signing, ec, rsa };
}

const job = (
  k: Awaited<ReturnType<typeof keys>>,
  recipient: 'ec' | 'rsa',
  claims: object,
): SealJob => ({
  signingKey: { id: 'koeln/k1', kid: 'k1', key: k.signing.privateKey },
  recipientKey:
    recipient === 'ec'
      ? { id: 'cert:ec', key: k.ec.publicKey, alg: 'ECDH-ES+A256KW' }
      : { id: 'cert:rsa', key: k.rsa.publicKey, alg: 'RSA-OAEP-256' },
  typ: 'exchange-attestation+jwt',
  payloadJson: JSON.stringify(claims),
});

/** What the recipient reads: the JWE opened with its key, the JWS inside checked with ours. */
async function opened(jwe: string, recipientKey: CryptoKey, verifyKey: CryptoKey) {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, recipientKey);
  const jws = new TextDecoder().decode(plaintext);
  const { payload } = await compactVerify(jws, verifyKey);
  return {
    jweHeader: protectedHeader,
    jwsHeader: decodeProtectedHeader(jws),
    claims: JSON.parse(new TextDecoder().decode(payload)) as unknown,
  };
}

describe('sealThreads', () => {
  it('signs and seals on its thread what the event loop would, handing each key over once', async () => {
    const k = await keys();
    const sealer = sealThreads();
    closers.push(() => sealer.close());
    const jwes = await Promise.all([
      sealer.seal(job(k, 'ec', { auditSeq: 1 })),
      sealer.seal(job(k, 'ec', { auditSeq: 2 })),
      sealer.seal(job(k, 'rsa', { auditSeq: 3 })),
    ]);
    // Later jobs name keys the thread already holds.
    jwes.push(await sealer.seal(job(k, 'ec', { auditSeq: 4 })));
    const recipients = [k.ec, k.ec, k.rsa, k.ec];
    const read = await Promise.all(
      jwes.map((jwe, i) => opened(jwe, (recipients[i] ?? k.ec).privateKey, k.signing.publicKey)),
    );
    expect(read.map((r) => r.claims)).toEqual([1, 2, 3, 4].map((auditSeq) => ({ auditSeq })));
    expect(read.map((r) => r.jweHeader.alg)).toEqual([
      'ECDH-ES+A256KW',
      'ECDH-ES+A256KW',
      'RSA-OAEP-256',
      'ECDH-ES+A256KW',
    ]);
    for (const r of read) {
      expect(r.jweHeader).toMatchObject({ enc: 'A256GCM', cty: 'JWT' });
      expect(r.jweHeader).not.toHaveProperty('zip');
      expect(r.jwsHeader).toEqual({ alg: 'ES256', kid: 'k1', typ: 'exchange-attestation+jwt' });
    }
    // The same job on the event loop reads the same (the ciphertexts differ: fresh keys and IVs).
    const here = await opened(
      await sealHere.seal(job(k, 'ec', { auditSeq: 5 })),
      k.ec.privateKey,
      k.signing.publicKey,
    );
    expect(here.jwsHeader).toEqual(read[0]?.jwsHeader);
  });

  it('refuses what a failed thread held, says so once, and seals on the event loop from then on', async () => {
    const k = await keys();
    const failures: Error[] = [];
    const sealer = sealThreads({
      onFailure: (error) => failures.push(error),
      script: new URL('data:text/javascript,process.exit(3)'),
    });
    closers.push(() => sealer.close());
    await expect(sealer.seal(job(k, 'ec', { auditSeq: 1 }))).rejects.toThrow(/exited with 3/);
    const jwe = await sealer.seal(job(k, 'ec', { auditSeq: 2 }));
    expect((await opened(jwe, k.ec.privateKey, k.signing.publicKey)).claims).toEqual({
      auditSeq: 2,
    });
    expect(failures).toHaveLength(1);
  });
});
