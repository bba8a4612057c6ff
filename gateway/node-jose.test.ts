import fc from 'fast-check';
import {
  CompactSign,
  compactDecrypt,
  compactVerify,
  decodeProtectedHeader,
  generateKeyPair,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompactJwsRefused,
  joseLibraryEngine,
  type AllowedJwsAlgorithm,
  type JoseEngine,
} from '../certs/index.ts';
import { nodeJoseEngine } from './node-jose.ts';
import { threadJoseEngine } from './node-jose-thread.ts';

/**
 * The Node engine, on the calling thread or on its own, must be jose, only cheaper: same answers
 * to the same tokens, tokens jose reads, and the same refusals. jwcrypto and openssl read the Node engine's output through the server
 * process in test/exchange-interop.test.ts and test/interop-jwcrypto.test.ts.
 */
const thread = threadJoseEngine();
const engines: [string, JoseEngine][] = [
  ['jose', joseLibraryEngine],
  ['node:crypto', nodeJoseEngine],
  ['node:crypto on its own thread', thread],
];
afterAll(() => thread.close());
const ALGS: AllowedJwsAlgorithm[] = ['ES256', 'ES384', 'PS256', 'RS256'];
const keys = new Map<AllowedJwsAlgorithm, CryptoKeyPair>();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value);

beforeAll(async () => {
  for (const alg of ALGS) {
    keys.set(alg, await generateKeyPair(alg, alg.startsWith('E') ? {} : { modulusLength: 3072 }));
  }
});
const pair = (alg: AllowedJwsAlgorithm): CryptoKeyPair => {
  const found = keys.get(alg);
  if (found === undefined) throw new Error(`no ${alg} key`);
  return found;
};

const joseSigned = (alg: AllowedJwsAlgorithm, payload: Uint8Array, header: object = {}) =>
  new CompactSign(payload).setProtectedHeader({ alg, ...header }).sign(pair(alg).privateKey);

/** The engine's answer as data: the payload's text, or why it refused. */
const outcome = (engine: JoseEngine, jws: string, alg: AllowedJwsAlgorithm, key?: CryptoKey) =>
  engine.verify(jws, key ?? pair(alg).publicKey, alg).then(
    (payload) => `ok:${text(payload)}`,
    (error: unknown) => (error instanceof CompactJwsRefused ? `refused:${error.reason}` : 'threw'),
  );

