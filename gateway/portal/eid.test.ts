import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../core/index.ts';
import { createEidProvider, importEidPrivateKey, type EidConfig } from './eid.ts';

const base: EidConfig = {
  issuer: new URL('https://id.example/realms/bund'),
  clientId: 'gateway',
  clientAuth: { method: 'client_secret_basic', secret: 'secret' },
  redirectUri: new URL('https://gateway.example/portal/eid/callback'),
  assuranceByAcr: { 'urn:example:eid:high': 'high' },
};

async function pkcs8Pem(algorithm: EcKeyGenParams | RsaHashedKeyGenParams): Promise<string> {
  const pair = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const der = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const base64 = btoa(String.fromCharCode(...der)).replace(/.{64}/g, '$&\n');
  return `-----BEGIN PRIVATE KEY-----\n${base64}\n-----END PRIVATE KEY-----\n`;
}

const rsa = (name: string): RsaHashedKeyGenParams => ({
  name,
  hash: 'SHA-256',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
});

describe('createEidProvider', () => {
  it('accepts an https issuer without contacting it', () => {
    expect(() => createEidProvider(base)).not.toThrow();
  });

  it('refuses an http issuer unless insecure requests are allowed (tests only)', () => {
    const issuer = new URL('http://127.0.0.1:9/');
    expect(() => createEidProvider({ ...base, issuer })).toThrow(/https issuer/);
    expect(() => createEidProvider({ ...base, issuer, allowInsecureRequests: true })).not.toThrow();
  });

  it.each<[string, Partial<EidConfig>, RegExp]>([
    ['an empty client id', { clientId: '' }, /client id/],
    ['a scope without openid', { scope: 'profile' }, /openid scope/],
    ['an empty acr map', { assuranceByAcr: {} }, /assuranceByAcr/],
    ['an unknown assurance level', { assuranceByAcr: { a: 'medium' as 'high' } }, /assuranceByAcr/],
    [
      'an empty client secret',
      { clientAuth: { method: 'client_secret_post', secret: '' } },
      /client secret/,
    ],
  ])('refuses %s at creation', (_name, overrides, message) => {
    expect(() => createEidProvider({ ...base, ...overrides })).toThrow(message);
  });

  it('refuses a private key that does not fit the declared algorithm', async () => {
    const privateKey = await importEidPrivateKey(await pkcs8Pem(rsa('RSA-PSS')), 'PS256');
    expect(() =>
      createEidProvider({
        ...base,
        clientAuth: { method: 'private_key_jwt', privateKey, alg: 'ES256' },
      }),
    ).toThrow(/not a ES256 signing key/);
    expect(() =>
      createEidProvider({
        ...base,
        clientAuth: { method: 'private_key_jwt', privateKey, alg: 'PS256' },
      }),
    ).not.toThrow();
  });

  it('refuses a provider that cannot be reached with provider_unreachable, naming no URL secret', async () => {
    const eid = createEidProvider({
      ...base,
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    const error: unknown = await eid.begin().catch((rejection: unknown) => rejection);
    expect(isGatewayError(error) && error.reasons).toEqual([
      { code: 'provider_unreachable', message: 'the provider could not be reached' },
    ]);
  });

  it('refuses metadata that names another issuer with issuer_mismatch', async () => {
    const eid = createEidProvider({
      ...base,
      fetch: () =>
        Promise.resolve(
          Response.json({
            issuer: 'https://evil.example',
            authorization_endpoint: 'https://evil.example/auth',
          }),
        ),
    });
    const error: unknown = await eid.begin().catch((rejection: unknown) => rejection);
    expect(isGatewayError(error) && error.reasons?.[0]?.code).toBe('issuer_mismatch');
  });
});

describe('importEidPrivateKey', () => {
  it.each<['ES256' | 'PS256' | 'RS256', EcKeyGenParams | RsaHashedKeyGenParams]>([
    ['ES256', { name: 'ECDSA', namedCurve: 'P-256' }],
    ['PS256', rsa('RSA-PSS')],
    ['RS256', rsa('RSASSA-PKCS1-v1_5')],
  ])('imports a PKCS#8 PEM %s key as a non-extractable signing key', async (alg, kind) => {
    const key = await importEidPrivateKey(await pkcs8Pem(kind), alg);
    expect(key.type).toBe('private');
    expect(key.extractable).toBe(false);
    expect(key.usages).toEqual(['sign']);
  });

  it('refuses text that is not a PKCS#8 PEM key', async () => {
    await expect(importEidPrivateKey('-----BEGIN EC PRIVATE KEY-----', 'ES256')).rejects.toThrow(
      'not a PKCS#8 PEM private key',
    );
  });

  it('refuses a key of another algorithm', async () => {
    const pem = await pkcs8Pem({ name: 'ECDSA', namedCurve: 'P-256' });
    await expect(importEidPrivateKey(pem, 'RS256')).rejects.toThrow(
      'not a PKCS#8 private key for RS256',
    );
  });
});
