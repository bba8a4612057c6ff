import { compactDecrypt, compactVerify, decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
    const failures: Error[] = [];
    const sealer = sealThreads({ onFailure: (error) => failures.push(error) });
    closers.push(() => sealer.close());
    const onEventLoop = vi.spyOn(sealHere, 'seal');
    const jwes = await Promise.all([
      sealer.seal(job(k, 'ec', { auditSeq: 1 })),
      sealer.seal(job(k, 'ec', { auditSeq: 2 })),
      sealer.seal(job(k, 'rsa', { auditSeq: 3 })),
    ]);
    // Later jobs name keys the thread already holds.
    jwes.push(await sealer.seal(job(k, 'ec', { auditSeq: 4 })));
    // All four were sealed on the thread, none here.
    expect(onEventLoop).not.toHaveBeenCalled();
    expect(failures).toEqual([]);
    onEventLoop.mockRestore();
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

  /** A thread from a module of the test's own; `source` runs in it as an ES module. */
  const thread = (source: string, timeoutMs?: number) => {
    const failures: Error[] = [];
    const sealer = sealThreads({
      onFailure: (error) => failures.push(error),
      script: new URL(`data:text/javascript,${encodeURIComponent(source)}`),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    closers.push(() => sealer.close());
    return { sealer, failures };
  };
  const readable = async (k: Awaited<ReturnType<typeof keys>>, jwe: Promise<string>) =>
    (await opened(await jwe, k.ec.privateKey, k.signing.publicKey)).claims;

  it('seals on the event loop what a thread that exited held, says so once, and goes on there', async () => {
    const k = await keys();
    const { sealer, failures } = thread('process.exit(3)');
    expect(await readable(k, sealer.seal(job(k, 'ec', { auditSeq: 1 })))).toEqual({ auditSeq: 1 });
    expect(await readable(k, sealer.seal(job(k, 'ec', { auditSeq: 2 })))).toEqual({ auditSeq: 2 });
    expect(failures.map((f) => f.message)).toEqual(['the seal thread exited with 3']);
  });

  it('gives up on a thread that leaves a job unanswered, and seals that job and the rest here', async () => {
    const k = await keys();
    const { sealer, failures } = thread(
      "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => {});",
      200,
    );
    const started = performance.now();
    const both = await Promise.all([
      readable(k, sealer.seal(job(k, 'ec', { auditSeq: 1 }))),
      readable(k, sealer.seal(job(k, 'ec', { auditSeq: 2 }))),
    ]);
    expect(both).toEqual([{ auditSeq: 1 }, { auditSeq: 2 }]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(failures.map((f) => f.message)).toEqual(['the seal thread left a job unanswered']);
    expect(await readable(k, sealer.seal(job(k, 'ec', { auditSeq: 3 })))).toEqual({ auditSeq: 3 });
  });

  it('does here a job the thread answered with an error, and keeps using the thread', async () => {
    const k = await keys();
    const { sealer, failures } = thread(
      "import { parentPort } from 'node:worker_threads'; parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, error: 'a key the thread was never given' }));",
    );
    expect(await readable(k, sealer.seal(job(k, 'ec', { auditSeq: 1 })))).toEqual({ auditSeq: 1 });
    expect(await readable(k, sealer.seal(job(k, 'ec', { auditSeq: 2 })))).toEqual({ auditSeq: 2 });
    expect(failures).toEqual([]);
  });
});
