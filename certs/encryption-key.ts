import { exportJWK, importJWK, importSPKI, type JWK } from 'jose';
import { GatewayError } from '../core/index.ts';

const MAX_KEY_TEXT = 16 * 1024;
const refuse = (detail: string) =>
  new GatewayError('validation_failed', {
    detail,
    errors: [{ path: '/encryptionKey', message: detail }],
  });

/**
 * Reads an agency's encryption key (a public JWK, or an SPKI PEM) and answers it as a public JWK.
 * Accepted: EC P-256/P-384 (for ECDH-ES+A256KW) and RSA of at least 3072 bits (for RSA-OAEP-256),
 * as BSI TR-02102 asks. Private key material is refused, never stored.
 */
export async function parseEncryptionKey(text: string): Promise<JWK> {
  if (text.length > MAX_KEY_TEXT) throw refuse('the encryption key file is too large');
  const trimmed = text.trim();
  if (trimmed.includes('PRIVATE KEY')) throw refuse('send the public key only');
  let jwk: JWK;
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw refuse('the encryption key is neither a JWK nor a PEM public key');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw refuse('the encryption key JWK must be a JSON object');
    }
    jwk = parsed;
    if ('d' in jwk || 'p' in jwk || 'k' in jwk) throw refuse('send the public key only');
  } else if (trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) {
    jwk = await pemToJwk(trimmed);
  } else {
    throw refuse('the encryption key is neither a JWK nor a PEM public key');
  }

  if (jwk.kty === 'EC') {
    const { crv, x, y } = jwk;
    if (crv !== 'P-256' && crv !== 'P-384') {
      throw refuse('EC encryption keys must be on P-256 or P-384');
    }
    if (typeof x !== 'string' || typeof y !== 'string') throw refuse('the EC key lacks x or y');
    await importJWK({ kty: 'EC', crv, x, y }, 'ECDH-ES+A256KW').catch(() => {
      throw refuse('the EC key is not a valid point');
    });
    return { kty: 'EC', crv, x, y, use: 'enc', alg: 'ECDH-ES+A256KW' };
  }
  if (jwk.kty === 'RSA') {
    const { n, e } = jwk;
    if (typeof n !== 'string' || typeof e !== 'string') throw refuse('the RSA key lacks n or e');
    // base64url without padding: 4 characters carry 3 bytes.
    const bits = Math.floor((n.length * 6) / 8) * 8;
    if (bits < 3072) throw refuse('RSA encryption keys must have at least 3072 bits');
    await importJWK({ kty: 'RSA', n, e }, 'RSA-OAEP-256').catch(() => {
      throw refuse('the RSA key is not valid');
    });
    return { kty: 'RSA', n, e, use: 'enc', alg: 'RSA-OAEP-256' };
  }
  throw refuse('encryption keys must be EC (P-256, P-384) or RSA (≥ 3072 bits)');
}

/** SPKI PEM to JWK; jose wants to know the algorithm, so try the two key kinds we accept. */
async function pemToJwk(pem: string): Promise<JWK> {
  for (const alg of ['ECDH-ES+A256KW', 'RSA-OAEP-256']) {
    try {
      return await exportJWK(await importSPKI(pem, alg, { extractable: true }));
    } catch {
      // not this kind; try the next
    }
  }
  throw refuse('the PEM is not an EC or RSA public key');
}
