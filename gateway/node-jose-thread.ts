import { Worker } from 'node:worker_threads';
import { CompactJwsRefused, JoseEngineFailed, type JoseEngine } from '../certs/index.ts';
import type { JoseCall, JoseReply } from './node-jose-worker.ts';
import { startWithYoungGeneration } from './thread-heap.ts';

/**
 * The `node:crypto` engine on a thread of its own, so the event loop hands an exchange's four
 * JOSE operations (both verifications, the attestation's signature, the seal) to the second core
 * instead of computing them between requests. The answers are `nodeJose`'s, computed there; only
 * where they are computed changes.
 *
 * Each key crosses to the thread once (a `CryptoKey` is cloned, never exported, so
 * non-extractable keys stay so) and is known there by a number until the key is collected here.
 * Should the thread die, the calls it held fail with `JoseEngineFailed` (the request answers 500
 * and may be retried; it is never taken for a bad token) and the next call starts a new thread.
 */
export function threadJoseEngine(): JoseEngine & { close(): Promise<void> } {
  let thread: JoseThread | undefined;
  const current = () =>
    (thread ??= new JoseThread((stopped) => {
      if (thread === stopped) thread = undefined;
    }));
  return {
    verify: (jws, key, alg) =>
      current().call({ op: 'verify', args: [jws, alg] }, key) as Promise<Uint8Array>,
    sign: (payload, header, key) =>
      current().call({ op: 'sign', args: [payload, header] }, key) as Promise<string>,
    encrypt: (plaintext, header, key) =>
      current().call({ op: 'encrypt', args: [plaintext, header] }, key) as Promise<string>,
    async close() {
      const closing = thread;
      thread = undefined;
      await closing?.close();
    },
  };
}

// The gateway's TypeScript runs through tsx, whose loader a new thread does not inherit (and
// Node 20 takes no --import for a worker): the thread registers it before loading its module.
const BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(
    new URL('./node-jose-worker.ts', import.meta.url).href,
  )}); })`;

// What dies young on the thread (strings and buffers of one call) is small and short-lived: a
// young generation of 2 × 8 MB holds the peak's with room; see thread-heap.ts for why it is set.
const THREAD_SEMI_SPACE_MB = 8;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

class JoseThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #keyIds = new WeakMap<CryptoKey, number>();
  readonly #forget = new FinalizationRegistry<number>((keyId) => {
    this.#worker.postMessage({ forget: keyId });
  });
  #nextCall = 0;
  #nextKey = 0;

  constructor(onExit: (thread: JoseThread) => void) {
    this.#worker = startWithYoungGeneration(
      THREAD_SEMI_SPACE_MB,
      () => new Worker(BOOTSTRAP, { eval: true }),
    );
    // Never what keeps the process alive: the server is.
    this.#worker.unref();
    this.#worker.on('message', (reply: JoseReply) => {
      this.#settle(reply);
    });
    const stopped = (error: Error) => {
      onExit(this);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    this.#worker.once('error', (error) => {
      stopped(new JoseEngineFailed(`the JOSE thread failed: ${error.message}`));
    });
    this.#worker.once('exit', (code) => {
      stopped(new JoseEngineFailed(`the JOSE thread stopped (exit code ${String(code)})`));
    });
  }

  call(operands: Omit<JoseCall, 'id' | 'keyId' | 'key'>, key: CryptoKey): Promise<unknown> {
    const id = this.#nextCall++;
    let keyId = this.#keyIds.get(key);
    const message = { ...operands, id, keyId: keyId ?? this.#nextKey } as JoseCall;
    if (keyId === undefined) {
      keyId = this.#nextKey++;
      this.#keyIds.set(key, keyId);
      this.#forget.register(key, keyId);
      message.key = key;
    }
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #settle(reply: JoseReply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    if ('value' in reply) pending.resolve(reply.value);
    else if (reply.refused !== undefined) pending.reject(new CompactJwsRefused(reply.refused));
    else if (reply.typeError) pending.reject(new TypeError(reply.message));
    else pending.reject(new Error(reply.message));
  }
}
