import { useJoseEngine } from '../certs/index.ts';
import { useHmacSha256, useSha256 } from '../core/index.ts';
import { nodeJoseEngine } from './node-jose.ts';
import { nodeHmacSha256, nodeSha256 } from './node-sha256.ts';

/**
 * Installs `node:crypto` for the gateway's hashes, keyed hashes and JOSE operations, on the
 * calling thread instead of WebCrypto's trips to the thread pool. Every Node entry (the gateway,
 * the CLI, the bench) calls it first, so they all hash and sign as the gateway does; the server
 * then moves the JOSE operations to their own thread (`threadJoseEngine`).
 */
export function useNodeCrypto(): void {
  useSha256(nodeSha256);
  useHmacSha256(nodeHmacSha256);
  useJoseEngine(nodeJoseEngine);
}
