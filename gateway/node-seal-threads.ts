import { Worker } from 'node:worker_threads';
import { sealHere, type JweSealer, type SealJob } from '../exchange/index.ts';

/** Keys a thread keeps before both sides start afresh: a few per recipient office. */
const MAX_KEYS = 10_000;
/**
 * How long a seal may wait for the thread. A seal takes about a millisecond and at most a few
 * dozen wait (load shedding bounds what is in flight); one unanswered this long means the thread
 * is stuck, and an exchange must not wait on it inside its tenant's audit turn.
 */
const TIMEOUT_MS = 10_000;

interface Waiting {
  readonly job: SealJob;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (ciphertext: string) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Signs and seals exchanges' attestations on a worker thread of their own. The gateway's event
 * loop is what limits its rate (`npm run bench`: the main thread at 0.85–0.88 of a core while
 * both cores together stay 28–32 % idle), and an exchange's signature and JWE are about a fifth
 * of its work there: jose's base64 and JSON around each WebCrypto call, and each call's own cost
 * to its caller. On one thread beside the event loop they use the idle core: +18 % at the peak in
 * five interleaved pairs on 2 cores (a second thread made it slower there).
 *
 * The thread starts with the first exchange, so a gateway that sends none never pays for it.
 * Keys go to the thread once each (non-extractable CryptoKeys are cloned, not exported), named by
 * id. Whatever the thread cannot do is done on the event loop instead: a job it answers with an
 * error, and, once it failed to start, exited or left a job unanswered for {@link TIMEOUT_MS},
 * every job it held and every later one (`onFailure` hears why, once). Slower, never wrong.
 */
export function sealThreads(
  options: {
    onFailure?: (error: Error) => void;
    /** The thread's module; tests give one that fails or never answers. */
    script?: URL;
    timeoutMs?: number;
  } = {},
): JweSealer & { close(): Promise<void> } {
  let worker: Worker | undefined;
  let failed = false;
  const given = new Set<string>();
  const waiting = new Map<number, Waiting>();
  let ids = 0;

  /** Settles a job with the event loop's own seal. */
  const sealedHere = (entry: Waiting) => {
    clearTimeout(entry.timer);
    sealHere.seal(entry.job).then(entry.resolve, entry.reject);
  };
  const fail = (error: Error) => {
    if (failed) return;
    failed = true;
    for (const entry of waiting.values()) sealedHere(entry);
    waiting.clear();
    void worker?.terminate();
    options.onFailure?.(error);
  };
  const started = (): Worker => {
    if (worker) return worker;
    const thread = new Worker(options.script ?? new URL('./node-seal-thread.mjs', import.meta.url));
    // The gateway's lifetime is its own: the thread never keeps a stopping process alive.
    thread.unref();
    thread.on('message', (answer: { id: number; ciphertext?: string }) => {
      const entry = waiting.get(answer.id);
      if (!entry) return;
      waiting.delete(answer.id);
      clearTimeout(entry.timer);
      if (answer.ciphertext !== undefined) entry.resolve(answer.ciphertext);
      else sealedHere(entry);
    });
    thread.on('error', fail);
    thread.on('messageerror', fail);
    thread.on('exit', (code) => {
      fail(new Error(`the seal thread exited with ${String(code)}`));
    });
    worker = thread;
    return thread;
  };
  const post = (thread: Worker, id: number, job: SealJob) => {
    const forget = given.size >= MAX_KEYS;
    if (forget) given.clear();
    const { signingKey, recipientKey } = job;
    const fresh = [signingKey.id, recipientKey.id].filter((keyId) => !given.has(keyId));
    thread.postMessage({
      id,
      forget,
      signing: {
        id: signingKey.id,
        kid: signingKey.kid,
        key: fresh.includes(signingKey.id) ? signingKey.key : undefined,
      },
      recipient: {
        id: recipientKey.id,
        alg: recipientKey.alg,
        key: fresh.includes(recipientKey.id) ? recipientKey.key : undefined,
      },
      typ: job.typ,
      payloadJson: job.payloadJson,
    });
    // Only a message that left holds the keys the thread will keep.
    for (const keyId of fresh) given.add(keyId);
  };

  return {
    seal(job: SealJob): Promise<string> {
      if (failed) return sealHere.seal(job);
      return new Promise((resolve, reject) => {
        const id = ids++;
        const timer = setTimeout(() => {
          fail(new Error('the seal thread left a job unanswered'));
        }, options.timeoutMs ?? TIMEOUT_MS);
        const entry: Waiting = { job, timer, resolve, reject };
        try {
          const thread = started();
          waiting.set(id, entry);
          post(thread, id, job);
        } catch (error) {
          waiting.delete(id);
          sealedHere(entry);
          fail(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    async close() {
      failed = true;
      for (const entry of waiting.values()) sealedHere(entry);
      waiting.clear();
      await worker?.terminate();
    },
  };
}
