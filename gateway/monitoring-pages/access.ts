import {
  verifyClientAssertion,
  type AssertionCheck,
  type AuthenticatedPrincipal,
  type PkiStore,
} from '../../certs/index.ts';
import { GatewayError, type Clock } from '../../core/index.ts';
import type { RateLimitPolicy, RateLimitStore } from '../rate-limit/index.ts';
import { READER_KINDS, type MonitoringSession, type ReaderKind } from './session.ts';

const isReader = (kind: string): kind is ReaderKind =>
  (READER_KINDS as readonly string[]).includes(kind);

/**
 * Checks a pasted client assertion exactly as the monitoring API checks its bearer token (header,
 * certificate, chain, revocation, signature, claims, single-use `jti`) and answers the principal
 * if it is one that reads monitoring.
 *
 * @throws GatewayError `unauthenticated`, `certificate_revoked` or `replayed_assertion` from the
 *   verification; `forbidden` for a principal of another kind (an office system, an operator).
 */
export async function readerOf(
  token: string,
  check: AssertionCheck,
): Promise<AuthenticatedPrincipal & { kind: ReaderKind }> {
  const principal = await verifyClientAssertion(token, check);
  const { kind } = principal;
  if (!isReader(kind)) {
    throw new GatewayError('forbidden', {
      detail: `monitoring serves ${READER_KINDS.join(' and ')} principals only`,
    });
  }
  return { ...principal, kind };
}

/**
 * Whether a session's principal may still read: it exists, is still of the kind it signed in as,
 * and holds a certificate valid now that is neither marked revoked nor on its issuer's revocation
 * list. Asked on every page, so revoking the certificate ends the session at the next click rather
 * than after eight hours.
 */
export async function stillEntitled(
  pki: PkiStore,
  clock: Clock,
  session: MonitoringSession,
): Promise<boolean> {
  const principal = await pki.principal(session.tenantId, session.principalId);
  if (principal?.kind !== session.kind) return false;
  const now = clock.now().getTime();
  for (const certificate of await pki.certificatesOf(session.tenantId, session.principalId)) {
    if (certificate.revokedAt !== null) continue;
    if (Date.parse(certificate.notBefore) > now || Date.parse(certificate.notAfter) < now) continue;
    const revoked = await pki.isRevoked(
      session.tenantId,
      certificate.issuerFingerprint,
      certificate.serial,
    );
    if (!revoked) return true;
  }
  return false;
}

/**
 * A principal's budget for monitoring pages: the same token bucket and key the API's `audit`
 * class uses, so pages and API share one budget wherever they share a store.
 *
 * @throws GatewayError `rate_limited` with `retryAfter` when the bucket is empty.
 */
export async function takePageBudget(
  limits: {
    readonly store: RateLimitStore;
    readonly policy: RateLimitPolicy;
    readonly clock: Clock;
  },
  session: MonitoringSession,
): Promise<void> {
  const key = JSON.stringify([session.tenantId, session.principalId, 'audit']);
  const decision = await limits.store.take(key, 1, limits.clock.now(), limits.policy);
  if (!decision.allowed) {
    throw new GatewayError('rate_limited', {
      detail: `too many monitoring pages; retry after ${decision.retryAfterSeconds} s`,
      retryAfter: decision.retryAfterSeconds,
    });
  }
}
