import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, GatewayError } from '../core/index.ts';
import { createTenantCa, type TenantCa } from './ca.ts';
import { verifyCertificateChain, type ChainCheckInput } from './chain.ts';
import { issueCertificate, type IssuedCertificate } from './issue.ts';

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

const newKeys = async (): Promise<CryptoKeyPair> =>
  crypto.subtle.generateKey(ES256, true, ['sign', 'verify']);

async function csr(keys?: CryptoKeyPair): Promise<string> {
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=agency',
    keys: keys ?? (await newKeys()),
    signingAlgorithm: ES256,
  });
  return request.toString('pem');
}

interface Made {
  readonly certificate: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
}

/** A certificate with a hand-picked profile, for shapes the gateway itself never issues. */
async function makeCertificate(options: {
  name: string;
  issuer?: Made;
  extensions: x509.Extension[];
  notBefore?: Date;
  notAfter?: Date;
  signingAlgorithm?: { name: string; hash: string };
}): Promise<Made> {
  const keys = await newKeys();
  const issuer = options.issuer;
  const certificate = await x509.X509CertificateGenerator.create({
    subject: options.name,
    issuer: issuer ? issuer.certificate.subjectName : options.name,
    publicKey: keys.publicKey,
    signingKey: issuer ? issuer.keys.privateKey : keys.privateKey,
    signingAlgorithm: options.signingAlgorithm ?? ES256,
    notBefore: options.notBefore ?? new Date(clock.now().getTime() - DAY),
    notAfter: options.notAfter ?? new Date(clock.now().getTime() + 365 * DAY),
    extensions: options.extensions,
  });
  return { certificate, keys };
}

const caExtensions = (pathLength?: number) => [
  new x509.BasicConstraintsExtension(true, pathLength, true),
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
];
const leafExtensions = () => [
  new x509.BasicConstraintsExtension(false, undefined, true),
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
  new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
];

let ca: TenantCa;
let caMade: Made;
let agency: IssuedCertificate;

const issueFrom = (issuer: TenantCa, overrides: { principalId?: string; csrPem?: string } = {}) =>
  issueCertificate({
    ca: { certificate: issuer.certificate, privateKey: issuer.keys.privateKey },
    csrPem: overrides.csrPem ?? '',
    tenantId: 'koeln',
    kind: 'agency',
    principalId: overrides.principalId ?? 'jobcenter-koeln',
    clock,
  });

beforeAll(async () => {
  ca = await createTenantCa({ tenantId: 'koeln', displayName: 'Stadt Köln', clock });
  caMade = ca;
  agency = await issueFrom(ca, { csrPem: await csr() });
});

const check = (overrides: Partial<ChainCheckInput> = {}) =>
  verifyCertificateChain({
    leaf: agency.certificate,
    anchors: [ca.certificate],
    at: clock.now(),
    isRevoked: () => false,
    ...overrides,
  });

