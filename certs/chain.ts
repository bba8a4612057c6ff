import * as x509 from '@peculiar/x509';
import { GatewayError, type RefusalReason } from '../core/index.ts';
import { normalizeSerial } from './serial.ts';
import { certificateFingerprint } from './issue.ts';
import { BoundedMemo } from './memo.ts';
import { OID, hasAllowedSignatureAlgorithm, isSelfIssued, namesMatch } from './x509.ts';

export interface ChainCheckInput {
  /** The certificate that authenticates (x5c[0], or the one a `kid` names). */
  readonly leaf: x509.X509Certificate;
  /** Further certificates the caller offers, in any order (x5c[1..]); used only if they chain. */
  readonly intermediates?: readonly x509.X509Certificate[];
  /** The tenant's trust anchors: its own CA and any imported ones. */
  readonly anchors: readonly x509.X509Certificate[];
  /** The time to check validity at. No skew is added: the caller decides. */
  readonly at: Date;
  /**
   * Asked once for every certificate below the anchor, with its normalised serial and the
   * certificate that issued it; read fresh from the store, never cached across requests.
   */
  readonly isRevoked: (serial: string, issuer: x509.X509Certificate) => boolean | Promise<boolean>;
}

export interface VerifiedChain {
  readonly anchor: x509.X509Certificate;
  /** leaf, then each issuer in turn, ending with the anchor. */
  readonly path: x509.X509Certificate[];
}

/** Leaf plus at most this many intermediates: the administration PKI needs two, we allow four. */
const MAX_INTERMEDIATES = 4;
const MAX_OFFERED_INTERMEDIATES = 8;

/** Extensions this check understands; any other marked critical makes a certificate unusable. */
const UNDERSTOOD_EXTENSIONS = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extendedKeyUsage,
  OID.subjectAltName,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.certificatePolicies,
]);

const refuse = (detail: string, reasons?: readonly RefusalReason[]): GatewayError =>
  new GatewayError('unauthenticated', { detail, ...(reasons ? { reasons } : {}) });

/**
 * Verifies that a principal's certificate chains to one of the tenant's trust anchors and may be
 * used now. The path is built by name and confirmed by signature at every step (a matching name
 * alone proves nothing); then, for every certificate on it: validity at `at` (anchors included),
 * CA constraints of each issuer (BasicConstraints cA, keyCertSign, pathLen), no unknown critical
 * extension, and revocation through `isRevoked` for all but the anchor. The leaf must not be a CA,
 * must allow digitalSignature if it has KeyUsage and clientAuth if it has ExtendedKeyUsage, and
 * every signature on the path must use ECDSA or RSA with SHA-256 or stronger.
 *
 * @throws GatewayError `unauthenticated` with a `detail` such as
 *   `certificate chain does not lead to a trusted CA`, `certificate expired`,
 *   `certificate not yet valid`, and `reasons` saying which certificate on the path failed.
 * @throws GatewayError `certificate_revoked` if any certificate below the anchor is revoked.
 * @example
 * ```ts
 * const { anchor } = await verifyCertificateChain({
 *   leaf, intermediates, anchors, at: clock.now(),
 *   isRevoked: (serial, issuer) => store.isRevoked(tenantId, fingerprintOf(issuer), serial),
 * });
 * ```
 */
export async function verifyCertificateChain(input: ChainCheckInput): Promise<VerifiedChain> {
  const { leaf, anchors, at } = input;
  const intermediates = input.intermediates ?? [];
  if (intermediates.length > MAX_OFFERED_INTERMEDIATES) {
    throw refuse(`at most ${MAX_OFFERED_INTERMEDIATES} intermediate certificates may be offered`);
  }
  checkLeafProfile(leaf);

  const path = await buildPath(leaf, intermediates, anchors);
  const anchor = path[path.length - 1] ?? leaf;

  path.forEach((certificate, depth) => {
    checkValidity(certificate, depth, path.length, at);
  });
  path.forEach((certificate, depth) => {
    if (depth > 0) checkIssuer(certificate, depth, path);
    if (depth < path.length - 1) checkCriticalExtensions(certificate, depth);
  });

  for (let depth = 0; depth < path.length - 1; depth++) {
    const certificate = path[depth];
    const issuer = path[depth + 1];
    if (!certificate || !issuer) continue;
    if (await input.isRevoked(normalizeSerial(certificate.serialNumber), issuer)) {
      throw new GatewayError('certificate_revoked', {
        detail: 'certificate revoked',
        reasons: [{ code: 'revoked', message: `${describe(depth, path.length)} is revoked` }],
      });
    }
  }
  return { anchor, path };
}

function checkLeafProfile(leaf: x509.X509Certificate): void {
  if (leaf.getExtension(x509.BasicConstraintsExtension)?.ca) {
    throw refuse('a CA certificate cannot authenticate a principal', [
      { code: 'leaf_is_ca', message: 'the leaf certificate has BasicConstraints cA set' },
    ]);
  }
  const keyUsage = leaf.getExtension(x509.KeyUsagesExtension);
  if (keyUsage && !(keyUsage.usages & x509.KeyUsageFlags.digitalSignature)) {
    throw refuse('the certificate may not be used for digital signatures', [
      { code: 'key_usage', message: 'KeyUsage of the leaf lacks digitalSignature' },
    ]);
  }
  const extendedKeyUsage = leaf.getExtension(x509.ExtendedKeyUsageExtension);
  // Typed as OID strings or an OID array; flatten both to plain OIDs.
  const purposes = (extendedKeyUsage?.usages ?? []).flatMap((usage) =>
    typeof usage === 'string' ? [usage] : Array.from(usage),
  );
  if (
    extendedKeyUsage &&
    !purposes.includes(OID.clientAuth) &&
    !purposes.includes(OID.anyExtendedKeyUsage)
  ) {
    throw refuse('the certificate may not be used for client authentication', [
      { code: 'extended_key_usage', message: 'ExtendedKeyUsage of the leaf lacks clientAuth' },
    ]);
  }
}

