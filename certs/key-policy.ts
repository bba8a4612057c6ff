import type * as x509 from '@peculiar/x509';
import { GatewayError } from '../core/index.ts';

/**
 * The JWS algorithms the gateway accepts at all (BSI TR-02102-1): ECDSA on P-256/P-384 and RSA
 * with SHA-256. Every verify passes an explicit list taken from here, never the token's own word.
 */
export const ALLOWED_JWS_ALGORITHMS = ['ES256', 'ES384', 'PS256', 'RS256'] as const;
export type AllowedJwsAlgorithm = (typeof ALLOWED_JWS_ALGORITHMS)[number];

/** What {@link checkSubjectKey} found a key to be. */
export type SubjectKeyInfo = { kty: 'EC'; crv: 'P-256' | 'P-384' } | { kty: 'RSA'; bits: number };

/** BSI TR-02102-1 asks for at least 3000-bit RSA moduli from 2023 on; 3072 is the usual size. */
export const MIN_RSA_BITS = 3072;
/** TR-02102-1 also asks for a public exponent of at least 2^16 + 1. */
const MIN_RSA_EXPONENT = 65537;

const ALLOWED_KEYS_TEXT = `ECDSA P-256 or P-384, or RSA with at least ${MIN_RSA_BITS} bits`;

const refuse = (found: string): GatewayError =>
  new GatewayError('validation_failed', {
    detail: `the key is ${found}; allowed are ${ALLOWED_KEYS_TEXT} (BSI TR-02102)`,
    errors: [{ path: '', message: `key not allowed: ${found}` }],
  });

/**
 * Checks that a certificate's or CSR's subject key is one the gateway accepts: ECDSA P-256 or
 * P-384, or RSA with a modulus of at least 3072 bits (BSI TR-02102-1). The key is imported through
 * WebCrypto on the way, so a malformed point or modulus is refused as well.
 *
 * @throws GatewayError `validation_failed` naming what was found and what is allowed.
 * @example
 * ```ts
 * const info = await checkSubjectKey(csr.publicKey); // { kty: 'EC', crv: 'P-256' }
 * ```
 */
export async function checkSubjectKey(publicKey: x509.PublicKey): Promise<SubjectKeyInfo> {
  const algorithm = publicKey.algorithm as { name?: unknown; namedCurve?: unknown };
  const name = typeof algorithm.name === 'string' ? algorithm.name : 'of an unknown type';

  if (name === 'ECDSA' || name === 'ECDH') {
    const curve = typeof algorithm.namedCurve === 'string' ? algorithm.namedCurve : 'unknown';
    if (curve !== 'P-256' && curve !== 'P-384') throw refuse(`an EC key on curve ${curve}`);
    await importOrRefuse(publicKey, { name: 'ECDSA', namedCurve: curve }, `an EC ${curve} key`);
    return { kty: 'EC', crv: curve };
  }

  if (name === 'RSASSA-PKCS1-v1_5' || name === 'RSA-PSS' || name === 'RSA-OAEP') {
    const key = await importOrRefuse(
      publicKey,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      'an RSA key',
    );
    const rsa = key.algorithm as { modulusLength?: unknown; publicExponent?: unknown };
    const bits = typeof rsa.modulusLength === 'number' ? rsa.modulusLength : 0;
    if (bits < MIN_RSA_BITS) throw refuse(`an RSA key with ${bits} bits`);
    const exponent = rsa.publicExponent instanceof Uint8Array ? rsa.publicExponent : undefined;
    if (exponent === undefined || exponentValue(exponent) < MIN_RSA_EXPONENT) {
      throw refuse('an RSA key with a public exponent below 65537');
    }
    return { kty: 'RSA', bits };
  }

  throw refuse(`an ${name} key`);
}

/**
 * The JWS algorithms a key may sign with: one per EC curve (RFC 7518 binds ES256 to P-256), and
 * PS256 or RS256 for RSA.
 *
 * @example
 * ```ts
 * jwsAlgorithmsFor({ kty: 'EC', crv: 'P-384' }); // ['ES384']
 * ```
 */
export function jwsAlgorithmsFor(key: SubjectKeyInfo): readonly AllowedJwsAlgorithm[] {
  if (key.kty === 'RSA') return ['PS256', 'RS256'];
  return key.crv === 'P-256' ? ['ES256'] : ['ES384'];
}

type ImportedKey = Awaited<ReturnType<x509.PublicKey['export']>>;

async function importOrRefuse(
  publicKey: x509.PublicKey,
  algorithm: { name: 'ECDSA'; namedCurve: string } | { name: 'RSASSA-PKCS1-v1_5'; hash: string },
  what: string,
): Promise<ImportedKey> {
  try {
    return await publicKey.export(algorithm, ['verify']);
  } catch (error) {
    throw new GatewayError('validation_failed', {
      detail: `${what} that WebCrypto cannot import (malformed or unsupported encoding)`,
      errors: [{ path: '', message: 'key cannot be imported' }],
      cause: error,
    });
  }
}

function exponentValue(bytes: Uint8Array): number {
  // Exponents beyond 2^53 are absurd but still "large enough"; cap instead of overflowing.
  let value = 0;
  for (const byte of bytes) {
    value = value * 256 + byte;
    if (value > Number.MAX_SAFE_INTEGER / 256) return Number.MAX_SAFE_INTEGER;
  }
  return value;
}
