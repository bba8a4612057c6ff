import * as x509 from '@peculiar/x509';
import { GatewayError, sha256Bytes, type Clock, type ValidationIssue } from '../core/index.ts';
import { checkSubjectKey, jwsAlgorithmsFor } from './key-policy.ts';
import { normalizeSerial, randomSerial } from './serial.ts';
import {
  CLOCK_SKEW_MS,
  DAY_MS,
  MAX_CERTIFICATE_BYTES,
  OID,
  TENANT_ID_PATTERN,
  assertSingleDerSequence,
  authorityKeyIdentifierFor,
  base64UrlEncode,
  caSigningAlgorithm,
  decodePemBlock,
  toPem,
  utf8Name,
} from './x509.ts';

/** Who a certificate belongs to: an agency system, a data-protection officer, an operator. */
export type PrincipalKind = 'agency' | 'dpo' | 'operator' | 'monitor';
export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['agency', 'dpo', 'operator', 'monitor'];

/** Principal ids are written into CN and the SAN URI; a slug keeps both unambiguous. */
export const PRINCIPAL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;

const URI_PREFIX = 'urn:consent-gateway:';
const PRINCIPAL_URI_PATTERN =
  /^urn:consent-gateway:([a-z][a-z0-9-]{1,62}):(agency|dpo|operator|monitor):([a-z0-9][a-z0-9._-]{1,62})$/;

const DEFAULT_VALIDITY_DAYS = 365;
/** The CA/B Forum's former ceiling for subscriber certificates; longer makes revocation matter more. */
const MAX_VALIDITY_DAYS = 825;
const CSR_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'] as const;

export interface IssueCertificateInput {
  readonly ca: { readonly certificate: x509.X509Certificate; readonly privateKey: CryptoKey };
  /** PKCS#10 request in PEM, e.g. from `openssl req -new`. Only its key is used. */
  readonly csrPem: string;
  readonly tenantId: string;
  readonly kind: PrincipalKind;
  readonly principalId: string;
  readonly clock: Clock;
  /** Lifetime in days; default 365, at most 825. Never beyond the CA's own notAfter. */
  readonly validityDays?: number;
}

export interface IssuedCertificate {
  readonly certificate: x509.X509Certificate;
  readonly pem: string;
  /** Normalised hex: lower case, no leading zeros. */
  readonly serial: string;
  /** base64url SHA-256 of the DER, i.e. the JWS `x5t#S256` and the `kid` an assertion may name. */
  readonly fingerprint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The JWS algorithms the certified key may sign client assertions with. */
  readonly jwsAlgorithms: readonly string[];
}

/**
 * Issues a principal's client certificate from its CSR. The CSR proves possession of the key (its
 * self-signature must verify) and supplies nothing else: the gateway decides the identity —
 * subject `CN=<principalId>`, SAN URI `urn:consent-gateway:<tenant>:<kind>:<principalId>` — and the
 * profile: KeyUsage digitalSignature (critical), ExtendedKeyUsage clientAuth, BasicConstraints
 * cA false (critical), subject and authority key identifiers, a random 128-bit serial, notBefore
 * five minutes back for clock skew, signed ECDSA with SHA-256 by the tenant CA.
 *
 * @throws GatewayError `validation_failed` for an unreadable or oversized CSR, a CSR whose
 *   signature does not verify, a key outside the policy (see `checkSubjectKey`), a malformed tenant
 *   or principal id, a validity outside 1–825 days, or a CA that is not valid now.
 * @throws GatewayError `internal_error` if the CA key does not belong to the CA certificate.
 * @example
 * ```ts
 * const issued = await issueCertificate({
 *   ca: { certificate: caCert, privateKey: caKey },
 *   csrPem, tenantId: 'koeln', kind: 'agency', principalId: 'auslaenderbehoerde', clock,
 * });
 * await writeFile(out, issued.pem);
 * ```
 */
