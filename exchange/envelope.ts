import type { JWK } from 'jose';
import {
  certificateKey,
  encryptionKey,
  encryptToPgpKey,
  joseEngine,
  parseCertificate,
  type Principal,
} from '../certs/index.ts';
import type { Clock } from '../core/index.ts';

/**
 * Encrypts the gateway's attestation so only the recipient can read it: OpenPGP to a registered
 * OpenPGP key; otherwise a compact JWE (A256GCM) to the registered encryption key or, where none
 * is registered, to the certificate's key — ECDH-ES+A256KW for EC, RSA-OAEP-256 for RSA.
 * No compression (`zip`): compressing before encrypting leaks length (CRIME-like).
 */
export async function sealForRecipient(input: {
  recipient: Principal;
  certificatePem: string;
  attestationJws: string;
  pgpSigningKey: () => Promise<string>;
  clock: Clock;
}): Promise<{ envelope: 'jwe' | 'openpgp'; ciphertext: string }> {
  const { recipient, attestationJws } = input;
  if (recipient.pgpPublicKey !== null) {
    return {
      envelope: 'openpgp',
      ciphertext: await encryptToPgpKey(
        recipient.pgpPublicKey,
        attestationJws,
        await input.pgpSigningKey(),
        input.clock,
      ),
    };
  }
  let key: CryptoKey;
  let alg: 'ECDH-ES+A256KW' | 'RSA-OAEP-256';
  if (recipient.encryptionKey !== null) {
    const jwk = JSON.parse(recipient.encryptionKey) as JWK;
    alg = jwk.kty === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW';
    key = await encryptionKey(recipient.encryptionKey, alg);
  } else {
    const certificate = parseCertificate(input.certificatePem);
    alg = certificate.publicKey.algorithm.name.startsWith('RSA')
      ? 'RSA-OAEP-256'
      : 'ECDH-ES+A256KW';
    key = await certificateKey(input.certificatePem, alg);
  }
  const ciphertext = await joseEngine().encrypt(
    new TextEncoder().encode(attestationJws),
    { alg, cty: 'JWT' },
    key,
  );
  return { envelope: 'jwe', ciphertext };
}
