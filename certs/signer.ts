import { CompactSign } from 'jose';
import { GatewayError } from '../core/index.ts';
import { unwrapPrivateKey } from './key-wrap.ts';
import type { PkiStore } from './ports.ts';
import { keyContext } from './provision.ts';
import { GATEWAY_SIGNING_ALG } from './signing-key.ts';

/** Signs on behalf of a tenant's gateway: receipts, attestations, tree heads. */
export interface GatewaySigner {
  /**
   * A compact JWS (ES256, `kid` of the tenant's active key, verifiable with the JWKS) over the
   * JSON of `payload`.
   */
  sign(tenantId: string, payload: object, typ: string): Promise<string>;
}

/**
 * A signer that unwraps each tenant's active signing key once and keeps it (non-extractable) in
 * memory; after `keys rotate` it notices the new kid on the next signature.
 */
export function createGatewaySigner(deps: { pki: PkiStore; masterKey: CryptoKey }): GatewaySigner {
  const cache = new Map<string, { kid: string; key: CryptoKey }>();
  return {
    async sign(tenantId, payload, typ) {
      const [active] = await deps.pki.keys(tenantId, 'signing');
      if (active?.status !== 'active') {
        throw new GatewayError('internal_error', { detail: 'tenant has no active signing key' });
      }
      let entry = cache.get(tenantId);
      if (entry?.kid !== active.kid) {
        const key = await unwrapPrivateKey(
          deps.masterKey,
          active.wrappedPrivate,
          keyContext(tenantId, 'signing', active.kid),
          { name: 'ECDSA', namedCurve: 'P-256' },
          ['sign'],
        );
        entry = { kid: active.kid, key };
        cache.set(tenantId, entry);
      }
      return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: GATEWAY_SIGNING_ALG, kid: entry.kid, typ })
        .sign(entry.key);
    },
  };
}
