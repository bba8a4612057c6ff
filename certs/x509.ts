import * as x509 from '@peculiar/x509';
import { BoundedMemo } from './memo.ts';
import { decodeBase64, GatewayError, type Clock, type ValidationIssue } from '../core/index.ts';
import { checkSubjectKey } from './key-policy.ts';

/** Largest DER certificate (and largest CSR PEM) the gateway parses; real ones are 0.5–3 KiB. */
export const MAX_CERTIFICATE_BYTES = 16 * 1024;
/** Largest text (PEM or base64) accepted before decoding: 16 KiB of DER plus base64 and headers. */
const MAX_CERTIFICATE_TEXT = 32 * 1024;

/** RFC 5280 extension ids the gateway reads. */
export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  certificatePolicies: '2.5.29.32',
  crlNumber: '2.5.29.20',
  anyExtendedKeyUsage: '2.5.29.37.0',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
} as const;

/** Signature algorithms accepted on certificates a chain is built from (BSI TR-02102-1). */
const ALLOWED_SIGNATURE_NAMES = new Set(['ECDSA', 'RSASSA-PKCS1-v1_5', 'RSA-PSS']);
const ALLOWED_SIGNATURE_HASHES = new Set(['SHA-256', 'SHA-384', 'SHA-512']);

const invalid = (detail: string, message = detail, cause?: unknown): GatewayError =>
  new GatewayError('validation_failed', {
    detail,
    errors: [{ path: '', message }],
    ...(cause === undefined ? {} : { cause }),
  });

/** base64url without padding (RFC 4648 §5), as JOSE uses it. */
export function base64UrlEncode(data: ArrayBuffer | Uint8Array): string {
  return base64Encode(data).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Standard base64 with padding, as PEM bodies and JWS `x5c` use it. */
export function base64Encode(data: ArrayBuffer | Uint8Array): string {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Decodes base64 or base64url, with or without padding and line breaks.
 *
 * @throws GatewayError `validation_failed` if the text is not base64.
 */
export function base64Decode(text: string): Uint8Array<ArrayBuffer> {
  const compact = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw invalid('the text is not base64', 'not base64');
  }
  const bytes = decodeBase64(compact);
  if (bytes === undefined) throw invalid('the text is not base64', 'not base64');
  return bytes;
}

/**
 * Wraps DER in a PEM block (RFC 7468: 64 characters a line).
 *
 * @example
 * ```ts
 * toPem(certificate.rawData, 'CERTIFICATE');
 * ```
 */
export function toPem(der: ArrayBuffer | Uint8Array, label: string): string {
  const body = base64Encode(der)
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/**
 * Takes the one PEM block of the expected label out of a text; text around it (as
 * `openssl x509 -text` writes it) is ignored, a second block is refused so nobody believes the
 * rest of a bundle was read.
 *
 * @throws GatewayError `validation_failed` if there is no such block, more than one, or bad base64.
 */
export function decodePemBlock(text: string, labels: readonly string[]): Uint8Array<ArrayBuffer> {
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  const wanted = labels.join(' or ');
  const [first, ...rest] = blocks;
  if (first === undefined) throw invalid(`expected a PEM block ${wanted}`, 'no PEM block found');
  if (rest.length > 0) {
    throw invalid(
      `expected exactly one PEM block ${wanted}, found ${blocks.length}`,
      'more than one PEM block',
    );
  }
  const [, label = '', body = ''] = first;
  if (!labels.includes(label)) {
    throw invalid(
      `expected a PEM block ${wanted}, found ${label}`,
      `unexpected PEM label ${label}`,
    );
  }
  return base64Decode(body);
}

/**
 * Refuses anything that is not exactly one DER SEQUENCE: the ASN.1 parser would otherwise ignore
 * trailing bytes, and two different byte strings must never count as the same certificate.
 */
export function assertSingleDerSequence(der: Uint8Array, what: string): void {
  const fail = (): never => {
    throw invalid(`the ${what} is not DER-encoded`, 'not a single DER SEQUENCE');
  };
  if (der.length < 2 || der[0] !== 0x30) fail();
  const first = der[1] ?? 0;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    // DER forbids the indefinite form (0x80) and nothing here exceeds 4 length octets.
    if (octets === 0 || octets > 4 || der.length < 2 + octets) fail();
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (der[2 + i] ?? 0);
    header = 2 + octets;
  }
  if (header + length !== der.length) fail();
}

/**
 * Parses one X.509 certificate from PEM, from DER bytes, or from base64 DER as a JWS `x5c` entry
 * carries it. Every part the gateway reads later (names, key, extensions) is decoded here, so a
 * malformed certificate is refused once, up front, with `validation_failed`.
 *
 * @throws GatewayError `validation_failed` for anything larger than 16 KiB of DER, not exactly one
 *   certificate, or not parseable.
 * @example
 * ```ts
 * const leaf = parseCertificate(header.x5c[0]);
 * const anchor = parseCertificate(readFileSync('ca.pem', 'utf8')); // (in the CLI)
 * ```
 */
export function parseCertificate(input: string | Uint8Array): x509.X509Certificate {
  // The same certificate text arrives with every request of an agency: parse it once.
  if (typeof input === 'string') {
    const known = parsedCertificates.get(input);
    if (known !== undefined) return known;
    return parsedCertificates.set(input, parseCertificateBytes(input));
  }
  return parseCertificateBytes(input);
}

const parsedCertificates = new BoundedMemo<x509.X509Certificate>();

function parseCertificateBytes(input: string | Uint8Array): x509.X509Certificate {
  const der = certificateBytes(input);
  if (der.length > MAX_CERTIFICATE_BYTES) {
    throw invalid(
      `the certificate is larger than ${MAX_CERTIFICATE_BYTES / 1024} KiB`,
      'certificate too large',
    );
  }
  assertSingleDerSequence(der, 'certificate');
  try {
    const certificate = new x509.X509Certificate(der);
    // Decode every lazily parsed part now, so later code never meets a parser exception.
    const readable =
      certificate.serialNumber.length > 0 &&
      certificate.subjectName.toArrayBuffer().byteLength > 0 &&
      certificate.issuerName.toArrayBuffer().byteLength > 0 &&
      !Number.isNaN(certificate.notBefore.getTime()) &&
      !Number.isNaN(certificate.notAfter.getTime()) &&
      certificate.publicKey.rawData.byteLength > 0 &&
      Object.keys(certificate.signatureAlgorithm).length > 0 &&
      certificate.extensions.length >= 0;
    if (!readable) throw new Error('incomplete certificate');
    return certificate;
  } catch (error) {
    throw invalid('the input is not a readable X.509 certificate', 'not a certificate', error);
  }
}

function certificateBytes(input: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof input === 'string') {
    if (input.length > MAX_CERTIFICATE_TEXT) {
      throw invalid(
        `the certificate is larger than ${MAX_CERTIFICATE_BYTES / 1024} KiB`,
        'certificate too large',
      );
    }
    return input.includes('-----BEGIN')
      ? decodePemBlock(input, ['CERTIFICATE'])
      : base64Decode(input);
  }
  const looksLikePem =
    input.length > 10 && new TextDecoder().decode(input.subarray(0, 64)).includes('-----BEGIN');
  if (looksLikePem) {
    if (input.length > MAX_CERTIFICATE_TEXT) {
      throw invalid(
        `the certificate is larger than ${MAX_CERTIFICATE_BYTES / 1024} KiB`,
        'certificate too large',
      );
    }
    return certificateBytes(new TextDecoder('utf-8', { fatal: false }).decode(input));
  }
  // A copy: the caller's buffer may be a view into something larger, or change later.
  return new Uint8Array(input);
}

