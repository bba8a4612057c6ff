import { X509Certificate } from 'node:crypto';
import { CompactSign, compactDecrypt, decodeJwt, importPKCS8, SignJWT } from 'jose';

/*
 * What an agency system does, with an EC P-256 PKCS#8 key and its certificate: make a client
 * assertion, sign a message, open an envelope. Shared by the `token`, `sign` and `open` commands
 * and by `demo`, which plays three agencies in one process.
 */

/**
 * The agency id a gateway-issued certificate names (its subject CN). Node's own parser, not the
 * gateway's certs/: `token` runs before every curl of the walk-through, and loading the ASN.1
 * library for one name took most of its start.
 */
export function agencyIdOf(certificatePem: string): string {
  return /^CN=(.+)$/m.exec(new X509Certificate(certificatePem).subject)?.[1] ?? '';
}

/** A client assertion (RFC 7523) for `audience`, valid for 2 minutes, with the chain in `x5c`. */
export async function clientAssertion(input: {
  keyPem: string;
  certificatePem: string;
  audience: string;
}): Promise<string> {
  const id = agencyIdOf(input.certificatePem);
  const der = input.certificatePem
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [der] })
    .setIssuer(id)
    .setSubject(id)
    .setAudience(input.audience)
    .setIssuedAt()
    .setExpirationTime('2m')
    .setJti(crypto.randomUUID())
    .sign(await importPKCS8(input.keyPem, 'ES256'));
}

/** The sender's compact JWS (ES256) over the message JSON, as `POST /v1/exchanges` wants it. */
export async function signMessage(keyPem: string, message: unknown): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(message)))
    .setProtectedHeader({ alg: 'ES256' })
    .sign(await importPKCS8(keyPem, 'ES256'));
}

/** Decrypts a `jwe` envelope with the recipient's key; answers the gateway's attestation JWS. */
export async function openJweEnvelope(keyPem: string, ciphertext: string): Promise<string> {
  const key = await importPKCS8(keyPem, 'ECDH-ES+A256KW');
  const { plaintext } = await compactDecrypt(ciphertext, key, {
    keyManagementAlgorithms: ['ECDH-ES+A256KW'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  return new TextDecoder().decode(plaintext);
}

/** The JSON payload of a compact JWS, unverified: check the signature before trusting it. */
export function jwsPayload(jws: string): Record<string, unknown> {
  return decodeJwt(jws);
}
