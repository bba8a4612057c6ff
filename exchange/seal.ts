import { CompactEncrypt } from 'jose';
import { signCompact } from '../certs/compact-sign.ts';

/**
 * A key a JWE is encrypted to (exchange/envelope.ts finds the recipient's). `id` names the key's
 * bytes, so a thread that was handed the key once can be told which one to use again.
 */
export interface JweRecipientKey {
  readonly id: string;
  readonly key: CryptoKey;
  readonly alg: 'ECDH-ES+A256KW' | 'RSA-OAEP-256';
}

/**
 * An exchange's attestation to sign with the gateway's key and encrypt to the recipient. Each key
 * travels with an id that must name that key and no other (a sealer on another thread may keep
 * keys by id): the tenant and kid (an RFC 7638 thumbprint) for the signing key, a hash of the
 * bytes it came from for the recipient's.
 */
export interface SealJob {
  /** `id` names the key (tenant and kid) as {@link JweRecipientKey.id} does. */
  readonly signingKey: { readonly id: string; readonly kid: string; readonly key: CryptoKey };
  readonly recipientKey: JweRecipientKey;
  readonly typ: string;
  readonly payloadJson: string;
}

/**
 * Does a {@link SealJob}: most of an exchange's work in jose. A runtime may do it on another
 * thread (Node: gateway/node-seal-threads.ts); the result is the same compact JWE. This module
 * imports jose and the signing function only, so such a thread loads little.
 */
export interface JweSealer {
  seal(job: SealJob): Promise<string>;
}

/**
 * Signs the attestation (compact JWS) and encrypts it to the recipient (compact JWE, A256GCM,
 * `cty: JWT`). No compression (`zip`): compressing before encrypting leaks length (CRIME-like).
 */
export async function signAndSeal(job: SealJob): Promise<string> {
  const { signingKey, recipientKey } = job;
  const attestation = await signCompact(signingKey.key, signingKey.kid, job.typ, job.payloadJson);
  return new CompactEncrypt(new TextEncoder().encode(attestation))
    .setProtectedHeader({ alg: recipientKey.alg, enc: 'A256GCM', cty: 'JWT' })
    .encrypt(recipientKey.key);
}

/** Seals on the calling thread: the edge's way, and the fallback everywhere. */
export const sealHere: JweSealer = { seal: signAndSeal };
