import { compactDecrypt, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { encryptionKey, type Principal } from '../certs/index.ts';
import { systemClock } from '../core/index.ts';
import { sealForRecipient } from './envelope.ts';

/** A recipient that registered an encryption key of its own, apart from its certificate. */
const withKey = (jwk: string): Principal => ({
  tenantId: 't',
  id: 'abh-enc',
  kind: 'agency',
  agencyType: 'immigration_office',
  displayName: 'abh-enc',
  encryptionKey: jwk,
  pgpPublicKey: null,
  webhookUrl: null,
  address: null,
  dpoContact: null,
  createdAt: new Date(0).toISOString(),
});

describe('sealing to a registered encryption key', () => {
  it.each([
    ['EC P-256', 'ECDH-ES+A256KW', { crv: 'P-256' }],
    ['RSA-3072', 'RSA-OAEP-256', { modulusLength: 3072 }],
  ] as const)(
    'seals to a %s key with %s, which only its private key opens',
    async (_, alg, options) => {
      const keys = await generateKeyPair(alg, { ...options, extractable: true });
      const jwk = JSON.stringify(await exportJWK(keys.publicKey));
      const sealed = await sealForRecipient({
        recipient: withKey(jwk),
        certificatePem: 'not read: the registered key wins',
        attestationJws: 'a.b.c',
        pgpSigningKey: () => Promise.reject(new Error('not an OpenPGP recipient')),
        clock: systemClock,
      });
      expect(sealed.envelope).toBe('jwe');
      const opened = await compactDecrypt(sealed.ciphertext, keys.privateKey);
      expect(opened.protectedHeader).toMatchObject({ alg, enc: 'A256GCM', cty: 'JWT' });
      expect(new TextDecoder().decode(opened.plaintext)).toBe('a.b.c');
    },
  );

  it('imports a registered key once, so an engine sees the same key object each time', async () => {
    const keys = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    const jwk = JSON.stringify(await exportJWK(keys.publicKey));
    const first = await encryptionKey(jwk, 'ECDH-ES+A256KW');
    expect(await encryptionKey(jwk, 'ECDH-ES+A256KW')).toBe(first);
  });
});
