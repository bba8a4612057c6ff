import type * as x509 from '@peculiar/x509';
import { importJWK, importX509, type JWK } from 'jose';
import { checkSubjectKey, type SubjectKeyInfo } from './key-policy.ts';

/**
 * A small bounded memo for work whose answer depends only on immutable bytes: parsing a
 * certificate, importing its public key, checking a signature over fixed bytes with a fixed key.
 * Every request of an agency carries the same certificate, and parsing and importing it again
 * each time was most of the cost of authentication. Time-dependent checks (validity dates,
 * revocation) are never memoised; only facts about bytes are.
 *
 * Oldest entries go first once `max` is reached, so a flood of different certificates costs a
 * fixed amount of memory.
 */
export class BoundedMemo<V> {
  readonly #entries = new Map<string, V>();
  readonly #max: number;

  constructor(max = 1000) {
    this.#max = max;
  }

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): V {
    if (this.#entries.size >= this.#max && !this.#entries.has(key)) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
    return value;
  }

  /** The memoised value of `key`, computing it once; failures are not remembered. */
  async getOrCompute(key: string, compute: () => Promise<V>): Promise<V> {
    const found = this.#entries.get(key);
    if (found !== undefined) return found;
    return this.set(key, await compute());
  }
}

const certificateKeys = new BoundedMemo<CryptoKey>();

/**
 * The public key of a certificate (PEM) for one JOSE algorithm, imported once: jose's
 * `importX509` parses the certificate anew on every call.
 */
export function certificateKey(pem: string, alg: string): Promise<CryptoKey> {
  return certificateKeys.getOrCompute(`${alg}|${pem}`, () => importX509(pem, alg));
}

const encryptionKeys = new BoundedMemo<CryptoKey>();

/**
 * A recipient's registered encryption key (its JWK as stored) for one JOSE algorithm, imported
 * once, like a certificate's key: an engine may keep what it learnt about a key by the key object
 * (the Node engine's thread is sent each new key), so the same key must stay the same object.
 */
export function encryptionKey(jwk: string, alg: string): Promise<CryptoKey> {
  return encryptionKeys.getOrCompute(
    `${alg}|${jwk}`,
    async () => (await importJWK(JSON.parse(jwk) as JWK, alg)) as CryptoKey,
  );
}

const subjectKeys = new BoundedMemo<SubjectKeyInfo>();

/**
 * What `checkSubjectKey` finds a certificate's key to be, found once per certificate: it exports
 * the key through WebCrypto to inspect it, and that was about 45 % of an assertion's verification.
 * A key the policy refuses is not remembered, so it is refused anew each time.
 */
export function subjectKeyOf(pem: string, publicKey: x509.PublicKey): Promise<SubjectKeyInfo> {
  return subjectKeys.getOrCompute(pem, () => checkSubjectKey(publicKey));
}
