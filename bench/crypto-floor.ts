/**
 * The crypto floor: how many exchanges per second the four operations of an accepted exchange
 * allow on this machine, on every core (one worker thread per core), with no HTTP and no storage.
 * Done with jose, it is the floor issue 15 defines: the exchange rate over HTTP divided by it is
 * the share of the machine the gateway turns into exchanges. Done with the `node:crypto` engine
 * the Node gateway installs (`gateway/node-jose.ts`), it is the floor of the gateway as it runs.
 *
 * Per exchange: verify the client assertion (`jwtVerify`, ES256), verify the sender's JWS
 * (`compactVerify`, ES256, 4 KiB message), sign the attestation (`CompactSign`, ES256, over the
 * sender's JWS and the decision), encrypt it to the recipient (`CompactEncrypt`,
 * ECDH-ES+A256KW with A256GCM, to the key of its certificate).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface CryptoFloor {
  readonly perSec: number;
  readonly workers: number;
}

/** A worker thread does not inherit `--import tsx`; it loads the TypeScript through tsx's API. */
const WORKER_BOOTSTRAP = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(
  new URL('./crypto-floor-worker.ts', import.meta.url).href,
)}, ${JSON.stringify(import.meta.url)}))`;

/** Runs one worker per core; all warm up first, then all measure together. */
export async function measureCryptoFloor(options: {
  dataDir: string;
  warmupMs: number;
  measureMs: number;
  engine: 'jose' | 'node';
}): Promise<CryptoFloor> {
  const workers = availableParallelism();
  const results = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<{ done: number; seconds: number }>((resolve, reject) => {
          const worker = new Worker(WORKER_BOOTSTRAP, {
            eval: true,
            workerData: { ...options, inFlight: 4 },
          });
          worker.on('message', (message: unknown) => {
            if (message === 'ready') return;
            resolve(message as { done: number; seconds: number });
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
  const perSec = results.reduce((sum, r) => sum + r.done / r.seconds, 0);
  return { perSec, workers };
}
