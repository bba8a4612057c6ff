import { KeyObject } from 'node:crypto';

const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/**
 * A WebCrypto key as `node:crypto`'s `KeyObject`, made once per key and never exported (the key
 * may be non-extractable).
 */
export function keyObjectOf(key: CryptoKey): KeyObject {
  let found = keyObjects.get(key);
  if (found === undefined) {
    found = KeyObject.from(key);
    keyObjects.set(key, found);
  }
  return found;
}