export async function issueCertificate(input: IssueCertificateInput): Promise<IssuedCertificate> {
  const { ca, tenantId, kind, principalId, clock } = input;
  const validityDays = input.validityDays ?? DEFAULT_VALIDITY_DAYS;
  const problems: ValidationIssue[] = [];
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    problems.push({ path: '/tenantId', message: 'must be a lower-case slug (a-z, 0-9, -)' });
  }
  if (!PRINCIPAL_KINDS.includes(kind)) {
    problems.push({ path: '/kind', message: `must be one of ${PRINCIPAL_KINDS.join(', ')}` });
  }
  if (!PRINCIPAL_ID_PATTERN.test(principalId)) {
    problems.push({
      path: '/principalId',
      message:
        'must be 2–63 characters of a-z, 0-9, ".", "_", "-", starting with a letter or digit',
    });
  }
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) {
    problems.push({
      path: '/validityDays',
      message: `must be a whole number from 1 to ${MAX_VALIDITY_DAYS}`,
    });
  }
  if (problems.length > 0) {
    throw new GatewayError('validation_failed', {
      detail: `cannot issue the certificate: ${problems.map((p) => `${p.path.slice(1)} ${p.message}`).join('; ')}`,
      errors: problems,
    });
  }

  const csr = parseCsr(input.csrPem);
  const verified = await csr.verify().catch((): boolean => false);
  if (!verified) {
    throw new GatewayError('validation_failed', {
      detail: 'the CSR signature does not verify',
      errors: [{ path: '/csr', message: 'signature does not verify' }],
    });
  }
  const keyInfo = await checkSubjectKey(csr.publicKey);

  const now = clock.now().getTime();
  if (now < ca.certificate.notBefore.getTime() || now > ca.certificate.notAfter.getTime()) {
    throw new GatewayError('validation_failed', {
      detail: `the CA certificate is not valid now (valid ${ca.certificate.notBefore.toISOString()} to ${ca.certificate.notAfter.toISOString()})`,
    });
  }
  const signingAlgorithm = caSigningAlgorithm(ca.privateKey);
  const notAfter = Math.min(now + validityDays * DAY_MS, ca.certificate.notAfter.getTime());

  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: utf8Name([[OID.commonName, principalId]]),
    issuer: ca.certificate.subjectName,
    notBefore: new Date(now - CLOCK_SKEW_MS),
    notAfter: new Date(notAfter),
    publicKey: csr.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
      new x509.SubjectAlternativeNameExtension(
        [{ type: 'url', value: principalUri(tenantId, kind, principalId) }],
        false,
      ),
      await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
      await authorityKeyIdentifierFor(ca.certificate),
    ],
  });

  // A CA key from the wrong slot would yield certificates nobody can verify; catch it here.
  const signedByCa = await certificate
    .verify({ publicKey: ca.certificate.publicKey, signatureOnly: true })
    .catch((): boolean => false);
  if (!signedByCa) {
    throw new GatewayError('internal_error', {
      detail: 'the CA private key does not belong to the CA certificate',
    });
  }

  return {
    certificate,
    pem: toPem(certificate.rawData, 'CERTIFICATE'),
    serial: normalizeSerial(certificate.serialNumber),
    fingerprint: await certificateFingerprint(certificate),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    jwsAlgorithms: jwsAlgorithmsFor(keyInfo),
  };
}

/**
 * The SAN URI naming a principal. The tenant is part of it so a certificate of one tenant can never
 * name a principal of another, even if both CAs were trusted somewhere.
 *
 * @throws GatewayError `validation_failed` if a part is malformed (it would make the URI ambiguous).
 * @example
 * ```ts
 * principalUri('koeln', 'agency', 'jobcenter-koeln'); // 'urn:consent-gateway:koeln:agency:jobcenter-koeln'
 * ```
 */
