import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import type * as x509 from '@peculiar/x509';
import { GatewayError, type Clock } from '../core/index.ts';
import { verifyCertificateChain } from './chain.ts';
import { certificateFingerprint } from './issue.ts';
import { certificateKey, subjectKeyOf } from './memo.ts';
import { CompactJwsRefused, JoseEngineFailed, joseEngine } from './jose-engine.ts';
import { ALLOWED_JWS_ALGORITHMS, jwsAlgorithmsFor } from './key-policy.ts';
import type { AgencyType, PkiStore, PrincipalKind } from './ports.ts';
import { normalizeSerial } from './serial.ts';
import { parseCertificate } from './x509.ts';

/** Who a request comes from, once its client assertion has passed every check. */
export interface AuthenticatedPrincipal {
  readonly tenantId: string;
  readonly id: string;
  readonly kind: PrincipalKind;
  readonly agencyType: AgencyType | null;
  readonly certificateFingerprint: string;
}

export interface AssertionCheck {
  readonly store: PkiStore;
  readonly clock: Clock;
  /** The gateway's public base URL: the only `aud` accepted. */
  readonly audience: string;
}

/** Longest lifetime (exp − iat) of an assertion, and the clock skew tolerated on `iat`/`exp`. */
export const MAX_ASSERTION_LIFETIME_S = 300;
export const CLOCK_SKEW_S = 60;
const MAX_ASSERTION_BYTES = 16 * 1024;
const MAX_CHAIN_LENGTH = 4;

const refuse = (detail: string): GatewayError => new GatewayError('unauthenticated', { detail });

/**
 * Verifies an agency's (or DPO's, or operator's) client assertion in the sense of RFC 7523 and
 * answers the principal it authenticates. The order is deliberate: header rules first (no key is
 * fetched from anywhere the token names), then the certificate (registered, chained to the
 * tenant's anchors, valid now, not revoked), then the signature with an explicit algorithm list,
 * then the claims, and only last the `jti`, so a forged token can never burn a real one's id.
 *
 * @example
 * ```ts
 * const principal = await verifyClientAssertion(bearerToken, { store, clock, audience });
 * ```
 */
export async function verifyClientAssertion(
  token: string,
  check: AssertionCheck,
): Promise<AuthenticatedPrincipal> {
  if (token.length > MAX_ASSERTION_BYTES || token.split('.').length !== 3) {
    throw refuse('the bearer token is not a compact JWS client assertion');
  }
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw refuse('the assertion header cannot be decoded');
  }
  checkHeader(header);

  const { leaf, intermediates, record } = await resolveCertificate(header, check.store);
  if (record.revokedAt !== null) {
    throw new GatewayError('certificate_revoked', { detail: 'the certificate has been revoked' });
  }
  const principal = await check.store.principal(record.tenantId, record.principalId);
  if (!principal) throw refuse('the certificate belongs to no registered principal');

  const now = check.clock.now();
  const anchors = (await check.store.anchors(record.tenantId)).map((anchor) =>
    parseCertificate(anchor.certificatePem),
  );
  await verifyCertificateChain({
    leaf,
    intermediates,
    anchors,
    at: now,
    isRevoked: async (serial, issuer) =>
      check.store.isRevoked(
        record.tenantId,
        await certificateFingerprint(issuer),
        normalizeSerial(serial),
      ),
  });

  const leafPem = leaf.toString('pem');
  const keyInfo = await subjectKeyOf(leafPem, leaf.publicKey).catch(() => {
    throw refuse('the certificate key is of a kind the gateway does not accept');
  });
  const alg = jwsAlgorithmsFor(keyInfo).find((allowed) => allowed === header.alg);
  if (alg === undefined) {
    throw refuse(
      `the algorithm does not fit the certificate key (use ${jwsAlgorithmsFor(keyInfo).join(' or ')})`,
    );
  }
  let payload: Uint8Array;
  try {
    payload = await joseEngine().verify(token, await certificateKey(leafPem, alg), alg);
  } catch (error) {
    if (error instanceof JoseEngineFailed) throw error;
    throw refuse(
      error instanceof CompactJwsRefused && error.reason === 'signature'
        ? 'the signature does not verify with the certificate key'
        : 'the assertion is not a valid signed JWT',
    );
  }
  const { exp, jti } = checkClaims(payload, {
    audience: check.audience,
    principalId: principal.id,
    now: now.getTime() / 1000,
  });

  const fresh = await check.store.useAssertionId(
    record.tenantId,
    principal.id,
    jti,
    new Date((exp + CLOCK_SKEW_S) * 1000).toISOString(),
    now.toISOString(),
  );
  if (!fresh) {
    throw new GatewayError('replayed_assertion', {
      detail: 'this jti was used before; make a new assertion for every request',
    });
  }
  return {
    tenantId: record.tenantId,
    id: principal.id,
    kind: principal.kind,
    agencyType: principal.agencyType,
    certificateFingerprint: record.fingerprint,
  };
}

