import {
  constantTimeEqual,
  GatewayError,
  randomBytes,
  sha256,
  toBase64Url,
} from '../core/index.ts';
import type { Assurance } from './assurance.ts';
import { normalizeCode, WITHDRAWAL_CODE_SYMBOLS } from './codes.ts';
import { MAX_SECOND_FACTOR_FAILURES, SESSION_IDLE_MS, type ConsentDeps } from './deps.ts';
import { identityHash, type IdentityInput } from './identity.ts';
import { expireIfPending, type PortalPerson, type TenantSubject } from './portal-access.ts';
import type { PortalAccess, PortalSession, RequestWithState } from './ports.ts';
import { codeHash, secondFactorHash } from './requests.ts';

const wrongCredentials = () =>
  new GatewayError('unauthenticated', { detail: 'the code or the second factor is not right' });
const locked = () => new GatewayError('code_locked', { detail: 'ask the office for a new code' });

/** Keyed hash of a withdrawal code: the code itself is never stored. */
export const withdrawalCodeHash = (deps: ConsentDeps, tenantId: string, code: string) =>
  deps.hasher.hash(tenantId, 'codes', `withdrawal:${code}`);

/**
 * Opens a portal session with the one-time code and the second factor. The session reaches only
 * the code's own request and the consent granted from it. Wrong codes and wrong second factors get
 * the same answer; after five wrong second factors the code is locked. A code whose request is
 * decided is spent (`code_used`): the office that handed it over may know it, so after the
 * decision only the person's withdrawal code or an identity-verified sign-in opens the consent.
 */
export async function openPortalSession(
  deps: ConsentDeps,
  input: { code: string; secondFactor: string },
): Promise<{ token: string; person: PortalPerson }> {
  const code = normalizeCode(input.code);
  if (code === undefined) throw wrongCredentials();
  // Codes carry no tenant, and each tenant keys its hashes with its own secret: look in each.
  let found: RequestWithState | undefined;
  for (const tenant of await deps.tenants.list()) {
    found = await deps.consents.requestByCode(tenant.id, await codeHash(deps, tenant.id, code));
    if (found) break;
  }
  if (!found) throw wrongCredentials();
  const { request } = found;
  const now = deps.clock.now();
  if (found.failedAttempts >= MAX_SECOND_FACTOR_FAILURES) throw locked();
  if (found.current.state === 'approved' || found.current.state === 'declined') {
    throw new GatewayError('code_used', {
      detail:
        'the request is decided; use the withdrawal code, the ID-card sign-in, or ask the office',
    });
  }
  if (found.current.state === 'expired' || request.codeExpiresAt <= now.toISOString()) {
    await expireIfPending(deps, found);
    throw new GatewayError('code_expired', { detail: 'ask the office for a new code' });
  }
  // The attempt is counted before the comparison, atomically with the lock check, so parallel
  // guesses cannot all slip under the limit; a right answer takes its count back.
  const attempt = await deps.consents.reserveAttempt(
    request.id,
    now.toISOString(),
    MAX_SECOND_FACTOR_FAILURES,
  );
  if (attempt === undefined) throw locked();
  const expected = await secondFactorHash(
    deps,
    request.tenantId,
    request.id,
    input.secondFactor.trim(),
  );
  if (!constantTimeEqual(expected, request.secondFactorHash)) {
    const failures = (await deps.consents.request(request.tenantId, request.id))?.failedAttempts;
    if ((failures ?? MAX_SECOND_FACTOR_FAILURES) >= MAX_SECOND_FACTOR_FAILURES) throw locked();
    throw wrongCredentials();
  }
  await deps.consents.releaseAttempt(attempt);
  const access = {
    kind: 'request',
    tenantId: request.tenantId,
    subject: request.subject,
    requestId: request.id,
  } as const;
  return startSession(deps, access, 'portal-code', 'low');
}

