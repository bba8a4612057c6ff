import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, GatewayError } from '../core/index.ts';
import { createTenantCa, type TenantCa } from './ca.ts';
import {
  certificateFingerprint,
  issueCertificate,
  parsePrincipalUri,
  principalUri,
  type IssueCertificateInput,
} from './issue.ts';
import { toPem } from './x509.ts';

const clock = new FixedClock('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

/** A CSR as an agency would send it, with a subject the gateway must ignore. */
async function makeCsr(
  algorithm: (EcKeyGenParams | RsaHashedKeyGenParams) & { hash: string } = P256,
  name = 'CN=someone-else, O=Other Org',
): Promise<string> {
  const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys,
    signingAlgorithm: algorithm,
  });
  return csr.toString('pem');
}

let ca: TenantCa;
let caInput: IssueCertificateInput['ca'];
let csrPem: string;

beforeAll(async () => {
  ca = await createTenantCa({ tenantId: 'koeln', displayName: 'Stadt Köln', clock });
  caInput = { certificate: ca.certificate, privateKey: ca.keys.privateKey };
  csrPem = await makeCsr();
});

const issue = (overrides: Partial<IssueCertificateInput> = {}) =>
  issueCertificate({
    ca: caInput,
    csrPem,
    tenantId: 'koeln',
    kind: 'agency',
    principalId: 'jobcenter-koeln',
    clock,
    ...overrides,
  });