export function principalUri(tenantId: string, kind: PrincipalKind, principalId: string): string {
  const uri = `${URI_PREFIX}${tenantId}:${kind}:${principalId}`;
  if (!PRINCIPAL_URI_PATTERN.test(uri)) {
    throw new GatewayError('validation_failed', {
      detail: 'tenant id, principal kind or principal id is malformed',
      errors: [{ path: '', message: 'cannot form a principal URI' }],
    });
  }
  return uri;
}

/**
 * Reads the principal a certificate names in its SAN URI (`urn:consent-gateway:…`).
 *
 * @returns the principal, or `undefined` if the certificate names none in the gateway's namespace
 *   (e.g. one from an imported CA, known by its registration instead).
 * @throws GatewayError `validation_failed` if it claims the namespace with a malformed URI or names
 *   more than one principal: such a certificate must not be guessed about.
 */
export function parsePrincipalUri(
  cert: x509.X509Certificate,
): { tenantId: string; kind: PrincipalKind; principalId: string } | undefined {
  const uris = cert
    .getExtensions(x509.SubjectAlternativeNameExtension)
    .flatMap((extension) => extension.names.items)
    .filter((name) => name.type === 'url' && name.value.toLowerCase().startsWith(URI_PREFIX))
    .map((name) => name.value);
  const distinct = [...new Set(uris)];
  const [uri, ...others] = distinct;
  if (uri === undefined) return undefined;
  if (others.length > 0) {
    throw new GatewayError('validation_failed', {
      detail: 'the certificate names more than one consent-gateway principal',
    });
  }
  const match = PRINCIPAL_URI_PATTERN.exec(uri);
  const [, tenantId, kind, principalId] = match ?? [];
  if (tenantId === undefined || principalId === undefined || !isPrincipalKind(kind)) {
    throw new GatewayError('validation_failed', {
      detail: 'the certificate carries a malformed consent-gateway principal URI',
    });
  }
  return { tenantId, kind, principalId };
}

/**
 * The certificate's fingerprint as JOSE names it (`x5t#S256`, RFC 7515 §4.1.8): base64url of the
 * SHA-256 of its DER, without padding. The gateway uses it as a certificate's `kid`, too.
 *
 * @example
 * ```ts
 * const kid = await certificateFingerprint(issued.certificate); // 43 characters
 * ```
 */
export async function certificateFingerprint(cert: x509.X509Certificate): Promise<string> {
  const known = fingerprints.get(cert);
  if (known !== undefined) return known;
  const fingerprint = base64UrlEncode(await sha256Bytes(new Uint8Array(cert.rawData)));
  fingerprints.set(cert, fingerprint);
  return fingerprint;
}

// Parsed certificates are memoised (parseCertificate), so the same object comes back for the same
// bytes, and its fingerprint can live as long as it does.
const fingerprints = new WeakMap<x509.X509Certificate, string>();

function isPrincipalKind(value: unknown): value is PrincipalKind {
  return PRINCIPAL_KINDS.some((kind) => kind === value);
}

function parseCsr(pem: string): x509.Pkcs10CertificateRequest {
  if (pem.length > MAX_CERTIFICATE_BYTES) {
    throw new GatewayError('validation_failed', {
      detail: `the CSR is larger than ${MAX_CERTIFICATE_BYTES / 1024} KiB`,
      errors: [{ path: '/csr', message: 'too large' }],
    });
  }
  const der = decodePemBlock(pem, CSR_LABELS);
  assertSingleDerSequence(der, 'CSR');
  try {
    const csr = new x509.Pkcs10CertificateRequest(der);
    // Decode key and algorithm now: a parser exception later would escape as a 500.
    if (
      csr.publicKey.rawData.byteLength === 0 ||
      Object.keys(csr.signatureAlgorithm).length === 0
    ) {
      throw new Error('incomplete CSR');
    }
    return csr;
  } catch (error) {
    throw new GatewayError('validation_failed', {
      detail: 'the input is not a readable PKCS#10 certificate request',
      errors: [{ path: '/csr', message: 'not a PKCS#10 request' }],
      cause: error,
    });
  }
}