function checkHeader(header: ProtectedHeaderParameters): void {
  const alg = header.alg;
  if (typeof alg !== 'string' || !(ALLOWED_JWS_ALGORITHMS as readonly string[]).includes(alg)) {
    throw refuse(`algorithm not allowed; use one of ${ALLOWED_JWS_ALGORITHMS.join(', ')}`);
  }
  // Keys named by URL or embedded in the token would let the caller choose what it is checked
  // against; `crit` names extensions the gateway would have to understand, and it knows none;
  // `zip` belongs to JWE only, and a JWS that claims compression is not one a client should send.
  for (const name of ['jku', 'x5u', 'jwk', 'crit', 'zip'] as const) {
    if (name in header) throw refuse(`the "${name}" header is not accepted`);
  }
  const hasX5c = 'x5c' in header;
  const hasKid = 'kid' in header;
  if (hasX5c === hasKid) throw refuse('name the key by exactly one of "x5c" or "kid"');
}

async function resolveCertificate(
  header: ProtectedHeaderParameters,
  store: PkiStore,
): Promise<{
  leaf: x509.X509Certificate;
  intermediates: x509.X509Certificate[];
  record: NonNullable<Awaited<ReturnType<PkiStore['certificateByFingerprint']>>>;
}> {
  if (header.x5c !== undefined) {
    const chain: unknown = header.x5c;
    if (
      !Array.isArray(chain) ||
      chain.length === 0 ||
      chain.length > MAX_CHAIN_LENGTH ||
      !chain.every((entry) => typeof entry === 'string')
    ) {
      throw refuse(`x5c must be 1–${MAX_CHAIN_LENGTH} base64 DER certificates`);
    }
    let certificates: x509.X509Certificate[];
    try {
      certificates = chain.map((entry) => parseCertificate(entry));
    } catch {
      throw refuse('x5c holds something that is not a certificate');
    }
    const [leaf, ...intermediates] = certificates;
    if (!leaf) throw refuse('x5c is empty');
    const record = await store.certificateByFingerprint(await certificateFingerprint(leaf));
    if (!record) throw refuse('the certificate is not registered with this gateway');
    return { leaf, intermediates, record };
  }
  const kid = header.kid;
  // A kid is only ever a lookup key: never a path, URL or query fragment.
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 128) {
    throw refuse('kid must be the certificate fingerprint the gateway knows');
  }
  const record = await store.certificateByFingerprint(kid);
  if (!record) throw refuse('no registered certificate has that kid');
  return { leaf: parseCertificate(record.certificatePem), intermediates: [], record };
}

/**
 * The claims of an assertion whose signature verified (RFC 7523 §3): `iss` and `sub` both the
 * principal, `aud` this gateway, `iat`/`exp` numbers with `exp` not past and at most
 * {@link MAX_ASSERTION_LIFETIME_S} after `iat`, `nbf` (if any) not in the future, and a `jti`.
 * Clock skew of {@link CLOCK_SKEW_S} either way.
 */
function checkClaims(
  payload: Uint8Array,
  expected: { audience: string; principalId: string; now: number },
): { exp: number; jti: string } {
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw refuse('the assertion is not a valid signed JWT');
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw refuse('the assertion is not a valid signed JWT');
  }
  const { iss, sub, aud, iat, exp, nbf, jti } = claims as Record<string, unknown>;
  const invalid = (claim: string) => refuse(`claim ${claim} is missing or invalid`);
  if (iss !== expected.principalId || sub !== expected.principalId) {
    throw refuse('iss and sub must both be the id the certificate was issued to');
  }
  const audiences = Array.isArray(aud) ? (aud as unknown[]) : [aud];
  if (!audiences.includes(expected.audience)) {
    throw refuse(`wrong audience: sign for ${expected.audience}`);
  }
  if (typeof jti !== 'string') throw invalid('jti');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid('exp');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalid('iat');
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) {
    throw invalid('nbf');
  }
  if (nbf !== undefined && nbf > expected.now + CLOCK_SKEW_S) {
    throw refuse('the assertion is not valid yet');
  }
  if (exp <= expected.now - CLOCK_SKEW_S) throw refuse('the assertion has expired');
  if (exp - iat > MAX_ASSERTION_LIFETIME_S) {
    throw refuse(
      `the assertion lives too long: exp may be at most ${MAX_ASSERTION_LIFETIME_S} s after iat`,
    );
  }
  if (iat > expected.now + CLOCK_SKEW_S) throw refuse('iat lies in the future');
  if (jti.length === 0 || jti.length > 128) throw refuse('jti must be 1–128 characters');
  return { exp, jti };
}
