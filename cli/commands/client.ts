import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CompactSign, compactDecrypt, decodeProtectedHeader, importPKCS8, SignJWT } from 'jose';
import { parseCertificate } from '../../certs/index.ts';
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

/** `token --key FILE --cert FILE [--aud URL]`: a client assertion (RFC 7523) valid for 2 minutes. */
export async function tokenCommand(args: string[], _dataDir: string, io: CliIo): Promise<number> {
  const v = options(args, ['key', 'cert', 'aud'], ['key', 'cert']);
  const certPem = read(v['cert'] ?? '');
  const id = /CN=([^,]+)/.exec(parseCertificate(certPem).subject)?.[1] ?? '';
  const der = certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  const key = await importPKCS8(read(v['key'] ?? ''), 'ES256');
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [der] })
    .setIssuer(id)
    .setSubject(id)
    .setAudience(v['aud'] ?? io.env['GATEWAY_PUBLIC_URL'] ?? 'http://localhost:8787')
    .setIssuedAt()
    .setExpirationTime('2m')
    .setJti(crypto.randomUUID())
    .sign(key);
  io.stdout.write(`${token}\n`);
  return EXIT_OK;
}

/** `sign --key FILE --in MESSAGE.json`: the sender's compact JWS over the message JSON. */
export async function signCommand(args: string[], _dataDir: string, io: CliIo): Promise<number> {
  const v = options(args, ['key', 'in'], ['key', 'in']);
  const message = JSON.parse(read(v['in'] ?? '')) as unknown;
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(message)))
    .setProtectedHeader({ alg: 'ES256' })
    .sign(await importPKCS8(read(v['key'] ?? ''), 'ES256'));
  io.stdout.write(`${jws}\n`);
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
  const key = await importPKCS8(read(v['key'] ?? ''), 'ECDH-ES+A256KW');
  const { plaintext } = await compactDecrypt(fetched.ciphertext, key, {
    keyManagementAlgorithms: ['ECDH-ES+A256KW'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  const attestationJws = new TextDecoder().decode(plaintext);
  const payload = (jws: string) =>
    JSON.parse(
      new TextDecoder().decode(
        Uint8Array.from(
          atob((jws.split('.')[1] ?? '').replaceAll('-', '+').replaceAll('_', '/')),
          (c) => c.charCodeAt(0),
        ),
      ),
    ) as Record<string, unknown>;
  const attestation = payload(attestationJws);
  const senderJws = typeof attestation['senderJws'] === 'string' ? attestation['senderJws'] : '';
  io.stdout.write(
    JSON.stringify(
      {
        gatewayKid: decodeProtectedHeader(attestationJws).kid,
        attestation: { ...attestation, senderJws: undefined },
        message: payload(senderJws),
      },
      null,
      2,
    ) + '\n',
  );
  return EXIT_OK;
}
