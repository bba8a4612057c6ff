import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { clientAssertion, jwsPayload, openJweEnvelope, signMessage } from '../agency-side.ts';
import { EXIT_OK, UsageError, type CliIo } from '../io.ts';

/*
 * What an agency system does, as commands, for trying the gateway out (README walk-through) and
 * for integrators to compare against: make a client assertion, sign a message, open an envelope.
 * They touch no data dir; keys are EC P-256 PKCS#8 PEM files.
 */

const read = (path: string): string => readFileSync(path, 'utf8');

function options(
  args: string[],
  names: string[],
  required: string[],
): Record<string, string | undefined> {
  const { values } = parseArgs({
    args,
    options: Object.fromEntries([...names, 'data'].map((n) => [n, { type: 'string' as const }])),
    strict: true,
    allowPositionals: false,
  });
  for (const name of required)
    if (values[name] === undefined) throw new UsageError(`--${name} is required`);
  return values;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/**
 * The gateway a token is for when --aud is not given: the public URL the gateway started in this
 * environment answers to, as its configuration derives it (GATEWAY_PUBLIC_URL, else localhost on
 * PORT, 8787 when unset), without a trailing slash.
 */
export function defaultAudience(env: CliIo['env']): string {
  const url =
    nonEmpty(env['GATEWAY_PUBLIC_URL']) ?? `http://localhost:${nonEmpty(env['PORT']) ?? '8787'}`;
  return url.replace(/\/+$/, '');
}

/**
 * `token --key FILE --cert FILE [--aud URL]`: a client assertion (RFC 7523) valid for 2 minutes,
 * for --aud or else the gateway running in this environment (`defaultAudience`).
 */
export async function tokenCommand(args: string[], _dataDir: string, io: CliIo): Promise<number> {
  const v = options(args, ['key', 'cert', 'aud'], ['key', 'cert']);
  const token = await clientAssertion({
    keyPem: read(v['key'] ?? ''),
    certificatePem: read(v['cert'] ?? ''),
    audience: v['aud'] ?? defaultAudience(io.env),
  });
  io.stdout.write(`${token}\n`);
  return EXIT_OK;
}

/** `sign --key FILE --in MESSAGE.json`: the sender's compact JWS over the message JSON. */
export async function signCommand(args: string[], _dataDir: string, io: CliIo): Promise<number> {
  const v = options(args, ['key', 'in'], ['key', 'in']);
  const message = JSON.parse(read(v['in'] ?? '')) as unknown;
  io.stdout.write(`${await signMessage(read(v['key'] ?? ''), message)}\n`);
  return EXIT_OK;
}

/**
 * `open --key FILE --in FETCHED.json`: decrypts a JWE envelope (the answer of GET /v1/mailbox/{id})
 * with the recipient's key and prints the gateway's attestation with the sender's message.
 * Signatures are not checked here: verify them against /.well-known/jwks.json and the sender's
 * certificate in production code.
 */
export async function openCommand(args: string[], _dataDir: string, io: CliIo): Promise<number> {
  const v = options(args, ['key', 'in'], ['key', 'in']);
  const fetched = JSON.parse(read(v['in'] ?? '')) as { envelope?: string; ciphertext?: string };
  if (fetched.envelope !== 'jwe' || typeof fetched.ciphertext !== 'string') {
    throw new UsageError('--in must hold a fetched message with a jwe envelope');
  }
  const attestationJws = await openJweEnvelope(read(v['key'] ?? ''), fetched.ciphertext);
  const attestation = jwsPayload(attestationJws);
  const senderJws = typeof attestation['senderJws'] === 'string' ? attestation['senderJws'] : '';
  io.stdout.write(
    JSON.stringify(
      {
        gatewayKid: decodeProtectedHeader(attestationJws).kid,
        attestation: { ...attestation, senderJws: undefined },
        message: jwsPayload(senderJws),
      },
      null,
      2,
    ) + '\n',
  );
  return EXIT_OK;
}
