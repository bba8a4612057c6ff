import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, GatewayError } from '../core/index.ts';
import { createTenantCa, type TenantCa } from './ca.ts';
import { issueCertificate } from './issue.ts';
import {
  base64Decode,
  base64Encode,
  base64UrlEncode,
  importAnchor,
  namesMatch,
  parseCertificate,
  toPem,
} from './x509.ts';

const clock = new FixedClock('2026-03-02T10:00:00.000Z');
const DAY = 24 * 3_600_000;
const ES256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

function refusalOf(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

let ca: TenantCa;
let der: Uint8Array;
let pem: string;

beforeAll(async () => {
  ca = await createTenantCa({ tenantId: 'koeln', displayName: 'Stadt Köln', clock });
  der = new Uint8Array(ca.certificate.rawData);
  pem = toPem(der, 'CERTIFICATE');
});

describe('parseCertificate', () => {
  it('reads PEM', () => {
    expect(parseCertificate(pem).equal(ca.certificate)).toBe(true);
  });

  it('reads PEM with text around it, as `openssl x509 -text` writes it', () => {
    const text = `Certificate:\n    Data: ...\n${pem}\ntrailing words`;
    expect(parseCertificate(text).equal(ca.certificate)).toBe(true);
  });

  it('reads DER bytes and PEM bytes', () => {
    expect(parseCertificate(der).equal(ca.certificate)).toBe(true);
    expect(parseCertificate(new TextEncoder().encode(pem)).equal(ca.certificate)).toBe(true);
  });

  it('reads base64 DER as a JWS x5c entry carries it', () => {
    expect(parseCertificate(Buffer.from(der).toString('base64')).equal(ca.certificate)).toBe(true);
  });

  it('copies DER input, so later changes to the caller buffer do not reach it', () => {
    const copy = new Uint8Array(der);
    const parsed = parseCertificate(copy);
    copy.fill(0);
    expect(parsed.equal(ca.certificate)).toBe(true);
  });

  it.each<[string, () => string | Uint8Array]>([
    ['an empty string', () => ''],
    ['garbage text', () => 'this is not a certificate'],
    ['hex that the parser might mistake for data', () => 'abcdef'],
    ['base64 of something else', () => Buffer.from('hello world').toString('base64')],
    ['a truncated certificate', () => der.subarray(0, der.length - 10)],
    ['a certificate with trailing bytes', () => Uint8Array.from([...der, 0, 0])],
    ['two PEM blocks', () => `${pem}${pem}`],
    ['a PEM block of another type', () => toPem(der, 'PUBLIC KEY')],
    [
      'a PEM block with broken base64',
      () => '-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----',
    ],
    [
      'a DER SEQUENCE that is no certificate',
      () => Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x00]),
    ],
    [
      'more than 16 KiB of DER',
      () => Uint8Array.from([0x30, 0x82, 0x40, 0x01, ...new Uint8Array(0x4001)]),
    ],
    ['more than 32 KiB of text', () => 'A'.repeat(33 * 1024)],
  ])('refuses %s with validation_failed', (_what, input) => {
    const error = refusalOf(() => parseCertificate(input()));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toBeTruthy();
  });
});

describe('importAnchor', () => {
  it('accepts the tenant CA', async () => {
    const anchor = await importAnchor(pem, clock);
    expect(anchor.equal(ca.certificate)).toBe(true);
  });

  it('accepts an RSA-3072 CA as the administration PKI uses', async () => {
    const keys = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 3072,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    );
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=Verwaltungs-PKI Test-CA, O=Bund, C=DE',
      keys,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      notBefore: new Date(clock.now().getTime() - DAY),
      notAfter: new Date(clock.now().getTime() + 365 * DAY),
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const anchor = await importAnchor(cert.toString('pem'), clock);
    expect(anchor.subject).toContain('Verwaltungs-PKI');
  });

  it('refuses a certificate that is not a CA', async () => {
    const csrKeys = await crypto.subtle.generateKey(ES256, true, ['sign', 'verify']);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=x',
      keys: csrKeys,
      signingAlgorithm: ES256,
    });
    const leaf = await issueCertificate({
      ca: { certificate: ca.certificate, privateKey: ca.keys.privateKey },
      csrPem: csr.toString('pem'),
      tenantId: 'koeln',
      kind: 'agency',
      principalId: 'agency-1',
      clock,
    });
    const error = await refusal(importAnchor(leaf.pem, clock));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toContain('not a CA certificate');
  });

  it('refuses an expired CA and one not yet valid', async () => {
    const late = new FixedClock(new Date(ca.certificate.notAfter.getTime() + 1000));
    expect((await refusal(importAnchor(pem, late))).detail).toContain('expired');
    const early = new FixedClock(new Date(ca.certificate.notBefore.getTime() - 1000));
    expect((await refusal(importAnchor(pem, early))).detail).toContain('not yet valid');
  });

  it('refuses a self-signed CA whose signature does not verify', async () => {
    const tampered = new Uint8Array(der);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
    const error = await refusal(importAnchor(toPem(tampered, 'CERTIFICATE'), clock));
    expect(error.detail).toContain('self-signature does not verify');
  });

  it('refuses a CA with an RSA-2048 key and lists every problem', async () => {
    const keys = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    );
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=Weak CA',
      keys,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      notBefore: new Date(clock.now().getTime() - DAY),
      notAfter: new Date(clock.now().getTime() + DAY),
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ],
    });
    const error = await refusal(importAnchor(cert.toString('pem'), clock));
    expect(error.code).toBe('validation_failed');
    expect(error.errors?.map((issue) => issue.message)).toEqual([
      'KeyUsage does not allow keyCertSign',
      expect.stringContaining('2048 bits'),
    ]);
  });

  it('refuses garbage', async () => {
    expect((await refusal(importAnchor('nonsense', clock))).code).toBe('validation_failed');
  });
});

describe('encoding helpers', () => {
  it('round-trips base64 and base64url', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64Encode(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64UrlEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    expect(base64Decode(base64Encode(bytes))).toEqual(bytes);
    expect(base64Decode(base64UrlEncode(bytes))).toEqual(bytes);
    expect(base64Decode(base64Encode(bytes.subarray(0, 5)))).toEqual(bytes.subarray(0, 5));
  });

  it('refuses text that is not base64', () => {
    expect(refusalOf(() => base64Decode('a$b')).code).toBe('validation_failed');
    expect(refusalOf(() => base64Decode('abcde')).code).toBe('validation_failed');
  });

  it('writes PEM with 64-character lines that OpenSSL and Node read', () => {
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
    expect(lines.slice(1, -2).every((line) => line.length === 64)).toBe(true);
    expect(pem.endsWith('\n')).toBe(true);
  });

  it('matches names regardless of case and repeated spaces', () => {
    expect(
      namesMatch(new x509.Name('CN=Stadt  Köln, O=X'), new x509.Name('CN=stadt köln, O=x')),
    ).toBe(true);
    expect(namesMatch(new x509.Name('CN=Stadt Köln'), new x509.Name('CN=Stadt Bonn'))).toBe(false);
  });
});