/**
 * Checks a certificate before `ca import` trusts it as an anchor for agency certificates: it must
 * be a CA (BasicConstraints cA, keyCertSign if KeyUsage is present), valid now, self-signed with a
 * signature that verifies if it is self-issued (an intermediate of e.g. the administration PKI is
 * accepted as long as it is currently valid), and carry a key the gateway accepts (RSA ≥ 3072 is
 * fine; the German administration PKI uses RSA). All problems found are listed in `errors`.
 *
 * @throws GatewayError `validation_failed` with one `errors` entry per problem.
 * @example
 * ```ts
 * const anchor = await importAnchor(pem, systemClock);
 * ```
 */
export async function importAnchor(pem: string, clock: Clock): Promise<x509.X509Certificate> {
  const certificate = parseCertificate(pem);
  const problems: ValidationIssue[] = [];
  const problem = (message: string): void => {
    problems.push({ path: '', message });
  };

  const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca) problem('not a CA certificate: BasicConstraints cA is not set');
  const keyUsage = certificate.getExtension(x509.KeyUsagesExtension);
  if (keyUsage && !(keyUsage.usages & x509.KeyUsageFlags.keyCertSign)) {
    problem('KeyUsage does not allow keyCertSign');
  }

  const now = clock.now().getTime();
  if (now < certificate.notBefore.getTime()) {
    problem(`not yet valid: notBefore is ${certificate.notBefore.toISOString()}`);
  }
  if (now > certificate.notAfter.getTime()) {
    problem(`expired: notAfter was ${certificate.notAfter.toISOString()}`);
  }

  if (isSelfIssued(certificate)) {
    const verified = await certificate.verify({ signatureOnly: true }).catch((): boolean => false);
    if (!verified) problem('the self-signature does not verify');
  }

  try {
    await checkSubjectKey(certificate.publicKey);
  } catch (error) {
    problem(error instanceof GatewayError && error.detail ? error.detail : 'key not allowed');
  }

  const [first] = problems;
  if (first !== undefined) {
    throw new GatewayError('validation_failed', {
      detail: `the certificate cannot be a trust anchor: ${problems.map((p) => p.message).join('; ')}`,
      errors: problems,
    });
  }
  return certificate;
}

