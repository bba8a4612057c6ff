import type { DecryptOptions } from 'openpgp';
import {
  CompactSign,
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  importPKCS8,
  importX509,
} from 'jose';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agencyAddArgs,
  assertionFor,
  randomMasterKeyHex,
  type TestPrincipal,
} from './support/pki.ts';
import { projectRoot, run, startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/**
 * A recipient system decrypts and verifies with standard tools alone: python3-jwcrypto with its
 * openssl-made key for JWE envelopes, GnuPG for OpenPGP envelopes; jose checks the gateway's JWS
 * against the JWKS and the sender's JWS against the sender's certificate. Real server process.
 */
const dir = tempDir();
const env = { GATEWAY_MASTER_KEY: randomMasterKeyHex(), GATEWAY_DATA_DIR: join(dir.path, 'data') };
const file = (name: string) => join(dir.path, name);
const gnupg = file('gnupg');
let gw: GatewayProcess;
const agencies: Record<string, TestPrincipal> = {};

const openssl = (...args: string[]) =>
  execFileSync('openssl', args, { cwd: dir.path, stdio: 'pipe' });
/** GnuPG, asynchronously: a `spawnSync` while the gateway runs would stall fetch's connection pool. */
const gpg = (args: string[], options: { input?: string } = {}) =>
  run(
    'gpg',
    [
      '--homedir',
      gnupg,
      '--batch',
      '--no-tty',
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      ...args,
    ],
    { ...options, env: { LC_ALL: 'C' } },
  );

async function agency(
  id: string,
  type: string,
  extra: string[] = [],
  key: 'P-256' | 'RSA-3072' = 'P-256',
): Promise<TestPrincipal> {
  openssl(
    'genpkey',
    '-algorithm',
    key === 'RSA-3072' ? 'RSA' : 'EC',
    '-pkeyopt',
    key === 'RSA-3072' ? 'rsa_keygen_bits:3072' : 'ec_paramgen_curve:P-256',
    '-out',
    file(`${id}.key`),
  );
  const alg = key === 'RSA-3072' ? 'PS256' : 'ES256';
  openssl(
    'req',
    '-new',
    '-key',
    file(`${id}.key`),
    '-subj',
    `/CN=${id}`,
    '-out',
    file(`${id}.csr`),
  );
  const result = await run(
    'cli/bin.mjs',
    [
      ...agencyAddArgs({ id: id, type: type, csr: file(`${id}.csr`), out: file(`${id}.crt`) }),
      ...extra,
    ],
    { env },
  );
  expect(result.code, result.stderr).toBe(0);
  const principal: TestPrincipal = {
    tenantId: 'koeln',
    id,
    kind: 'agency',
    certificatePem: readFileSync(file(`${id}.crt`), 'utf8'),
    fingerprint: /kid +(\S+)/.exec(result.stdout)?.[1] ?? '',
    serial: /serial (\w+)/.exec(result.stdout)?.[1] ?? '',
    privateKey: await importPKCS8(
      openssl('pkcs8', '-topk8', '-nocrypt', '-in', file(`${id}.key`)).toString(),
      alg,
    ),
    alg,
  };
  agencies[id] = principal;
  return principal;
}

function agencyOf(id: string): TestPrincipal {
  const principal = agencies[id];
  if (!principal) throw new Error(`no agency ${id}`);
  return principal;
}

const audience = () => `http://localhost:${new URL(gw.baseUrl).port}`;
const as = async (p: TestPrincipal, path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set(
    'Authorization',
    `Bearer ${await assertionFor(p, { audience: audience(), now: new Date() })}`,
  );
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  return fetch(`${gw.baseUrl}${path}`, { ...init, headers });
};

beforeAll(async () => {
  mkdirSync(gnupg, { mode: 0o700 });
  expect((await run('cli/bin.mjs', ['init', '--tenant', 'koeln'], { env })).code).toBe(0);
  // An agency that receives OpenPGP: its key made by GnuPG itself (NIST P-256, v4).
  expect(
    (
      await gpg([
        '--quick-gen-key',
        'Jobcenter PGP <jc-pgp@koeln.invalid>',
        'nistp256',
        'sign',
        'never',
      ])
    ).code,
  ).toBe(0);
  const fpr =
    /fpr:{9}([0-9A-F]{40})/.exec(
      (await gpg(['--with-colons', '--list-secret-keys'])).stdout,
    )?.[1] ?? '';
  expect((await gpg(['--quick-add-key', fpr, 'nistp256', 'encr', 'never'])).code).toBe(0);
  expect((await gpg(['--armor', '--output', file('jc-pgp.asc'), '--export', fpr])).code).toBe(0);
  await agency('abh-koeln', 'immigration_office');
  await agency('jc-koeln', 'jobcenter');
  await agency('jc-pgp', 'jobcenter', ['--pgp-key', file('jc-pgp.asc')]);
  // An agency whose certificate key is RSA-3072: its envelopes are RSA-OAEP-256.
  await agency('jc-rsa', 'jobcenter', [], 'RSA-3072');
  gw = await startGateway(env);

  // The person consents to the three Jobcenter systems receiving the notice.
  const created = (await (
    await as(agencyOf('jc-koeln'), '/v1/consent-requests', {
      method: 'POST',
      body: JSON.stringify({
        subject: { scheme: 'azr', value: '000111222333' },
        senders: ['abh-koeln'],
        recipients: ['jc-koeln', 'jc-pgp', 'jc-rsa'],
        purpose: 'labour_market_integration',
        categories: ['residence_status', 'employment_permission'],
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        language: 'tr',
        secondFactor: { type: 'birthDate', value: '1985-05-05' },
      }),
    })
  ).json()) as { id: string; code: string };
  const session = await fetch(`${gw.baseUrl}/v1/portal/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: created.code, secondFactor: '1985-05-05' }),
  });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(
    (
      await fetch(`${gw.baseUrl}/v1/portal/requests/${created.id}/grant`, {
        method: 'POST',
        headers: { Cookie: cookie },
      })
    ).status,
  ).toBe(200);
}, 180_000);

afterAll(async () => {
  spawnSync('gpgconf', ['--homedir', gnupg, '--kill', 'all']);
  await gw.stop();
  dir.remove();
});

const message = {
  residenceTitle: {
    kind: 'aufenthaltserlaubnis',
    legalBasis: '§ 25 Abs. 5 AufenthG',
    validUntil: '2027-10-31',
  },
  employmentPermission: { allowed: true },
};

async function sendTo(recipient: string): Promise<string> {
  const abh = agencyOf('abh-koeln');
  const payload = await new CompactSign(new TextEncoder().encode(JSON.stringify(message)))
    .setProtectedHeader({ alg: 'ES256' })
    .sign(abh.privateKey);
  const res = await as(abh, '/v1/exchanges', {
    method: 'POST',
    body: JSON.stringify({
      recipient,
      subject: { scheme: 'azr', value: '000111222333' },
      purpose: 'labour_market_integration',
      messageType: 'residence_status.notice',
      payload,
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function verifyAttestation(jws: string): Promise<void> {
  const jwks = createLocalJWKSet(
    (await (await fetch(`${gw.baseUrl}/.well-known/jwks.json`)).json()) as { keys: [] },
  );
  const { payload } = await compactVerify(jws, jwks, { algorithms: ['ES256'] });
  const attestation = JSON.parse(new TextDecoder().decode(payload)) as {
    senderJws: string;
    categories: string[];
  };
  expect(attestation.categories).toEqual(['residence_status', 'employment_permission']);
  const abh = agencyOf('abh-koeln');
  const sender = await compactVerify(
    attestation.senderJws,
    await importX509(abh.certificatePem, 'ES256'),
    { algorithms: ['ES256'] },
  );
  expect(JSON.parse(new TextDecoder().decode(sender.payload))).toEqual(message);
}

describe('recipients open envelopes with standard tools', () => {
  it('python3-jwcrypto decrypts the JWE with the openssl-made key', async () => {
    const id = await sendTo('jc-koeln');
    const fetched = (await (await as(agencyOf('jc-koeln'), `/v1/mailbox/${id}`)).json()) as {
      envelope: string;
      ciphertext: string;
    };
    expect(fetched.envelope).toBe('jwe');
    const python = await run(
      '/usr/bin/python3',
      [join(projectRoot, 'test/fixtures/jwcrypto_decrypt.py'), file('jc-koeln.key')],
      { input: fetched.ciphertext },
    );
    expect(python.code, python.stderr).toBe(0);
    const jws = python.stdout;
    await verifyAttestation(jws);
  });

  it('python3-jwcrypto decrypts the RSA-OAEP-256 JWE with the openssl-made RSA-3072 key', async () => {
    const id = await sendTo('jc-rsa');
    const fetched = (await (await as(agencyOf('jc-rsa'), `/v1/mailbox/${id}`)).json()) as {
      envelope: string;
      ciphertext: string;
    };
    expect(fetched.envelope).toBe('jwe');
    expect(decodeProtectedHeader(fetched.ciphertext)).toEqual({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      cty: 'JWT',
    });
    expect(openssl('pkey', '-in', file('jc-rsa.key'), '-noout', '-text').toString()).toContain(
      '3072 bit',
    );
    const python = await run(
      '/usr/bin/python3',
      [join(projectRoot, 'test/fixtures/jwcrypto_decrypt.py'), file('jc-rsa.key')],
      { input: fetched.ciphertext },
    );
    expect(python.code, python.stderr).toBe(0);
    const jws = python.stdout;
    await verifyAttestation(jws);
  });

  it('GnuPG decrypts the OpenPGP envelope and finds the gateway’s signature', async () => {
    const id = await sendTo('jc-pgp');
    const fetched = (await (await as(agencyOf('jc-pgp'), `/v1/mailbox/${id}`)).json()) as {
      envelope: string;
      ciphertext: string;
    };
    expect(fetched.envelope).toBe('openpgp');
    const keyImport = await gpg(['--import'], {
      input: await (await fetch(`${gw.baseUrl}/.well-known/openpgp-key.asc`)).text(),
    });
    expect(keyImport.code, keyImport.stderr).toBe(0);
    const decrypted = await gpg(['--decrypt'], { input: fetched.ciphertext });
    expect(decrypted.code, decrypted.stderr).toBe(0);
    expect(decrypted.stderr).toContain('Good signature');
    await verifyAttestation(decrypted.stdout);

    // And with openpgp.js, insisting on the gateway's signature (expectSigned).
    const secret = (await gpg(['--armor', '--export-secret-keys'])).stdout;
    const openpgp = await import('openpgp');
    // openpgp's result type depends on an uninstalled optional peer; for an armored text it is a string.
    const decryptText = openpgp.decrypt as unknown as (
      options: DecryptOptions,
    ) => Promise<{ data: string }>;
    const gatewayKey = (
      await openpgp.readKey({
        armoredKey: await (await fetch(`${gw.baseUrl}/.well-known/openpgp-key.asc`)).text(),
      })
    ).toPublic();
    const { data } = await decryptText({
      message: await openpgp.readMessage({ armoredMessage: fetched.ciphertext }),
      decryptionKeys: await openpgp.readPrivateKey({ armoredKey: secret }),
      verificationKeys: gatewayKey,
      expectSigned: true,
    });
    await verifyAttestation(data);
  });
});
