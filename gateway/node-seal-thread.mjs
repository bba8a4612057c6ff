// The seal thread of gateway/node-seal-threads.ts. Plain JavaScript, because a worker thread
// does not inherit the tsx loader the gateway was started with: it registers tsx itself and then
// runs the very signAndSeal the event loop runs without it.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { signAndSeal } = await import('../exchange/seal.ts');

/** Keys by id, as the gateway hands each one over once. */
const keys = new Map();
const known = (id, given) => {
  if (given) keys.set(id, given);
  const key = keys.get(id);
  if (!key) throw new Error('a key the thread was never given');
  return key;
};

parentPort.on('message', (message) => {
  const { id, signing, recipient, typ, payloadJson, forget } = message;
  if (forget) keys.clear();
  let job;
  try {
    job = {
      signingKey: { id: signing.id, kid: signing.kid, key: known(signing.id, signing.key) },
      recipientKey: {
        id: recipient.id,
        alg: recipient.alg,
        key: known(recipient.id, recipient.key),
      },
      typ,
      payloadJson,
    };
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
    return;
  }
  signAndSeal(job).then(
    (ciphertext) => parentPort.postMessage({ id, ciphertext }),
    (error) => parentPort.postMessage({ id, error: String(error) }),
  );
});
