import { GatewayError, type Clock } from '../core/index.ts';
import { joseEngine } from './jose-engine.ts';
import { keyContext, unwrapPrivateKey, unwrapSecret } from './key-wrap.ts';
import { signDetached } from './openpgp.ts';
import type { PkiStore } from './ports.ts';
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
      return joseEngine().sign(
        new TextEncoder().encode(JSON.stringify(payload)),
        { alg: GATEWAY_SIGNING_ALG, kid: entry.kid, typ },
        entry.key,
      );
    },
  };
}

/**
 * Detached OpenPGP signatures with a tenant's gateway key (audit exports), checkable with
 * `gpg --verify` and the key at /.well-known/openpgp-key.asc.
 */
export async function signDetachedAsTenant(
  deps: { pki: PkiStore; masterKey: CryptoKey; clock: Clock },
  tenantId: string,
  text: string,
): Promise<{ signature: string; publicKey: string }> {
  const { privateKey, publicKey } = await tenantPgpKey(deps, tenantId);
  return { signature: await signDetached(privateKey, text, deps.clock), publicKey };
}

/** The tenant's OpenPGP key pair (private part unwrapped, armored), for signing. */
export async function tenantPgpKey(
  deps: { pki: PkiStore; masterKey: CryptoKey },
  tenantId: string,
): Promise<{ privateKey: string; publicKey: string }> {
  const [active] = await deps.pki.keys(tenantId, 'openpgp');
  if (!active) throw new GatewayError('internal_error', { detail: 'tenant has no OpenPGP key' });
  const privateKey = new TextDecoder().decode(
    await unwrapSecret(
      deps.masterKey,
      active.wrappedPrivate,
      keyContext(tenantId, 'openpgp', active.kid),
    ),
  );
  return { privateKey, publicKey: active.publicMaterial };
}
