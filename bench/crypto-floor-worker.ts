/**
 * One core's share of the crypto floor (see `crypto-floor.ts`): the four operations of an
 * accepted exchange, with jose as the gateway calls them, in a loop, with no HTTP and no storage.
 * Keys are the demo agencies' own (read from the gateway's data dir), imported once.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import {
  CompactEncrypt,
  CompactSign,
  compactVerify,
  generateKeyPair,
  importSPKI,
  importX509,
  jwtVerify,
} from 'jose';
import { demoAgency } from '../test/support/demo-agency.ts';
import { PUBLIC_URL } from './gateway.ts';
import { MESSAGE_TYPE, planMessage, PURPOSE, RECIPIENT, SENDER } from './exchange-request.ts';

const { dataDir, warmupMs, measureMs, inFlight } = workerData as {
  dataDir: string;
  warmupMs: number;
  measureMs: number;
  inFlight: number;
};

const pem = (id: string, ext: string) =>
  readFileSync(join(dataDir, 'demo', `${id}.${ext}`), 'utf8');
const sender = demoAgency(dataDir, SENDER, PUBLIC_URL);
// The gateway imports the sender's key from its certificate; the same key, from the private PEM.
const senderKey = await importSPKI(
  createPublicKey(pem(SENDER, 'key')).export({ type: 'spki', format: 'pem' }).toString(),
  'ES256',
);
const recipientKey = await importX509(pem(RECIPIENT, 'crt'), 'ECDH-ES+A256KW');
const gatewayKey = (await generateKeyPair('ES256')).privateKey;
const encoder = new TextEncoder();

/** An assertion and message per slot, as the gateway sees a fresh one per request. */
const slots = await Promise.all(
  Array.from({ length: inFlight }, async (_, i) => ({
    token: await sender.token(),
    payload: await sender.sign(planMessage(i)),
  })),
);

async function exchange(slot: { token: string; payload: string }): Promise<void> {
  await jwtVerify(slot.token, senderKey, {
    algorithms: ['ES256'],
    audience: PUBLIC_URL,
    issuer: SENDER,
    subject: SENDER,
    requiredClaims: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti'],
  });
  const { payload } = await compactVerify(slot.payload, senderKey, { algorithms: ['ES256'] });
  JSON.parse(new TextDecoder().decode(payload));
  const attestation = await new CompactSign(
    encoder.encode(
      JSON.stringify({
        senderJws: slot.payload,
        consentId: 'cs_0123456789abcdef',
        consentVersion: 1,
        policyVersion: '2026-11-25.2 0123456789abcdef',
        auditSeq: 1,
        acceptedAt: new Date().toISOString(),
        messageType: MESSAGE_TYPE,
        purpose: PURPOSE,
        categories: ['employment_history'],
      }),
    ),
  )
    .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'exchange-attestation+jwt' })
    .sign(gatewayKey);
  await new CompactEncrypt(encoder.encode(attestation))
    .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT' })
    .encrypt(recipientKey);
}

/** Exchanges done in `ms`, with `inFlight` loops. */
async function run(ms: number): Promise<number> {
  const end = performance.now() + ms;
  let done = 0;
  await Promise.all(
    slots.map(async (slot) => {
      while (performance.now() < end) {
        await exchange(slot);
        done++;
      }
    }),
  );
  return done;
}

await run(warmupMs);
parentPort?.postMessage('ready');
const started = performance.now();
const done = await run(measureMs);
parentPort?.postMessage({ done, seconds: (performance.now() - started) / 1000 });