/**
 * Opens a session for the one consent whose withdrawal code the person gives: to withdraw it, read
 * its history and download its receipt again. The code has 100 bits, is never locked (withdrawing
 * must stay possible), and failures are throttled per address by the caller.
 */
export async function openWithdrawalSession(
  deps: ConsentDeps,
  input: { withdrawalCode: string },
): Promise<{ token: string; person: PortalPerson }> {
  const code = normalizeCode(input.withdrawalCode, WITHDRAWAL_CODE_SYMBOLS);
  if (code !== undefined) {
    for (const tenant of await deps.tenants.list()) {
      const hash = await withdrawalCodeHash(deps, tenant.id, code);
      const found = await deps.consents.consentByWithdrawalCode(tenant.id, hash);
      if (found === undefined) continue;
      const access = {
        kind: 'consent',
        tenantId: found.consent.tenantId,
        subject: found.consent.subject,
        consentId: found.consent.id,
      } as const;
      return startSession(deps, access, 'portal-code', 'low');
    }
  }
  throw new GatewayError('unauthenticated', { detail: 'the withdrawal code is not right' });
}

/**
 * Opens the person-wide session for an identity the eID provider verified. The subjects are
 * found through the keyed identity hash the offices recorded with their requests; a sign-in that
 * matches nobody opens a session that shows nothing of anyone.
 */
export async function openEidSession(
  deps: ConsentDeps,
  identity: IdentityInput & { assurance: Assurance },
): Promise<{ token: string; person: PortalPerson }> {
  const identities: { tenantId: string; identityHash: string }[] = [];
  for (const tenant of await deps.tenants.list()) {
    identities.push({
      tenantId: tenant.id,
      identityHash: await identityHash(deps, tenant.id, identity),
    });
  }
  return startSession(deps, { kind: 'person', identities }, 'portal-eid', identity.assurance);
}

async function startSession(
  deps: ConsentDeps,
  access: PortalAccess,
  channel: PortalSession['channel'],
  assurance: Assurance,
): Promise<{ token: string; person: PortalPerson }> {
  const token = toBase64Url(randomBytes(32));
  const at = deps.clock.now().toISOString();
  const session = { access, channel, assurance, createdAt: at, lastSeenAt: at };
  await deps.consents.addSession({ tokenHash: await sha256(token), ...session });
  return { token, person: await personOf(deps, session) };
}

/** The person of a session token, if the session exists and was used in the last 30 minutes. */
export async function portalPerson(deps: ConsentDeps, token: string): Promise<PortalPerson> {
  const tokenHash = await sha256(token);
  const session = await deps.consents.session(tokenHash);
  const now = deps.clock.now();
  if (!session) throw new GatewayError('unauthenticated', { detail: 'sign in with your code' });
  if (new Date(session.lastSeenAt).getTime() + SESSION_IDLE_MS <= now.getTime()) {
    await deps.consents.deleteSession(tokenHash);
    throw new GatewayError('unauthenticated', { detail: 'the session has ended; sign in again' });
  }
  await deps.consents.touchSession(tokenHash, now.toISOString());
  return personOf(deps, session);
}

/** Resolves a session's subjects: fixed for a code, looked up anew for a verified identity. */
async function personOf(
  deps: ConsentDeps,
  session: Pick<PortalSession, 'access' | 'channel' | 'assurance'>,
): Promise<PortalPerson> {
  const { access } = session;
  let subjects: TenantSubject[];
  if (access.kind === 'person') {
    subjects = [];
    for (const { tenantId, identityHash: hash } of access.identities) {
      for (const subject of await deps.consents.subjectsByIdentity(tenantId, hash)) {
        subjects.push({ tenantId, subject });
      }
    }
  } else {
    subjects = [{ tenantId: access.tenantId, subject: access.subject }];
  }
  return { access, channel: session.channel, assurance: session.assurance, subjects };
}

export async function endPortalSession(deps: ConsentDeps, token: string): Promise<void> {
  await deps.consents.deleteSession(await sha256(token));
}
