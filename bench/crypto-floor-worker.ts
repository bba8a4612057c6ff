/**
 * One core's share of the crypto floor (see `crypto-floor.ts`): the four operations of an
 * accepted exchange in a loop, with no HTTP and no storage, either with jose (the floor issue 15
 * defines) or with the `node:crypto` engine the Node gateway installs. Keys are the demo
 * agencies' own (read from the gateway's data dir), imported once.
 */
import 'reflect-metadata';
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
import { nodeJoseEngine } from '../gateway/node-jose.ts';
import { demoAgency } from '../test/support/demo-agency.ts';
import { PUBLIC_URL } from './gateway.ts';
import { MESSAGE_TYPE, planMessage, PURPOSE, RECIPIENT, SENDER } from './exchange-request.ts';

const { dataDir, warmupMs, measureMs, inFlight, engine } = workerData as {
  dataDir: string;
  engine: 'jose' | 'node';
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

/** The attestation's claims: the same shape as the gateway's. */
const attestationOf = (senderJws: string) =>
  encoder.encode(
    JSON.stringify({
      senderJws,
      consentId: 'cs_0123456789abcdef',
      consentVersion: 1,
      policyVersion: '2026-11-25.2 0123456789abcdef',
      auditSeq: 1,
      acceptedAt: new Date().toISOString(),
      messageType: MESSAGE_TYPE,
      purpose: PURPOSE,
      categories: ['employment_history'],
    }),
  );

/** The same four operations with the Node gateway's engine (claims read as the gateway reads them). */
async function nodeExchange(slot: { token: string; payload: string }): Promise<void> {
  const claims = JSON.parse(
    new TextDecoder().decode(await nodeJoseEngine.verify(slot.token, senderKey, 'ES256')),
  ) as { aud?: unknown };
  if (claims.aud !== PUBLIC_URL) throw new Error('aud');
  JSON.parse(
    new TextDecoder().decode(await nodeJoseEngine.verify(slot.payload, senderKey, 'ES256')),
  );
  const attestation = await nodeJoseEngine.sign(
    attestationOf(slot.payload),
    { alg: 'ES256', kid: 'bench', typ: 'exchange-attestation+jwt' },
    gatewayKey,
  );
  await nodeJoseEngine.encrypt(
    encoder.encode(attestation),
    { alg: 'ECDH-ES+A256KW', cty: 'JWT' },
    recipientKey,
  );
}

async function exchange(slot: { token: string; payload: string }): Promise<void> {
  if (engine === 'node') return nodeExchange(slot);
  await jwtVerify(slot.token, senderKey, {
    algorithms: ['ES256'],
    audience: PUBLIC_URL,
    issuer: SENDER,
    subject: SENDER,
    requiredClaims: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti'],
  });
  const { payload } = await compactVerify(slot.payload, senderKey, { algorithms: ['ES256'] });
  JSON.parse(new TextDecoder().decode(payload));
  const attestation = await new CompactSign(attestationOf(slot.payload))
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
