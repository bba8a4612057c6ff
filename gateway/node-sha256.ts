import { createHmac, hash } from 'node:crypto';
import type { HmacSha256, Sha256 } from '../core/index.ts';
import { keyObjectOf } from './node-key-object.ts';

/**
 * `node:crypto`'s SHA-256, for the gateway's small hashes (see `useSha256`). The one-shot
 * `hash()` makes no `Hash` object: each of those is a native object V8 must finalise in the next
 * scavenge, and ten per exchange made a third of every young-generation pause under load.
 */
export const nodeSha256: Sha256 = (bytes) => new Uint8Array(hash('sha256', bytes, 'buffer'));

/**
 * `node:crypto`'s HMAC-SHA256 under a WebCrypto key (see `useHmacSha256`); the key, often
 * non-extractable, is handed to `node:crypto` once and never exported.
 */
export const nodeHmacSha256: HmacSha256 = (key, bytes) =>
  new Uint8Array(createHmac('sha256', keyObjectOf(key)).update(bytes).digest());
