import { isKeyUnwrapError, keyContext, KeyUnwrapError, unwrapSecret } from './key-wrap.ts';
import type { KeyUse, PkiStore } from './ports.ts';

const KEY_USES: readonly KeyUse[] = ['ca', 'signing', 'openpgp'];

const described: Readonly<Record<KeyUse, string>> = {
  ca: 'CA key',
  signing: 'signing key',
  openpgp: 'OpenPGP key',
};

/**
 * Proves that `masterKey` is the key the stored keys were wrapped with, by opening each tenant's
 * current CA, signing and OpenPGP keys (every tenant's, or only `tenantId`'s). Call it before
 * wrapping anything new — a tenant, a rotated signing key — and at start-up: a wrong key would
 * otherwise wrap new keys that the right one cannot open, and the first grant would fail. A data
 * dir without tenants holds nothing to prove it against, so any key passes there.
 *
 * @throws KeyUnwrapError `wrong_master_key` (with `tenantId`) if a key does not open under it;
 *   `malformed` if a stored key is no wrapped key at all.
 * @example
 * ```ts
 * await checkMasterKey({ pki: storage.pki, masterKey }); // before serving
 * await checkMasterKey({ pki, masterKey }, 'koeln'); // before rotating koeln's signing key
 * ```
 */
export async function checkMasterKey(
  deps: { readonly pki: Pick<PkiStore, 'keys' | 'allSigningKeys'>; readonly masterKey: CryptoKey },
  tenantId?: string,
): Promise<void> {
  const tenants =
    tenantId === undefined
      ? [...new Set((await deps.pki.allSigningKeys()).map((key) => key.tenantId))]
      : [tenantId];
  for (const tenant of tenants) {
    for (const use of KEY_USES) {
      const current = (await deps.pki.keys(tenant, use)).find((key) => key.status === 'active');
      if (!current) continue;
      try {
        const secret = await unwrapSecret(
          deps.masterKey,
          current.wrappedPrivate,
          keyContext(tenant, use, current.kid),
        );
        secret.fill(0);
      } catch (error) {
        if (!isKeyUnwrapError(error) || error.reason !== 'does_not_open') throw error;
        throw new KeyUnwrapError(
          'wrong_master_key',
          `the master key does not open the ${described[use]} of tenant ${tenant}: ` +
            'it is not the key the stored keys were wrapped with',
          { cause: error, tenantId: tenant },
        );
      }
    }
  }
}
