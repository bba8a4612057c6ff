import { createHash } from 'node:crypto';
import type { Sha256 } from '../core/index.ts';

/** `node:crypto`'s SHA-256, for the gateway's small hashes (see `useSha256`). */
export const nodeSha256: Sha256 = (bytes) =>
  new Uint8Array(createHash('sha256').update(bytes).digest());
