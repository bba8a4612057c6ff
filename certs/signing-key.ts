import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

/** The gateway signs receipts, attestations and tree heads with ES256 (ECDSA P-256, SHA-256). */
export const GATEWAY_SIGNING_ALG = 'ES256';

export interface GatewaySigningKey {
  readonly kid: string;
  readonly publicJwk: JWK;
  readonly keys: CryptoKeyPair;
}

/**
 * A fresh ES256 key pair. Its `kid` is the RFC 7638 thumbprint of the public key, so it is
 * unique across tenants and says nothing about where the key lives.
 */
export async function generateSigningKey(): Promise<GatewaySigningKey> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const jwk = await exportJWK(keys.publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { kid, keys, publicJwk: { ...jwk, kid, alg: GATEWAY_SIGNING_ALG, use: 'sig' } };
}