/** Byte-wise equality; used on names and key identifiers. */
export function bytesEqual(a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean {
  const left = a instanceof Uint8Array ? a : new Uint8Array(a);
  const right = b instanceof Uint8Array ? b : new Uint8Array(b);
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}

/**
 * Do two distinguished names name the same entity? Equal DER first; otherwise the RFC 4518-ish
 * comparison OpenSSL also makes (case and runs of spaces ignored), because issuers do not always
 * repeat their name in the same string type. Names only choose candidates: signatures decide.
 */
export function namesMatch(a: x509.Name, b: x509.Name): boolean {
  if (bytesEqual(nameDer(a), nameDer(b))) return true;
  return canonicalName(a) === canonicalName(b);
}

// A Name re-encodes itself on every toArrayBuffer(); parsed certificates are memoised, so their
// names are the same objects request after request, and what they encode to is remembered with them.
const encodedNames = new WeakMap<x509.Name, ArrayBuffer>();
const canonicalNames = new WeakMap<x509.Name, string>();

function nameDer(name: x509.Name): ArrayBuffer {
  const known = encodedNames.get(name);
  if (known) return known;
  const der = name.toArrayBuffer();
  encodedNames.set(name, der);
  return der;
}

function canonicalName(name: x509.Name): string {
  const known = canonicalNames.get(name);
  if (known !== undefined) return known;
  const canonical = JSON.stringify(
    name
      .toJSON()
      .map((rdn) =>
        Object.entries(rdn).map(([type, values]) => [
          type,
          values.map((value) => value.trim().replace(/\s+/g, ' ').toLowerCase()),
        ]),
      ),
  );
  canonicalNames.set(name, canonical);
  return canonical;
}

/** A certificate whose subject and issuer are the same name (a root, or a key roll-over). */
export function isSelfIssued(certificate: x509.X509Certificate): boolean {
  return namesMatch(certificate.subjectName, certificate.issuerName);
}

/** Is the certificate's signature made with an algorithm TR-02102-1 still allows? */
export function hasAllowedSignatureAlgorithm(certificate: x509.X509Certificate): boolean {
  const algorithm = certificate.signatureAlgorithm as { name?: unknown; hash?: unknown };
  const hash =
    typeof algorithm.hash === 'string'
      ? algorithm.hash
      : (algorithm.hash as { name?: unknown } | undefined)?.name;
  return (
    typeof algorithm.name === 'string' &&
    ALLOWED_SIGNATURE_NAMES.has(algorithm.name) &&
    typeof hash === 'string' &&
    ALLOWED_SIGNATURE_HASHES.has(hash.toUpperCase())
  );
}

/** The one signature algorithm the gateway's own CA keys sign with: ECDSA with SHA-256 or -384. */
export function caSigningAlgorithm(privateKey: CryptoKey): { name: 'ECDSA'; hash: string } {
  const algorithm = privateKey.algorithm as { name?: unknown; namedCurve?: unknown };
  if (algorithm.name !== 'ECDSA' || privateKey.type !== 'private') {
    throw new GatewayError('internal_error', {
      detail: 'the CA key must be an ECDSA private key',
    });
  }
  return { name: 'ECDSA', hash: algorithm.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256' };
}

/**
 * A distinguished name with every value as UTF8String (RFC 5280 §4.1.2.4), built from structured
 * attributes, so display names with umlauts, commas, `+`, `#` or quotes are values, not syntax.
 */
export function utf8Name(
  attributes: readonly (readonly [oid: string, value: string])[],
): x509.Name {
  return new x509.Name(attributes.map(([oid, value]) => ({ [oid]: [{ utf8String: value }] })));
}

/**
 * The Authority Key Identifier for objects a CA signs: the CA's own SKI where it has one (path
 * builders, OpenSSL included, match the two byte for byte), else the RFC 5280 SHA-1 key hash.
 */
export async function authorityKeyIdentifierFor(
  ca: x509.X509Certificate,
): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = ca.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId, false);
  return x509.AuthorityKeyIdentifierExtension.create(ca.publicKey, false);
}

/**
 * A tenant id as `tenants/` defines it (lower-case slug); repeated here because the id is written
 * into certificates (OU, SAN URI) and certs/ may depend on core/ only.
 */
export const TENANT_ID_PATTERN = /^[a-z][a-z0-9-]{1,62}$/;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** Backdating of notBefore, so relying parties with a slightly slow clock accept new certificates. */
export const CLOCK_SKEW_MS = 5 * MINUTE_MS;