describe.each(engines)('the %s engine', (_, engine) => {
  it.each(ALGS)('verifies what jose signed with %s and answers its payload', async (alg) => {
    const jws = await joseSigned(alg, bytes('{"plan":"Deutschkurs B1"}'));
    expect(text(await engine.verify(jws, pair(alg).publicKey, alg))).toBe(
      '{"plan":"Deutschkurs B1"}',
    );
  });

  it.each(ALGS)('signs with %s what jose verifies, with exactly the header given', async (alg) => {
    const header = { alg, kid: 'k-1', typ: 'exchange-attestation+jwt' };
    const jws = await engine.sign(bytes('{"auditSeq":7}'), header, pair(alg).privateKey);
    const verified = await compactVerify(jws, pair(alg).publicKey, { algorithms: [alg] });
    expect(verified.protectedHeader).toEqual(header);
    expect(jws.split('.')[0]).toBe(Buffer.from(JSON.stringify(header)).toString('base64url'));
    expect(text(verified.payload)).toBe('{"auditSeq":7}');
  });

  it('refuses a changed payload or signature as a signature that does not verify', async () => {
    const [h, p, s] = (await joseSigned('ES256', bytes('{"a":1}'))).split('.') as [
      string,
      string,
      string,
    ];
    const otherPayload = Buffer.from('{"a":2}').toString('base64url');
    expect(await outcome(engine, `${h}.${otherPayload}.${s}`, 'ES256')).toBe('refused:signature');
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    expect(await outcome(engine, `${h}.${p}.${flipped}`, 'ES256')).toBe('refused:signature');
    expect(await outcome(engine, `${h}.${p}.${s.slice(0, 40)}`, 'ES256')).toBe('refused:signature');
    expect(await outcome(engine, `${h}.${p}.`, 'ES256')).toBe('refused:signature');
  });

  it('refuses what is not strict compact base64url, another alg, or a crit header', async () => {
    const jws = await joseSigned('ES256', bytes('{"a":1}'));
    const [h, p, s] = jws.split('.') as [string, string, string];
    for (const bad of [
      `${jws}.x`,
      `${h}.${p}`,
      `${h}=.${p}.${s}`,
      `${h}.${p}+.${s}`,
      `${h}.${p}.${s}=`,
      `${h}.${p}xyz.${s}`,
      `e30.${p}.${s}`,
      `WzFd.${p}.${s}`,
    ]) {
      expect(await outcome(engine, bad, 'ES256'), bad).toBe('refused:malformed');
    }
    expect(await outcome(engine, jws, 'ES384', pair('ES256').publicKey)).toBe('refused:malformed');
    const crit = await joseSigned('ES256', bytes('{}'), { crit: ['b64'], b64: true });
    expect(await outcome(engine, crit, 'ES256')).toBe('refused:malformed');
  });

  it('never takes a key of another kind or curve than the algorithm names', async () => {
    const jws = await joseSigned('ES256', bytes('{}'));
    const forged = `${Buffer.from('{"alg":"ES384"}').toString('base64url')}.${jws.split('.')[1] ?? ''}.${jws.split('.')[2] ?? ''}`;
    expect(await outcome(engine, forged, 'ES384', pair('ES256').publicKey)).toBe('threw');
    await expect(
      engine.sign(bytes('{}'), { alg: 'ES384', kid: 'k', typ: 't' }, pair('ES256').privateKey),
    ).rejects.toThrow();
  });

  it.each([
    ['ECDH-ES+A256KW', 'ES256'],
    ['ECDH-ES+A256KW', 'ES384'],
    ['RSA-OAEP-256', 'PS256'],
  ] as const)('seals with %s (%s key) what jose opens', async (alg, keyOf) => {
    const recipient = await generateKeyPair(alg, {
      ...(keyOf === 'ES384' && { crv: 'P-384' }),
      ...(keyOf === 'PS256' && { modulusLength: 3072 }),
    });
    const plaintext = bytes(`attestation ${'x'.repeat(4096)}`);
    const jwe = await engine.encrypt(plaintext, { alg, cty: 'JWT' }, recipient.publicKey);
    const opened = await compactDecrypt(jwe, recipient.privateKey, {
      keyManagementAlgorithms: [alg],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    expect(text(opened.plaintext)).toBe(text(plaintext));
    const header = decodeProtectedHeader(jwe);
    expect(header).toMatchObject({ alg, enc: 'A256GCM', cty: 'JWT' });
    expect(Object.keys(header).sort()).toEqual(
      alg === 'RSA-OAEP-256' ? ['alg', 'cty', 'enc'] : ['alg', 'cty', 'enc', 'epk'],
    );
    // A fresh key and IV each time: the same plaintext never seals to the same bytes.
    expect(await engine.encrypt(plaintext, { alg, cty: 'JWT' }, recipient.publicKey)).not.toBe(jwe);
  });
});

describe('the engines agree', () => {
  it('on any payload and any change to a signed token', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...ALGS),
        fc.nat(),
        fc.constantFrom('', 'A', '-', '_', '.', '=', '+', '/', ' ', 'é'),
        async (payload, alg, at, insert) => {
          const jws = await joseSigned(alg, payload);
          const index = at % (jws.length + 1);
          const changed =
            insert === '' ? jws : `${jws.slice(0, index)}${insert}${jws.slice(index + 1)}`;
          const answers = await Promise.all(
            engines.map(([, engine]) => outcome(engine, changed, alg)),
          );
          for (const answer of answers.slice(1)) expect(answer).toBe(answers[0]);
          if (insert === '') expect(answers[0]).toBe(`ok:${text(payload)}`);
        },
      ),
      { numRuns: 150 },
    );
  });
});
