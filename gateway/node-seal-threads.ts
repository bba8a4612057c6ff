import { Worker } from 'node:worker_threads';
import { sealHere, type JweSealer, type SealJob } from '../exchange/index.ts';

/** Keys a thread keeps before both sides start afresh: a few per recipient office. */
const MAX_KEYS = 10_000;

interface Waiting {
  resolve(ciphertext: string): void;
  reject(error: Error): void;
}

/**
 * Signs and seals exchanges' attestations on a worker thread of their own. The gateway's event
 * loop is what limits its rate (`npm run bench`: the main thread at 0.85–0.88 of a core while
 * both cores together stay 28–32 % idle), and an exchange's signature and JWE are about a fifth
 * of its work there: jose's base64 and JSON around each WebCrypto call, and each call's own cost
 * to its caller. On one thread beside the event loop they used the idle core: +20 % at the peak
 * in four interleaved pairs on 2 cores (a second thread made it slower there).
 *
 * The thread starts with the first exchange, so a gateway that sends none never pays for it.
 * Keys go to the thread once each (non-extractable CryptoKeys are cloned, not exported), named by
 * id. Should the thread fail, what it held is refused and every later seal is made on the event
 * loop again (`onFailure` hears why): slower, never wrong.
 */
export function sealThreads(
  options: {
    onFailure?: (error: Error) => void;
    /** The thread's module; a test gives one that fails. */
    script?: URL;
  } = {},
): JweSealer & { close(): Promise<void> } {
  let worker: Worker | undefined;
  let failed = false;
  const given = new Set<string>();
  const waiting = new Map<number, Waiting>();
  let ids = 0;

  const fail = (error: Error) => {
    if (failed) return;
    failed = true;
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
    options.onFailure?.(error);
  };
  const started = (): Worker => {
    if (worker) return worker;
    const thread = new Worker(options.script ?? new URL('./node-seal-thread.mjs', import.meta.url));
    // The gateway's lifetime is its own: the thread never keeps a stopping process alive.
    thread.unref();
    thread.on('message', (answer: { id: number; ciphertext?: string; error?: string }) => {
      const entry = waiting.get(answer.id);
      waiting.delete(answer.id);
      if (answer.ciphertext !== undefined) entry?.resolve(answer.ciphertext);
      else entry?.reject(new Error(answer.error ?? 'the seal thread answered nothing'));
    });
    thread.on('error', fail);
    thread.on('exit', (code) => {
      fail(new Error(`the seal thread exited with ${String(code)}`));
    });
    worker = thread;
    return thread;
  };
  /** The key itself the first time the thread sees its id, else only the id. */
  const handOver = (id: string, key: CryptoKey) => {
    if (given.has(id)) return undefined;
    given.add(id);
    return key;
  };

  return {
    seal(job: SealJob): Promise<string> {
      if (failed) return sealHere.seal(job);
      const thread = started();
      const forget = given.size >= MAX_KEYS;
      if (forget) given.clear();
      const id = ids++;
      const { signingKey, recipientKey } = job;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread.postMessage({
          id,
          forget,
          signing: {
            id: signingKey.id,
            kid: signingKey.kid,
            key: handOver(signingKey.id, signingKey.key),
          },
          recipient: {
            id: recipientKey.id,
            alg: recipientKey.alg,
            key: handOver(recipientKey.id, recipientKey.key),
          },
          typ: job.typ,
          payloadJson: job.payloadJson,
        });
      });
    },
    async close() {
      failed = true;
      for (const entry of waiting.values()) entry.reject(new Error('the seal thread was closed'));
      waiting.clear();
      await worker?.terminate();
    },
  };
}
