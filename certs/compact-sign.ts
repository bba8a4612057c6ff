import { CompactSign } from 'jose';
import { GATEWAY_SIGNING_ALG } from './signing-key.ts';

/**
 * A compact JWS (ES256) over `payloadJson` with `kid` and `typ` in its protected header: every
 * signature the gateway makes with its signing key. A module of its own, importing only jose and
 * the algorithm's name, so the seal thread (gateway/node-seal-threads.ts) loads no more than it
 * needs.
 */
export function signCompact(
  key: CryptoKey,
  kid: string,
  typ: string,
  payloadJson: string,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payloadJson))
    .setProtectedHeader({ alg: GATEWAY_SIGNING_ALG, kid, typ })
    .sign(key);
}
