import { importJWK, type JWK } from 'jose';
import {
  certificateKey,
  encryptToPgpKey,
  parseCertificate,
  type Principal,
} from '../certs/index.ts';
import { sha256, type Clock } from '../core/index.ts';
import type { JweRecipientKey } from './seal.ts';

/**
 * The key a JWE to the recipient is encrypted to: its registered encryption key or, where none
 * is registered, its certificate's key; ECDH-ES+A256KW for EC, RSA-OAEP-256 for RSA.
 */
export async function recipientJweKey(
  recipient: Principal,
  certificatePem: string,
): Promise<JweRecipientKey> {
  if (recipient.encryptionKey !== null) {
    const jwk = JSON.parse(recipient.encryptionKey) as JWK;
    const alg = jwk.kty === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW';
    const key = (await importJWK(jwk, alg)) as CryptoKey;
    return { id: `jwk:${await sha256(recipient.encryptionKey)}`, key, alg };
  }
  const certificate = parseCertificate(certificatePem);
  const alg = certificate.publicKey.algorithm.name.startsWith('RSA')
    ? 'RSA-OAEP-256'
    : 'ECDH-ES+A256KW';
  return {
    id: `cert:${await sha256(certificatePem)}`,
    key: await certificateKey(certificatePem, alg),
    alg,
  };
}

/**
 * Encrypts the gateway's signed attestation to a recipient with a registered OpenPGP key, which
 * then takes precedence over any JWE key.
 */
export async function sealForPgpRecipient(input: {
  pgpPublicKey: string;
  attestationJws: string;
  pgpSigningKey: () => Promise<string>;
  clock: Clock;
}): Promise<string> {
  return encryptToPgpKey(
    input.pgpPublicKey,
    input.attestationJws,
    await input.pgpSigningKey(),
    input.clock,
  );
}
