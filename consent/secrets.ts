import { unwrapSecret, wrapSecret } from '../certs/index.ts';
import { hmacSha256, randomBytes, toBase64Url } from '../core/index.ts';
import type { ConsentStore } from './ports.ts';

/** Each purpose has its own secret, so a hash made for one can never be matched against another. */
export type HashPurpose = 'pseudonym' | 'codes' | 'identity';

/**
 * Keyed hashing with per-tenant secrets. Pseudonyms, one-time codes, second factors and the
 * identity an office recorded for eID sign-in are stored only as HMAC-SHA256 under a secret that
 * itself rests wrapped under the master key: a stolen database file alone does not let anyone test
 * guesses against them.
 */
export class TenantHasher {
  readonly #store: ConsentStore;
  readonly #masterKey: CryptoKey;
  readonly #keys = new Map<string, Promise<CryptoKey>>();

  constructor(store: ConsentStore, masterKey: CryptoKey) {
    this.#store = store;
    this.#masterKey = masterKey;
  }

  /** base64url HMAC-SHA256 of `input` under the tenant's secret called `purpose`. */
  async hash(tenantId: string, purpose: HashPurpose, input: string): Promise<string> {
    const key = await this.#key(tenantId, purpose);
    return toBase64Url(await hmacSha256(key, new TextEncoder().encode(input)));
  }

  #key(tenantId: string, purpose: string): Promise<CryptoKey> {
    const id = `${tenantId}/${purpose}`;
    let key = this.#keys.get(id);
    if (!key) {
      key = tenantHmacKey(this.#store, this.#masterKey, tenantId, purpose, ['sign']);
      key.catch(() => this.#keys.delete(id));
      this.#keys.set(id, key);
    }
    return key;
  }
}

/**
 * The tenant's HMAC-SHA256 key called `purpose`, non-extractable: its 32 random bytes rest
 * wrapped under the master key (bound to tenant and purpose) and are made on first use.
 */
export function tenantHmacKey(
  store: Pick<ConsentStore, 'tenantSecret'>,
  masterKey: CryptoKey,
  tenantId: string,
  purpose: string,
  usages: readonly KeyUsage[],
): Promise<CryptoKey> {
  const context = `consent-gateway/${tenantId}/secret/${purpose}`;
  return store
    .tenantSecret(tenantId, purpose, () => wrapSecret(masterKey, randomBytes(32), context))
    .then((wrapped) => unwrapSecret(masterKey, wrapped, context))
    .then((raw) =>
      crypto.subtle.importKey(
        'raw',
        Uint8Array.from(raw),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        [...usages],
      ),
    );
}