async function buildPath(
  leaf: x509.X509Certificate,
  intermediates: readonly x509.X509Certificate[],
  anchors: readonly x509.X509Certificate[],
): Promise<x509.X509Certificate[]> {
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth <= MAX_INTERMEDIATES; depth++) {
    if (!hasAllowedSignatureAlgorithm(current)) {
      throw refuse('certificate signed with an algorithm the gateway does not accept', [
        {
          code: 'signature_algorithm',
          message: `${describe(depth, depth + 2)} is not signed with ECDSA or RSA and SHA-256 or stronger`,
        },
      ]);
    }
    const anchor = await findIssuer(current, anchors);
    if (anchor) return [...path, anchor];
    const offered = intermediates.filter((candidate) => !path.includes(candidate));
    const next = await findIssuer(current, offered);
    if (!next) {
      throw refuse('certificate chain does not lead to a trusted CA', [
        {
          code: 'no_issuer',
          message: `no trusted or offered certificate signed ${describe(depth, depth + 2)}`,
        },
      ]);
    }
    path.push(next);
    current = next;
  }
  throw refuse('certificate chain does not lead to a trusted CA', [
    { code: 'path_too_long', message: `more than ${MAX_INTERMEDIATES} intermediates` },
  ]);
}

async function findIssuer(
  certificate: x509.X509Certificate,
  candidates: readonly x509.X509Certificate[],
): Promise<x509.X509Certificate | undefined> {
  for (const candidate of candidates) {
    if (!namesMatch(candidate.subjectName, certificate.issuerName)) continue;
    // A signature over fixed bytes under a fixed key stays valid: remember only that it held.
    const pair = `${await certificateFingerprint(certificate)}|${await certificateFingerprint(candidate)}`;
    if (verifiedIssuers.get(pair) === true) return candidate;
    const signed = await certificate
      .verify({ publicKey: candidate.publicKey, signatureOnly: true })
      .catch((): boolean => false);
    if (signed) {
      verifiedIssuers.set(pair, true);
      return candidate;
    }
  }
  return undefined;
}

const verifiedIssuers = new BoundedMemo<true>();

function checkValidity(
  certificate: x509.X509Certificate,
  depth: number,
  length: number,
  at: Date,
): void {
  const time = at.getTime();
  if (time < certificate.notBefore.getTime()) {
    throw refuse('certificate not yet valid', [
      {
        code: 'not_yet_valid',
        message: `${describe(depth, length)} is valid from ${certificate.notBefore.toISOString()}`,
      },
    ]);
  }
  if (time > certificate.notAfter.getTime()) {
    throw refuse('certificate expired', [
      {
        code: 'expired',
        message: `${describe(depth, length)} expired at ${certificate.notAfter.toISOString()}`,
      },
    ]);
  }
}

function checkIssuer(
  issuer: x509.X509Certificate,
  depth: number,
  path: readonly x509.X509Certificate[],
): void {
  const what = describe(depth, path.length);
  const constraints = issuer.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca) {
    throw refuse('certificate chain does not lead to a trusted CA', [
      { code: 'issuer_not_ca', message: `${what} signed a certificate but is not a CA` },
    ]);
  }
  const keyUsage = issuer.getExtension(x509.KeyUsagesExtension);
  if (keyUsage && !(keyUsage.usages & x509.KeyUsageFlags.keyCertSign)) {
    throw refuse('certificate chain does not lead to a trusted CA', [
      { code: 'issuer_key_usage', message: `${what} may not sign certificates (no keyCertSign)` },
    ]);
  }
  if (constraints.pathLength !== undefined) {
    // RFC 5280 §4.2.1.9: self-issued certificates (key roll-over) do not count.
    const below = path.slice(1, depth).filter((certificate) => !isSelfIssued(certificate)).length;
    if (below > constraints.pathLength) {
      throw refuse('certificate chain does not lead to a trusted CA', [
        {
          code: 'path_length',
          message: `${what} allows ${constraints.pathLength} intermediate CA(s) below it, the path has ${below}`,
        },
      ]);
    }
  }
}

function checkCriticalExtensions(certificate: x509.X509Certificate, depth: number): void {
  const unknown = certificate.extensions.filter(
    (extension) => extension.critical && !UNDERSTOOD_EXTENSIONS.has(extension.type),
  );
  if (unknown.length > 0) {
    throw refuse('the certificate carries a critical extension the gateway does not process', [
      {
        code: 'unknown_critical_extension',
        message: `${describe(depth, depth + 2)} has critical ${unknown.map((e) => e.type).join(', ')}`,
      },
    ]);
  }
}

/** Names a position on the path without naming its subject (details carry no identifiers). */
function describe(depth: number, length: number): string {
  if (depth === 0) return 'the leaf certificate';
  if (depth === length - 1) return 'the trust anchor';
  return `the intermediate CA certificate at depth ${depth}`;
}
