import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/index.ts';
import {
  ALLOWED_JWS_ALGORITHMS,
  checkSubjectKey,
  jwsAlgorithmsFor,
  type SubjectKeyInfo,
} from './key-policy.ts';

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

async function publicKeyOf(
  algorithm: EcKeyGenParams | RsaHashedKeyGenParams | { name: 'Ed25519' },
): Promise<x509.PublicKey> {
  const keys = (await crypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return x509.PublicKey.create(keys.publicKey);
}

const rsa = (modulusLength: number, publicExponent = new Uint8Array([1, 0, 1])) => ({
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength,
  publicExponent,
  hash: 'SHA-256',
});

describe('checkSubjectKey', () => {
  it('accepts ECDSA P-256', async () => {
    const key = await publicKeyOf({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(await checkSubjectKey(key)).toEqual({ kty: 'EC', crv: 'P-256' });
  });

  it('accepts ECDSA P-384', async () => {
    const key = await publicKeyOf({ name: 'ECDSA', namedCurve: 'P-384' });
    expect(await checkSubjectKey(key)).toEqual({ kty: 'EC', crv: 'P-384' });
  });

  it('accepts RSA with 3072 bits', async () => {
    const key = await publicKeyOf(rsa(3072));
    expect(await checkSubjectKey(key)).toEqual({ kty: 'RSA', bits: 3072 });
  });

  it('accepts an RSA-PSS key of 3072 bits as RSA', async () => {
    const key = await publicKeyOf({ ...rsa(3072), name: 'RSA-PSS' });
    expect(await checkSubjectKey(key)).toEqual({ kty: 'RSA', bits: 3072 });
  });

  it('refuses RSA with 2048 bits and says what is allowed', async () => {
    const error = await refusal(checkSubjectKey(await publicKeyOf(rsa(2048))));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toContain('RSA key with 2048 bits');
    expect(error.detail).toContain('P-256 or P-384');
    expect(error.detail).toContain('3072');
  });

  it('refuses an RSA key with public exponent 3', async () => {
    const error = await refusal(checkSubjectKey(await publicKeyOf(rsa(3072, new Uint8Array([3])))));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toContain('exponent');
  });

  it('refuses ECDSA P-521', async () => {
    const error = await refusal(
      checkSubjectKey(await publicKeyOf({ name: 'ECDSA', namedCurve: 'P-521' })),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toContain('curve P-521');
  });

  it('refuses Ed25519', async () => {
    const error = await refusal(checkSubjectKey(await publicKeyOf({ name: 'Ed25519' })));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toContain('Ed25519');
  });

  it('refuses an EC point that is not on the curve', async () => {
    const good = await publicKeyOf({ name: 'ECDSA', namedCurve: 'P-256' });
    const spki = new Uint8Array(good.rawData);
    spki[spki.length - 1] = (spki[spki.length - 1] ?? 0) ^ 0x01;
    const error = await refusal(checkSubjectKey(new x509.PublicKey(spki)));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toMatch(/cannot import/);
  });
});

describe('jwsAlgorithmsFor', () => {
  it.each<[SubjectKeyInfo, readonly string[]]>([
    [{ kty: 'EC', crv: 'P-256' }, ['ES256']],
    [{ kty: 'EC', crv: 'P-384' }, ['ES384']],
    [{ kty: 'RSA', bits: 3072 }, ['PS256', 'RS256']],
  ])('allows %j to sign with %j', (key, algorithms) => {
    expect(jwsAlgorithmsFor(key)).toEqual(algorithms);
  });

  it('never answers an algorithm outside the allow-list', () => {
    const all = [
      ...jwsAlgorithmsFor({ kty: 'EC', crv: 'P-256' }),
      ...jwsAlgorithmsFor({ kty: 'EC', crv: 'P-384' }),
      ...jwsAlgorithmsFor({ kty: 'RSA', bits: 4096 }),
    ];
    expect(new Set(all)).toEqual(new Set(ALLOWED_JWS_ALGORITHMS));
    expect(ALLOWED_JWS_ALGORITHMS).toEqual(['ES256', 'ES384', 'PS256', 'RS256']);
  });
});
