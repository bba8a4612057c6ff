/**
 * The thread behind `threadJoseEngine`: runs each call with `nodeJose` as it arrives and answers
 * with its result or what it refused. Keys arrive once each and are kept by number until the
 * event loop's side forgets them.
 */
import { parentPort } from 'node:worker_threads';
import { CompactJwsRefused, type JoseEngine } from '../certs/jose-engine.ts';
import { nodeJose } from './node-jose.ts';

type Operands = {
  [K in keyof JoseEngine]: { readonly op: K; readonly args: Without<Parameters<JoseEngine[K]>> };
}[keyof JoseEngine];
/** An operation's arguments without its key, which travels beside them. */
type Without<P> = P extends [infer A, CryptoKey, infer B]
  ? readonly [A, B]
  : P extends [infer A, infer B, CryptoKey]
    ? readonly [A, B]
    : never;

export type JoseCall = Operands & {
  readonly id: number;
  readonly keyId: number;
  /** Only on the first call with this key. */
  key?: CryptoKey;
};

export type JoseReply =
  | { readonly id: number; readonly value: unknown }
  | {
      readonly id: number;
      readonly refused?: CompactJwsRefused['reason'];
      readonly typeError?: boolean;
      readonly message: string;
    };

const keys = new Map<number, CryptoKey>();

function run(call: JoseCall): unknown {
  const key = call.key ?? keys.get(call.keyId);
  if (call.key !== undefined) keys.set(call.keyId, call.key);
  if (key === undefined) throw new Error('the JOSE thread does not know this key');
  switch (call.op) {
    case 'verify':
      return nodeJose.verify(call.args[0], key, call.args[1]);
    case 'sign':
      return nodeJose.sign(call.args[0], call.args[1], key);
    case 'encrypt':
      return nodeJose.encrypt(call.args[0], call.args[1], key);
  }
}

function answer(call: JoseCall): JoseReply {
  try {
    return { id: call.id, value: run(call) };
  } catch (error) {
    if (error instanceof CompactJwsRefused) {
      return { id: call.id, refused: error.reason, message: error.message };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { id: call.id, typeError: error instanceof TypeError, message };
  }
}

parentPort?.on('message', (message: JoseCall | { forget: number }) => {
  if ('forget' in message) {
    keys.delete(message.forget);
    return;
  }
  const reply = answer(message);
  const value = 'value' in reply ? reply.value : undefined;
  // A verified payload's bytes move rather than copy.
  parentPort?.postMessage(reply, value instanceof Uint8Array ? [value.buffer as ArrayBuffer] : []);
});