describe('verifyCertificateChain', () => {
  it('accepts a certificate the tenant CA issued and answers the path', async () => {
    const result = await check();
    expect(result.anchor).toBe(ca.certificate);
    expect(result.path).toEqual([agency.certificate, ca.certificate]);
  });

  it('finds the right anchor among several', async () => {
    const other = await createTenantCa({ tenantId: 'bonn', displayName: 'Bonn', clock });
    const result = await check({ anchors: [other.certificate, ca.certificate] });
    expect(result.anchor).toBe(ca.certificate);
  });

  it('asks about revocation with the normalised serial and the issuer', async () => {
    const asked: [string, x509.X509Certificate][] = [];
    await check({
      isRevoked: (serial, issuer) => {
        asked.push([serial, issuer]);
        return false;
      },
    });
    expect(asked).toEqual([[agency.serial, ca.certificate]]);
  });

  it('refuses a certificate from a CA the tenant does not trust', async () => {
    const other = await createTenantCa({ tenantId: 'bonn', displayName: 'Bonn', clock });
    const error = await refusal(check({ anchors: [other.certificate] }));
    expect(error.code).toBe('unauthenticated');
    expect(error.detail).toBe('certificate chain does not lead to a trusted CA');
  });

  it('refuses a look-alike CA with the same name but another key', async () => {
    const twin = await createTenantCa({ tenantId: 'koeln', displayName: 'Stadt Köln', clock });
    expect(twin.certificate.subject).toBe(ca.certificate.subject);
    const forged = await issueFrom(twin, { csrPem: await csr() });
    const error = await refusal(check({ leaf: forged.certificate }));
    expect(error.code).toBe('unauthenticated');
    expect(error.detail).toBe('certificate chain does not lead to a trusted CA');
  });

  it('refuses when there are no anchors at all', async () => {
    const error = await refusal(check({ anchors: [] }));
    expect(error.detail).toBe('certificate chain does not lead to a trusted CA');
  });

  it('refuses an expired certificate', async () => {
    const error = await refusal(check({ at: new Date(agency.notAfter.getTime() + 1000) }));
    expect(error.code).toBe('unauthenticated');
    expect(error.detail).toBe('certificate expired');
    expect(error.reasons?.[0]?.message).toContain('leaf');
  });

  it('refuses a certificate that is not yet valid', async () => {
    const error = await refusal(check({ at: new Date(agency.notBefore.getTime() - 1000) }));
    expect(error.code).toBe('unauthenticated');
    expect(error.detail).toBe('certificate not yet valid');
  });

  it('accepts the certificate at the edges of its validity', async () => {
    await expect(check({ at: agency.notBefore })).resolves.toBeDefined();
    await expect(check({ at: agency.notAfter })).resolves.toBeDefined();
  });

  it('refuses once the anchor itself has expired, even if the leaf has not', async () => {
    const root = await makeCertificate({
      name: 'CN=Old Root',
      extensions: caExtensions(),
      notBefore: new Date(clock.now().getTime() - 400 * DAY),
      notAfter: new Date(clock.now().getTime() - DAY),
    });
    const leaf = await makeCertificate({
      name: 'CN=a',
      issuer: root,
      extensions: leafExtensions(),
    });
    const error = await refusal(check({ leaf: leaf.certificate, anchors: [root.certificate] }));
    expect(error.code).toBe('unauthenticated');
    expect(error.detail).toBe('certificate expired');
    expect(error.reasons?.[0]?.message).toContain('trust anchor');
  });

  it('refuses a revoked certificate with certificate_revoked', async () => {
    const error = await refusal(check({ isRevoked: (serial) => serial === agency.serial }));
    expect(error.code).toBe('certificate_revoked');
    expect(error.detail).toBe('certificate revoked');
  });

  it('waits for an asynchronous revocation answer', async () => {
    const error = await refusal(check({ isRevoked: () => Promise.resolve(true) }));
    expect(error.code).toBe('certificate_revoked');
  });

  it('passes a store failure through unchanged', async () => {
    const failure = new GatewayError('storage_unavailable');
    const error = await refusal(check({ isRevoked: () => Promise.reject(failure) }));
    expect(error).toBe(failure);
  });

  describe('with an intermediate CA', () => {
    let root: Made;
    let intermediate: Made;
    let leaf: Made;

    beforeAll(async () => {
      root = await makeCertificate({ name: 'CN=Root', extensions: caExtensions() });
      intermediate = await makeCertificate({
        name: 'CN=Intermediate',
        issuer: root,
        extensions: caExtensions(0),
      });
      leaf = await makeCertificate({
        name: 'CN=agency',
        issuer: intermediate,
        extensions: leafExtensions(),
      });
    });

    it('builds leaf → intermediate → anchor and checks revocation of both', async () => {
      const asked: string[] = [];
      const result = await check({
        leaf: leaf.certificate,
        intermediates: [intermediate.certificate],
        anchors: [root.certificate],
        isRevoked: (_serial, issuer) => {
          asked.push(issuer.subject);
          return false;
        },
      });
      expect(result.path).toEqual([leaf.certificate, intermediate.certificate, root.certificate]);
      expect(result.anchor).toBe(root.certificate);
      expect(asked).toEqual(['CN=Intermediate', 'CN=Root']);
    });

    it('ignores offered certificates that do not belong to the path', async () => {
      const result = await check({
        leaf: leaf.certificate,
        intermediates: [agency.certificate, ca.certificate, intermediate.certificate],
        anchors: [root.certificate],
      });
      expect(result.path).toHaveLength(3);
    });

    it('refuses without the intermediate', async () => {
      const error = await refusal(check({ leaf: leaf.certificate, anchors: [root.certificate] }));
      expect(error.detail).toBe('certificate chain does not lead to a trusted CA');
    });

    it('refuses a revoked intermediate', async () => {
      const error = await refusal(
        check({
          leaf: leaf.certificate,
          intermediates: [intermediate.certificate],
          anchors: [root.certificate],
          isRevoked: (_serial, issuer) => issuer === root.certificate,
        }),
      );
      expect(error.code).toBe('certificate_revoked');
      expect(error.reasons?.[0]?.message).toContain('intermediate');
    });

    it('refuses an expired intermediate', async () => {
      const old = await makeCertificate({
        name: 'CN=Intermediate',
        issuer: root,
        extensions: caExtensions(0),
        notAfter: new Date(clock.now().getTime() - DAY),
      });
      const child = await makeCertificate({
        name: 'CN=agency',
        issuer: old,
        extensions: leafExtensions(),
      });
      const error = await refusal(
        check({
          leaf: child.certificate,
          intermediates: [old.certificate],
          anchors: [root.certificate],
        }),
      );
      expect(error.detail).toBe('certificate expired');
      expect(error.reasons?.[0]?.message).toContain('intermediate');
    });

    it('refuses an intermediate below a CA whose pathLen is 0 (the tenant CA)', async () => {
      const subCa = await makeCertificate({
        name: 'CN=Sub',
        issuer: caMade,
        extensions: caExtensions(),
      });
      const child = await makeCertificate({
        name: 'CN=agency',
        issuer: subCa,
        extensions: leafExtensions(),
      });
      const error = await refusal(
        check({ leaf: child.certificate, intermediates: [subCa.certificate] }),
      );
      expect(error.code).toBe('unauthenticated');
      expect(error.reasons?.[0]?.code).toBe('path_length');
    });
  });

  it('refuses a chain through a certificate that is not a CA', async () => {
    // An agency signs a certificate for someone else with its own (non-CA) key.
    const agencyKeys = await newKeys();
    const agencyCert = await issueFrom(ca, {
      principalId: 'rogue-agency',
      csrPem: await csr(agencyKeys),
    });
    const forged = await makeCertificate({
      name: 'CN=victim',
      issuer: { certificate: agencyCert.certificate, keys: agencyKeys },
      extensions: leafExtensions(),
    });
    const error = await refusal(
      check({ leaf: forged.certificate, intermediates: [agencyCert.certificate] }),
    );
    expect(error.code).toBe('unauthenticated');
    expect(error.reasons?.[0]?.code).toBe('issuer_not_ca');
  });

  it('refuses an issuer whose KeyUsage does not allow certificate signing', async () => {
    const root = await makeCertificate({
      name: 'CN=Root',
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ],
    });
    const leaf = await makeCertificate({
      name: 'CN=a',
      issuer: root,
      extensions: leafExtensions(),
    });
    const error = await refusal(check({ leaf: leaf.certificate, anchors: [root.certificate] }));
    expect(error.reasons?.[0]?.code).toBe('issuer_key_usage');
  });

  it('refuses a CA certificate presented as the leaf', async () => {
    const error = await refusal(check({ leaf: ca.certificate }));
    expect(error.code).toBe('unauthenticated');
    expect(error.detail).toBe('a CA certificate cannot authenticate a principal');
  });

  it('refuses a leaf whose KeyUsage lacks digitalSignature', async () => {
    const leaf = await makeCertificate({
      name: 'CN=a',
      issuer: caMade,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyEncipherment, true)],
    });
    const error = await refusal(check({ leaf: leaf.certificate }));
    expect(error.detail).toBe('the certificate may not be used for digital signatures');
  });

  it('accepts a leaf without KeyUsage and ExtendedKeyUsage', async () => {
    const leaf = await makeCertificate({ name: 'CN=a', issuer: caMade, extensions: [] });
    await expect(check({ leaf: leaf.certificate })).resolves.toBeDefined();
  });

  it('refuses a leaf meant for TLS servers only', async () => {
    const leaf = await makeCertificate({
      name: 'CN=a',
      issuer: caMade,
      extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])],
    });
    const error = await refusal(check({ leaf: leaf.certificate }));
    expect(error.detail).toBe('the certificate may not be used for client authentication');
  });

  it('refuses a leaf with a critical extension it does not understand', async () => {
    const leaf = await makeCertificate({
      name: 'CN=a',
      issuer: caMade,
      extensions: [
        ...leafExtensions(),
        new x509.Extension('1.2.3.4.5', true, new Uint8Array([5, 0])),
      ],
    });
    const error = await refusal(check({ leaf: leaf.certificate }));
    expect(error.reasons?.[0]?.code).toBe('unknown_critical_extension');
  });

  it('refuses a certificate signed with SHA-1', async () => {
    const leaf = await makeCertificate({
      name: 'CN=a',
      issuer: caMade,
      extensions: leafExtensions(),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-1' },
    });
    const error = await refusal(check({ leaf: leaf.certificate }));
    expect(error.detail).toBe('certificate signed with an algorithm the gateway does not accept');
  });

  it('refuses a flood of offered intermediates', async () => {
    const error = await refusal(check({ intermediates: Array(9).fill(ca.certificate) }));
    expect(error.code).toBe('unauthenticated');
  });
});