describe('issueCertificate', () => {
  it('issues a client certificate with the gateway profile', async () => {
    const issued = await issue();
    const cert = issued.certificate;

    expect(cert.subject).toBe('CN=jobcenter-koeln');
    expect(cert.issuer).toBe(ca.certificate.subject);

    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    expect(san?.names.toJSON()).toEqual([
      { type: 'url', value: 'urn:consent-gateway:koeln:agency:jobcenter-koeln' },
    ]);

    const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
    expect(eku?.usages).toEqual([x509.ExtendedKeyUsage.clientAuth]);

    const keyUsage = cert.getExtension(x509.KeyUsagesExtension);
    expect(keyUsage?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(keyUsage?.critical).toBe(true);

    const constraints = cert.getExtension(x509.BasicConstraintsExtension);
    expect(constraints?.ca).toBe(false);
    expect(constraints?.critical).toBe(true);

    const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
    const csrKeyId = Buffer.from(
      await new x509.Pkcs10CertificateRequest(csrPem).publicKey.getKeyIdentifier(),
    ).toString('hex');
    expect(ski?.keyId).toBe(csrKeyId);

    const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
    expect(aki?.keyId).toBe(ca.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);

    expect(cert.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
    expect(await cert.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true })).toBe(
      true,
    );
  });

  it('uses the key from the CSR and nothing else from it', async () => {
    const issued = await issue();
    const csr = new x509.Pkcs10CertificateRequest(csrPem);
    expect(Buffer.from(issued.certificate.publicKey.rawData)).toEqual(
      Buffer.from(csr.publicKey.rawData),
    );
    expect(issued.certificate.subject).not.toContain('someone-else');
    expect(issued.certificate.subject).not.toContain('Other Org');
  });

  it('backdates notBefore by five minutes and lasts 365 days by default', async () => {
    const issued = await issue();
    expect(issued.notBefore.getTime()).toBe(clock.now().getTime() - 5 * MINUTE);
    expect(issued.notAfter.getTime()).toBe(clock.now().getTime() + 365 * DAY);
    expect(issued.certificate.notAfter).toEqual(issued.notAfter);
  });

  it('never outlives the CA', async () => {
    const shortCa = await createTenantCa({
      tenantId: 'koeln',
      displayName: 'Köln',
      clock,
      validityDays: 10,
    });
    const issued = await issue({
      ca: { certificate: shortCa.certificate, privateKey: shortCa.keys.privateKey },
      validityDays: 825,
    });
    expect(issued.notAfter).toEqual(shortCa.certificate.notAfter);
  });

  it('answers serial, PEM, fingerprint and the JWS algorithms of the key', async () => {
    const issued = await issue();
    expect(issued.serial).toBe(issued.certificate.serialNumber.replace(/^0+/, ''));
    expect(issued.serial).toMatch(/^[1-9a-f][0-9a-f]{0,31}$/);
    expect(Number.parseInt(issued.serial.padStart(32, '0').slice(0, 2), 16)).toBeLessThan(0x80);
    expect(issued.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(new x509.X509Certificate(issued.pem).equal(issued.certificate)).toBe(true);
    const digest = createHash('sha256').update(Buffer.from(issued.certificate.rawData)).digest();
    expect(issued.fingerprint).toBe(digest.toString('base64url'));
    expect(issued.fingerprint).toHaveLength(43);
    expect(issued.jwsAlgorithms).toEqual(['ES256']);
  });

  it('gives every certificate its own serial', async () => {
    const serials = new Set<string>();
    for (let i = 0; i < 20; i++) serials.add((await issue()).serial);
    expect(serials.size).toBe(20);
  });

  it('certifies P-384 and RSA-3072 keys with the matching JWS algorithms', async () => {
    const p384 = await issue({
      csrPem: await makeCsr({ name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' }),
    });
    expect(p384.jwsAlgorithms).toEqual(['ES384']);
    const rsa = await issue({
      csrPem: await makeCsr({
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 3072,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      }),
    });
    expect(rsa.jwsAlgorithms).toEqual(['PS256', 'RS256']);
  });

  it('refuses a CSR whose signature does not verify', async () => {
    const der = new Uint8Array(new x509.Pkcs10CertificateRequest(csrPem).rawData);
    // Flip one letter of the subject inside the signed part: still parseable, no longer signed.
    const at = Buffer.from(der).indexOf(Buffer.from('someone-else'));
    expect(at).toBeGreaterThan(0);
    der[at] = 'S'.charCodeAt(0);
    const tampered = toPem(der, 'CERTIFICATE REQUEST');
    const error = await refusal(issue({ csrPem: tampered }));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toBe('the CSR signature does not verify');
  });

  it('refuses a CSR with a damaged signature value', async () => {
    const der = new Uint8Array(new x509.Pkcs10CertificateRequest(csrPem).rawData);
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0xff;
    const error = await refusal(issue({ csrPem: toPem(der, 'CERTIFICATE REQUEST') }));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toBe('the CSR signature does not verify');
  });

  it('refuses a CSR for an RSA-2048 key', async () => {
    const weak = await makeCsr({
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    });
    const error = await refusal(issue({ csrPem: weak }));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toContain('2048');
  });

  it.each([
    ['not PEM at all', 'hello'],
    [
      'a certificate instead of a CSR',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
    ],
    [
      'garbage inside the PEM',
      '-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----',
    ],
    ['trailing bytes after the DER', 'TRAILING'],
    ['more than 16 KiB', 'HUGE'],
  ])('refuses %s', async (_what, input) => {
    let pem = input;
    if (input === 'TRAILING') {
      const der = new Uint8Array(new x509.Pkcs10CertificateRequest(csrPem).rawData);
      pem = toPem(Uint8Array.from([...der, 0, 0]), 'CERTIFICATE REQUEST');
    }
    if (input === 'HUGE') pem = `${csrPem}\n${' '.repeat(16 * 1024)}`;
    const error = await refusal(issue({ csrPem: pem }));
    expect(error.code).toBe('validation_failed');
  });

  it.each<[string, Partial<IssueCertificateInput>]>([
    ['an upper-case principal id', { principalId: 'Jobcenter' }],
    ['a principal id with a colon', { principalId: 'a:b' }],
    ['a one-character principal id', { principalId: 'a' }],
    ['a malformed tenant id', { tenantId: 'Köln' }],
    ['an unknown kind', { kind: 'admin' as never }],
    ['a validity of 0 days', { validityDays: 0 }],
    ['a validity of 826 days', { validityDays: 826 }],
  ])('refuses %s', async (_what, overrides) => {
    const error = await refusal(issue(overrides));
    expect(error.code).toBe('validation_failed');
    expect(error.errors?.length).toBeGreaterThan(0);
  });

  it('refuses to issue from a CA that has expired', async () => {
    const later = new FixedClock(new Date(clock.now().getTime() + 3651 * DAY));
    const error = await refusal(issue({ clock: later }));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toContain('CA certificate is not valid now');
  });

  it('notices a CA key that does not belong to the CA certificate', async () => {
    const other = await createTenantCa({ tenantId: 'bonn', displayName: 'Bonn', clock });
    const error = await refusal(
      issue({ ca: { certificate: ca.certificate, privateKey: other.keys.privateKey } }),
    );
    expect(error.code).toBe('internal_error');
  });
});

describe('principal URIs', () => {
  it('names tenant, kind and principal', () => {
    expect(principalUri('koeln', 'dpo', 'dsb.mueller')).toBe(
      'urn:consent-gateway:koeln:dpo:dsb.mueller',
    );
  });

  it('refuses parts that would make the URI ambiguous', () => {
    expect(() => principalUri('koeln', 'agency', 'a:b')).toThrow(GatewayError);
    expect(() => principalUri('ko:eln', 'agency', 'ab')).toThrow(GatewayError);
  });

  it('reads back what issueCertificate wrote', async () => {
    const issued = await issue({ kind: 'operator', principalId: 'ops-1' });
    expect(parsePrincipalUri(issued.certificate)).toEqual({
      tenantId: 'koeln',
      kind: 'operator',
      principalId: 'ops-1',
    });
  });

  it('answers undefined for a certificate that names no principal', () => {
    expect(parsePrincipalUri(ca.certificate)).toBeUndefined();
  });

  it('refuses a certificate with a malformed consent-gateway URI', async () => {
    const keys = await crypto.subtle.generateKey(P256, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=x',
      keys,
      signingAlgorithm: P256,
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: 'url', value: 'urn:consent-gateway:koeln:root:x' },
        ]),
      ],
    });
    expect(() => parsePrincipalUri(cert)).toThrow(/malformed/);
  });
});

describe('certificateFingerprint', () => {
  it('is base64url SHA-256 of the DER without padding', async () => {
    const fingerprint = await certificateFingerprint(ca.certificate);
    const expected = createHash('sha256').update(Buffer.from(ca.certificate.rawData)).digest();
    expect(fingerprint).toBe(expected.toString('base64url'));
    expect(fingerprint).not.toMatch(/[=+/]/);
  });
});
