import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError, systemClock } from '../core/index.ts';
import { createTenantCa, type TenantCa } from '../certs/ca.ts';
import { verifyCertificateChain } from '../certs/chain.ts';
import { createCrl } from '../certs/crl.ts';
import { issueCertificate, type IssuedCertificate } from '../certs/issue.ts';
import { normalizeSerial } from '../certs/serial.ts';
import { importAnchor, parseCertificate } from '../certs/x509.ts';
import { tempDir } from './support/temp.ts';

/**
 * The agency PKI must agree with OpenSSL, the tool agencies and operators actually hold: keys and
 * CSRs OpenSSL makes are certified by our code, OpenSSL verifies what we issue and applies the CRL
 * we write, and a CA OpenSSL makes can be imported and chains through our verifier. Time is the
 * real clock here, because OpenSSL checks validity against it.
 */

let dir: { path: string; remove(): void };
let ca: TenantCa;
const at = (name: string): string => join(dir.path, name);

/** Runs openssl in the temp dir; throws with its stderr if it fails. */
function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir.path, encoding: 'utf8', stdio: 'pipe' });
}

/** Runs openssl and answers its exit status and everything it printed. */
function opensslResult(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('openssl', args, { cwd: dir.path, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A key and CSR made by OpenSSL itself, as an agency's administrator would. */
function opensslCsr(name: string, keyArgs: readonly string[]): string {
  openssl('genpkey', ...keyArgs, '-out', at(`${name}.key`));
  openssl(
    'req',
    '-new',
    '-key',
    at(`${name}.key`),
    '-subj',
    `/CN=${name}`,
    '-out',
    at(`${name}.csr`),
  );
  return readFileSync(at(`${name}.csr`), 'utf8');
}

async function issue(principalId: string, csrPem: string): Promise<IssuedCertificate> {
  const issued = await issueCertificate({
    ca: { certificate: ca.certificate, privateKey: ca.keys.privateKey },
    csrPem,
    tenantId: 'koeln',
    kind: 'agency',
    principalId,
    clock: systemClock,
  });
  writeFileSync(at(`${principalId}.crt`), issued.pem);
  return issued;
}

beforeAll(async () => {
  dir = tempDir('cgw-openssl-');
  ca = await createTenantCa({
    tenantId: 'koeln',
    displayName: 'Stadt Köln, Bürgeramt',
    clock: systemClock,
  });
  writeFileSync(at('ca.pem'), ca.certificate.toString('pem'));
});

afterAll(() => {
  dir.remove();
});

describe('certificates for OpenSSL-made keys', () => {
  it('certifies an EC P-256 key from `openssl ecparam` and OpenSSL verifies the certificate', async () => {
    openssl('ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', at('ec.key'));
    openssl('req', '-new', '-key', at('ec.key'), '-subj', '/CN=x', '-out', at('ec.csr'));
    const issued = await issue('agency-ec', readFileSync(at('ec.csr'), 'utf8'));
    expect(issued.jwsAlgorithms).toEqual(['ES256']);

    const out = openssl('verify', '-x509_strict', '-CAfile', at('ca.pem'), at('agency-ec.crt'));
    expect(out).toContain('agency-ec.crt: OK');
    // The profile is fit for TLS client authentication too.
    const purpose = openssl(
      'verify',
      '-purpose',
      'sslclient',
      '-CAfile',
      at('ca.pem'),
      at('agency-ec.crt'),
    );
    expect(purpose).toContain('OK');
  });

  it.each([
    ['P-256 from genpkey', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], ['ES256']],
    ['P-384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], ['ES384']],
    ['RSA 3072', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'], ['PS256', 'RS256']],
  ])('certifies an OpenSSL %s key and OpenSSL verifies it', async (_what, keyArgs, algorithms) => {
    const name = `agency-${keyArgs.at(-1)?.replace(/\W/g, '').toLowerCase() ?? 'x'}`;
    const issued = await issue(name, opensslCsr(`${name}-req`, keyArgs));
    expect(issued.jwsAlgorithms).toEqual(algorithms);
    expect(openssl('verify', '-x509_strict', '-CAfile', at('ca.pem'), at(`${name}.crt`))).toContain(
      `${name}.crt: OK`,
    );
  });

  it('refuses an OpenSSL RSA 2048 key', async () => {
    const csrPem = opensslCsr('weak', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
    const error: unknown = await issue('agency-weak', csrPem).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('validation_failed');
    expect((error as GatewayError).detail).toContain('2048');
  });

  it('shows OpenSSL the subject and SAN the gateway chose, not those of the CSR', async () => {
    const issued = await issue(
      'agency-named',
      opensslCsr('named', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']),
    );
    const text = openssl('x509', '-in', at('agency-named.crt'), '-noout', '-text');
    expect(text).toContain('Subject: CN = agency-named');
    expect(text).toContain('URI:urn:consent-gateway:koeln:agency:agency-named');
    expect(text).toContain('TLS Web Client Authentication');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature/);
    expect(text).toContain('Issuer: CN = "Stadt K\\C3\\B6ln, B\\C3\\BCrgeramt Consent Gateway CA"');
    expect(issued.serial).toMatch(/^[0-9a-f]+$/);
  });

  it('reads the serial as `openssl x509 -serial` prints it', async () => {
    const issued = await issue(
      'agency-serial',
      opensslCsr('serial', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']),
    );
    const printed = openssl('x509', '-in', at('agency-serial.crt'), '-serial', '-noout').trim();
    expect(printed).toMatch(/^serial=[0-9A-F]+$/);
    expect(normalizeSerial(printed)).toBe(issued.serial);
    expect(normalizeSerial(printed.replace(/^serial=/, ''))).toBe(issued.serial);
  });

  it('computes the fingerprint OpenSSL computes', async () => {
    const issued = await issue(
      'agency-fp',
      opensslCsr('fp', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']),
    );
    const printed = openssl(
      'x509',
      '-in',
      at('agency-fp.crt'),
      '-noout',
      '-fingerprint',
      '-sha256',
    );
    const hex = printed
      .trim()
      .replace(/^.*Fingerprint=/i, '')
      .replaceAll(':', '');
    expect(Buffer.from(hex, 'hex').toString('base64url')).toBe(issued.fingerprint);
  });
});

describe('revocation list', () => {
  let revoked: IssuedCertificate;
  let kept: IssuedCertificate;

  beforeAll(async () => {
    revoked = await issue(
      'agency-revoked',
      opensslCsr('rev', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']),
    );
    kept = await issue(
      'agency-kept',
      opensslCsr('kept', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']),
    );
    // The operator copies the serial from OpenSSL's output, as `cert revoke --serial` expects.
    const printed = openssl('x509', '-in', at('agency-revoked.crt'), '-serial', '-noout').trim();
    const { pem } = await createCrl({
      ca: { certificate: ca.certificate, privateKey: ca.keys.privateKey },
      revoked: [
        {
          serial: printed.replace(/^serial=/, ''),
          revokedAt: systemClock.now(),
          reason: x509.X509CrlReason.keyCompromise,
        },
      ],
      crlNumber: 3,
      clock: systemClock,
    });
    writeFileSync(at('crl.pem'), pem);
  });

  it('is a CRL OpenSSL reads, with CRL number, AKI and the revoked serial', () => {
    const text = openssl('crl', '-in', at('crl.pem'), '-noout', '-text');
    expect(text).toContain('Version 2');
    expect(text).toMatch(/X509v3 CRL Number:\s+3/);
    expect(text).toContain('X509v3 Authority Key Identifier');
    // openssl prints whole bytes, so a serial with an odd number of hex digits gets a leading 0.
    expect(text).toMatch(new RegExp(`Serial Number: 0?${revoked.serial.toUpperCase()}\\b`));
    expect(text).toContain('Key Compromise');
    expect(text).not.toContain(kept.serial.toUpperCase());
  });

  it('carries a signature OpenSSL verifies with the CA certificate', () => {
    const result = opensslResult('crl', '-in', at('crl.pem'), '-CAfile', at('ca.pem'), '-noout');
    expect(result.status).toBe(0);
    expect(result.output).toContain('verify OK');
  });

  it('makes `openssl verify -crl_check` refuse the revoked certificate', () => {
    const result = opensslResult(
      'verify',
      '-crl_check',
      '-CRLfile',
      at('crl.pem'),
      '-CAfile',
      at('ca.pem'),
      at('agency-revoked.crt'),
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('certificate revoked');
  });

  it('lets `openssl verify -crl_check` accept a certificate that is not revoked', () => {
    const out = openssl(
      'verify',
      '-crl_check',
      '-CRLfile',
      at('crl.pem'),
      '-CAfile',
      at('ca.pem'),
      at('agency-kept.crt'),
    );
    expect(out).toContain('agency-kept.crt: OK');
  });

  it('agrees with the gateway verifier on both certificates', async () => {
    const crl = new x509.X509Crl(readFileSync(at('crl.pem'), 'utf8'));
    const isRevoked = (serial: string): boolean =>
      crl.entries.some((entry) => normalizeSerial(entry.serialNumber) === serial);
    const anchors = [parseCertificate(readFileSync(at('ca.pem'), 'utf8'))];
    const now = systemClock.now();

    await expect(
      verifyCertificateChain({
        leaf: parseCertificate(readFileSync(at('agency-kept.crt'), 'utf8')),
        anchors,
        at: now,
        isRevoked,
      }),
    ).resolves.toBeDefined();
    const error: unknown = await verifyCertificateChain({
      leaf: parseCertificate(readFileSync(at('agency-revoked.crt'), 'utf8')),
      anchors,
      at: now,
      isRevoked,
    }).catch((e: unknown) => e);
    expect((error as GatewayError).code).toBe('certificate_revoked');
  });
});

describe('a CA made by OpenSSL', () => {
  it('can be imported and chains an OpenSSL-signed agency certificate', async () => {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:3072',
      '-nodes',
      '-keyout',
      at('ext-ca.key'),
      '-subj',
      '/C=DE/O=Bund/CN=Test Verwaltungs-PKI CA',
      '-days',
      '30',
      '-sha256',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      at('ext-ca.pem'),
    );
    const anchor = await importAnchor(readFileSync(at('ext-ca.pem'), 'utf8'), systemClock);
    expect(anchor.subject).toContain('Test Verwaltungs-PKI CA');

    opensslCsr('ext-leaf', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    writeFileSync(
      at('leaf.ext'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=clientAuth',
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
        '',
      ].join('\n'),
    );
    openssl(
      'x509',
      '-req',
      '-in',
      at('ext-leaf.csr'),
      '-CA',
      at('ext-ca.pem'),
      '-CAkey',
      at('ext-ca.key'),
      '-set_serial',
      '0x00F1E2D3C4B5A697',
      '-days',
      '7',
      '-sha256',
      '-extfile',
      at('leaf.ext'),
      '-out',
      at('ext-leaf.crt'),
    );
    const leaf = parseCertificate(readFileSync(at('ext-leaf.crt')));
    const asked: string[] = [];
    const { path } = await verifyCertificateChain({
      leaf,
      anchors: [ca.certificate, anchor],
      at: systemClock.now(),
      isRevoked: (serial) => {
        asked.push(serial);
        return false;
      },
    });
    expect(path).toHaveLength(2);
    expect(path[1]).toBe(anchor);
    expect(asked).toEqual(['f1e2d3c4b5a697']);
  });

  it('is refused on import when it is not a CA', async () => {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:3072',
      '-nodes',
      '-keyout',
      at('not-ca.key'),
      '-subj',
      '/CN=Not a CA',
      '-days',
      '30',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-out',
      at('not-ca.pem'),
    );
    const error: unknown = await importAnchor(
      readFileSync(at('not-ca.pem'), 'utf8'),
      systemClock,
    ).catch((e: unknown) => e);
    expect((error as GatewayError).code).toBe('validation_failed');
    expect((error as GatewayError).detail).toContain('not a CA certificate');
  });
});
