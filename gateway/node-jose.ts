import {
  constants,
  createCipheriv,
  createECDH,
  hash,
  type KeyObject,
  publicEncrypt,
  randomBytes,
  sign,
  verify,
  type SignKeyObjectInput,
} from 'node:crypto';
// From the module itself, not certs/index.ts: the JOSE thread loads this file and needs none of
// the certificate code (nor the reflect polyfill it asks for).
import { compactParts, CompactJwsRefused, type JoseEngine } from '../certs/jose-engine.ts';
import type { AllowedJwsAlgorithm } from '../certs/key-policy.ts';
import { keyObjectOf } from './node-key-object.ts';

/**
 * The gateway's JOSE operations with `node:crypto`'s synchronous calls (see `JoseEngine`): the
 * same bytes as jose's, on the calling thread, with no trip to the thread pool. Keys arrive as
 * WebCrypto `CryptoKey`s (imported once, often non-extractable) and are turned into `KeyObject`s
 * once each (`keyObjectOf`).
 */

/** How each allowed algorithm signs: RFC 7518 §3.3–3.5. */
const SIGNATURE: Record<
  AllowedJwsAlgorithm,
  { hash: string; options: Omit<SignKeyObjectInput, 'key'>; curve?: string }
> = {
  ES256: { hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' }, curve: 'prime256v1' },
  ES384: { hash: 'sha384', options: { dsaEncoding: 'ieee-p1363' }, curve: 'secp384r1' },
  PS256: {
    hash: 'sha256',
    options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
  },
  RS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PADDING } },
};

/** The curve a JWS or JWE algorithm needs the key on, where it needs one. */
const CURVE_OF: Record<string, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' };

function checkKey(key: KeyObject, alg: AllowedJwsAlgorithm): void {
  const details = key.asymmetricKeyDetails;
  const curve = SIGNATURE[alg].curve;
  const fits =
    curve === undefined
      ? key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss'
      : key.asymmetricKeyType === 'ec' && details?.namedCurve === curve;
  // jose refuses a key of another kind or curve than `alg` names; so does this engine.
  if (!fits) throw new TypeError(`the key does not fit ${alg}`);
}

const b64url = (bytes: Uint8Array | string): string =>
  Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes) : bytes).toString('base64url');

const uint32 = (value: number): Buffer => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
};

/** RFC 7518 §4.6.2 Concat KDF for one 256-bit key (one round of SHA-256), no apu/apv. */
function concatKdf(secret: Buffer, alg: string): Buffer {
  const algorithm = Buffer.from(alg);
  const parts = [uint32(1), secret, uint32(algorithm.length), algorithm];
  return hash('sha256', Buffer.concat([...parts, uint32(0), uint32(0), uint32(256)]), 'buffer');
}

/** The CEK wrapped for the recipient, and what the header must say about it. */
function wrapKey(
  cek: Buffer,
  alg: 'ECDH-ES+A256KW' | 'RSA-OAEP-256',
  key: KeyObject,
): { encryptedKey: Buffer; epk?: object } {
  if (alg === 'RSA-OAEP-256') {
    return {
      encryptedKey: publicEncrypt(
        { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        cek,
      ),
    };
  }
  const { crv, point } = ecPointOf(key);
  const ephemeral = createECDH(CURVE_OF[crv] ?? '');
  ephemeral.generateKeys();
  const kek = concatKdf(ephemeral.computeSecret(point), alg);
  const wrap = createCipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const encryptedKey = Buffer.concat([wrap.update(cek), wrap.final()]);
  const raw = ephemeral.getPublicKey();
  const half = (raw.length - 1) / 2;
  const epk = {
    kty: 'EC',
    crv,
    x: b64url(raw.subarray(1, 1 + half)),
    y: b64url(raw.subarray(1 + half)),
  };
  return { encryptedKey, epk };
}

const ecPoints = new WeakMap<KeyObject, { crv: string; point: Buffer }>();

/** The recipient's public point (uncompressed) and curve name, read once per key. */
function ecPointOf(key: KeyObject): { crv: string; point: Buffer } {
  let found = ecPoints.get(key);
  if (found === undefined) {
    const jwk = key.export({ format: 'jwk' });
    if (key.asymmetricKeyType !== 'ec' || !jwk.crv || !jwk.x || !jwk.y || !CURVE_OF[jwk.crv]) {
      throw new TypeError('ECDH-ES needs an EC public key on P-256 or P-384');
    }
    const point = Buffer.concat([
      Buffer.of(4),
      Buffer.from(jwk.x, 'base64url'),
      Buffer.from(jwk.y, 'base64url'),
    ]);
    found = { crv: jwk.crv, point };
    ecPoints.set(key, found);
  }
  return found;
}

/** A synchronous function as one answering a promise, its throw as the rejection. */
const promised =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (...args: A): Promise<R> => {
    try {
      return Promise.resolve(fn(...args));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

type Synchronous<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never;
};

/** The engine's operations as plain calls, for a thread that runs them one after another. */
export const nodeJose: Synchronous<JoseEngine> = {
  verify(jws, key, alg) {
    const parts = compactParts(jws, alg);
    const keyObject = keyObjectOf(key);
    checkKey(keyObject, alg);
    const { hash, options } = SIGNATURE[alg];
    let valid: boolean;
    try {
      valid = verify(
        hash,
        Buffer.from(parts.signingInput),
        { key: keyObject, ...options },
        Buffer.from(parts.signature, 'base64url'),
      );
    } catch {
      valid = false;
    }
    if (!valid) throw new CompactJwsRefused('signature');
    return new Uint8Array(Buffer.from(parts.payload, 'base64url'));
  },
  sign(payload, header, key) {
    const keyObject = keyObjectOf(key);
    checkKey(keyObject, header.alg);
    const input = `${b64url(JSON.stringify(header))}.${b64url(payload)}`;
    const { hash, options } = SIGNATURE[header.alg];
    const signature = sign(hash, Buffer.from(input), { key: keyObject, ...options });
    return `${input}.${signature.toString('base64url')}`;
  },
  encrypt(plaintext, header, key) {
    const cek = randomBytes(32);
    const { encryptedKey, epk } = wrapKey(cek, header.alg, keyObjectOf(key));
    const protectedHeader = b64url(
      JSON.stringify({ alg: header.alg, enc: 'A256GCM', cty: header.cty, ...(epk && { epk }) }),
    );
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', cek, iv);
    cipher.setAAD(Buffer.from(protectedHeader));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [protectedHeader, encryptedKey, iv, ciphertext, tag]
      .map((part) => (typeof part === 'string' ? part : b64url(part)))
      .join('.');
  },
};

export const nodeJoseEngine: JoseEngine = {
  verify: promised(nodeJose.verify),
  sign: promised(nodeJose.sign),
  encrypt: promised(nodeJose.encrypt),
};
