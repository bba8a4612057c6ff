import {
  constantTimeEqual,
  GatewayError,
  randomBytes,
  randomId,
  sha256,
  toBase64Url,
} from '../core/index.ts';
import { SPECIAL_CATEGORIES, type DataCategory, type Language } from '../policies/index.ts';
import { normalizeCode } from './codes.ts';
import { MAX_SECOND_FACTOR_FAILURES, SESSION_IDLE_MS, type ConsentDeps } from './deps.ts';
import { noticeForTerms, noticeHash, type ConsentNotice, type NoticeParty } from './notice.ts';
import type {
  ConsentRecord,
  ConsentRequestRecord,
  ConsentState,
  ConsentWithState,
  RequestWithState,
} from './ports.ts';
import { receiptClaims, RECEIPT_TYP, type ReceiptController } from './receipt.ts';
import { codeHash, secondFactorHash } from './requests.ts';
import { auditSubjectRef } from './subject.ts';

/** The person behind a portal session: one subject in one tenant, nothing else. */
export interface PortalPerson {
  readonly tenantId: string;
  readonly subject: string;
  readonly requestId: string;
}

const wrongCredentials = () =>
  new GatewayError('unauthenticated', { detail: 'the code or the second factor is not right' });

/**
 * Opens a portal session with the one-time code and the second factor. Wrong codes and wrong
 * second factors get the same answer; after five wrong second factors the code is locked.
 * Answers the session token for the cookie; only its hash is stored.
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
  if (found.failedAttempts >= MAX_SECOND_FACTOR_FAILURES) {
    throw new GatewayError('code_locked', { detail: 'ask the office for a new code' });
  }
  if (!(await codeOpensPortal(deps, found, now))) {
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
  if (attempt === undefined) {
    throw new GatewayError('code_locked', { detail: 'ask the office for a new code' });
  }
  const expected = await secondFactorHash(
    deps,
    request.tenantId,
    request.id,
    input.secondFactor.trim(),
  );
  if (!constantTimeEqual(expected, request.secondFactorHash)) {
    const failures = (await deps.consents.request(request.tenantId, request.id))?.failedAttempts;
    if ((failures ?? MAX_SECOND_FACTOR_FAILURES) >= MAX_SECOND_FACTOR_FAILURES) {
      throw new GatewayError('code_locked', { detail: 'ask the office for a new code' });
    }
    throw wrongCredentials();
  }
  await deps.consents.releaseAttempt(attempt);
  const token = toBase64Url(randomBytes(32));
  const person = { tenantId: request.tenantId, subject: request.subject, requestId: request.id };
  await deps.consents.addSession({
    tokenHash: await sha256(token),
    ...person,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
  });
  return { token, person };
}

/**
 * Whether a request's code still opens the portal. A pending request's code works until it
 * expires (14 days by default). Once the person granted, the same code keeps working for as long
 * as the consent runs: the receipt names the portal as the way to withdraw, and withdrawing must
 * stay as easy as granting was, also months later.
 */
async function codeOpensPortal(
  deps: ConsentDeps,
  found: RequestWithState,
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  if (found.current.state === 'pending') return found.request.codeExpiresAt > at;
  if (found.current.state !== 'approved') return found.request.codeExpiresAt > at;
  const consents = await deps.consents.consentsOfSubject(
    found.request.tenantId,
    found.request.subject,
  );
  const granted = consents.find((c) => c.consent.requestId === found.request.id);
  return granted !== undefined && granted.consent.validUntil > at;
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
  return { tenantId: session.tenantId, subject: session.subject, requestId: session.requestId };
}

export async function endPortalSession(deps: ConsentDeps, token: string): Promise<void> {
  await deps.consents.deleteSession(await sha256(token));
}

/** A request of this person (404 for anyone else's, exactly as for one that does not exist). */
export async function personsRequest(
  deps: ConsentDeps,
  person: PortalPerson,
  requestId: string,
): Promise<RequestWithState> {
  const found = await deps.consents.request(person.tenantId, requestId);
  if (found?.request.subject !== person.subject) {
    throw new GatewayError('not_found', { detail: 'no such request' });
  }
  if (
    found.current.state === 'pending' &&
    found.request.codeExpiresAt <= deps.clock.now().toISOString()
  ) {
    await expireIfPending(deps, found);
    return (await deps.consents.request(person.tenantId, requestId)) ?? found;
  }
  return found;
}

/**
 * The notice of a request in any portal language, so a person reads what they agree to in their
 * own language rather than only in the one the office chose. Deterministic: the same request,
 * office names and language give the same text and hash, which the grant then checks.
 */
export async function requestNotice(
  deps: ConsentDeps,
  request: ConsentRequestRecord,
  language: Language,
): Promise<{ notice: ConsentNotice; hash: string }> {
  const parties = new Map<string, NoticeParty>();
  for (const id of [...request.senders, ...request.recipients]) {
    const principal = await deps.pki.principal(request.tenantId, id);
    // Requests name registered agencies only; one without a type is broken data, not a guess.
    if (principal?.agencyType == null) throw new GatewayError('internal_error');
    parties.set(id, { id, name: principal.displayName, agencyType: principal.agencyType });
  }
  const notice = noticeForTerms(request, language, (id) => {
    const party = parties.get(id);
    if (party === undefined) throw new GatewayError('internal_error');
    return party;
  });
  return { notice, hash: await noticeHash(notice) };
}

/** The notice the person read before granting: its language and the hash the portal showed. */
export interface ShownNotice {
  readonly language: Language;
  readonly noticeHash: string;
}

/**
 * The person grants the request: the consent is recorded (version 1, active) together with the
 * request's approval in one transaction, and the person receives a receipt signed by the gateway.
 * With `shown`, the consent records the notice in the language the person read it in; the grant
 * is refused (409 `conflict`) when that text is no longer what the gateway would show, so nobody
 * agrees to a text they did not see.
 */
export async function grantRequest(
  deps: ConsentDeps,
  person: PortalPerson,
  requestId: string,
  shown?: ShownNotice,
): Promise<{ consent: ConsentWithState; receipt: string }> {
  const found = await personsRequest(deps, person, requestId);
  assertPending(found);
  const { request } = found;
  const now = deps.clock.now();
  if (request.validUntil <= now.toISOString()) {
    throw new GatewayError('conflict', { detail: 'the requested validity has already ended' });
  }
  let notice = { language: request.language, hash: request.noticeHash, text: request.noticeText };
  if (shown !== undefined) {
    const current = await requestNotice(deps, request, shown.language);
    if (!constantTimeEqual(current.hash, shown.noticeHash)) {
      throw new GatewayError('conflict', {
        detail: 'the notice changed since it was shown; read it again',
        reasons: [{ code: 'notice_changed', message: 'the text shown is not the current one' }],
      });
    }
    notice = { language: shown.language, hash: current.hash, text: current.notice.text };
  }
  const record: Omit<ConsentRecord, 'receipt'> = {
    id: randomId('cs'),
    tenantId: request.tenantId,
    subject: request.subject,
    requestId: request.id,
    senders: request.senders,
    recipients: request.recipients,
    purpose: request.purpose,
    categories: request.categories,
    validFrom: now.toISOString(),
    validUntil: request.validUntil,
    language: notice.language,
    noticeHash: notice.hash,
    noticeText: notice.text,
    capture: 'portal',
    receiptId: randomId('rc'),
    createdAt: now.toISOString(),
  };
  const special = request.categories.some((c) => SPECIAL_CATEGORIES.includes(c as DataCategory));
  const controllers: ReceiptController[] = [];
  for (const [role, ids] of [
    ['sender', request.senders],
    ['recipient', request.recipients],
  ] as const) {
    for (const id of ids) {
      const principal = await deps.pki.principal(request.tenantId, id);
      controllers.push({
        id,
        name: principal?.displayName ?? id,
        agencyType: principal?.agencyType ?? '',
        role,
      });
    }
  }
  const receipt = await deps.signer.sign(
    request.tenantId,
    receiptClaims({
      consent: { ...record, receipt: '' },
      consentVersion: 1,
      controllers,
      issuer: deps.publicUrl,
      withdrawalUrl: `${deps.publicUrl}/portal/consents`,
      special,
      at: now,
    }),
    RECEIPT_TYP,
  );
  const consent: ConsentRecord = { ...record, receipt };
  const ref = await auditSubjectRef(deps, request.tenantId, request.subject);
  const decided = await deps.audit.record(
    request.tenantId,
    {
      event: 'consent.granted',
      actor: 'subject',
      outcome: 'ok',
      requestId: request.id,
      consentId: consent.id,
      consentVersion: 1,
      purpose: request.purpose,
      categories: request.categories,
      legalBasis: special ? 'GDPR Art. 6(1)(a), Art. 9(2)(a)' : 'GDPR Art. 6(1)(a)',
      ...(ref === undefined ? {} : { subjectRef: ref }),
    },
    (prepared) =>
      deps.consents.decideRequest(
        request.id,
        found.current.version,
        { state: 'approved', at: now.toISOString(), actor: 'subject' },
        {
          record: consent,
          parties: [...new Set([request.requestedBy, ...request.senders, ...request.recipients])],
        },
        prepared,
      ),
  );
  if (!decided) throw new GatewayError('conflict', { detail: 'the request was decided meanwhile' });
  const stored = await deps.consents.consent(request.tenantId, consent.id);
  if (!stored) throw new GatewayError('internal_error');
  return { consent: stored, receipt };
}

export async function declineRequest(
  deps: ConsentDeps,
  person: PortalPerson,
  requestId: string,
): Promise<void> {
  const found = await personsRequest(deps, person, requestId);
  assertPending(found);
  const ref = await auditSubjectRef(deps, person.tenantId, person.subject);
  const decided = await deps.audit.record(
    person.tenantId,
    {
      event: 'consent.declined',
      actor: 'subject',
      outcome: 'ok',
      requestId: found.request.id,
      purpose: found.request.purpose,
      categories: found.request.categories,
      ...(ref === undefined ? {} : { subjectRef: ref }),
    },
    (prepared) =>
      deps.consents.decideRequest(
        found.request.id,
        found.current.version,
        { state: 'declined', at: deps.clock.now().toISOString(), actor: 'subject' },
        undefined,
        prepared,
      ),
  );
  if (!decided) throw new GatewayError('conflict', { detail: 'the request was decided meanwhile' });
}

/** The state a consent is in now: an active consent past its end counts as expired. */
export function effectiveState(consent: ConsentWithState, now: Date): ConsentState {
  if (consent.current.state === 'active' && consent.consent.validUntil <= now.toISOString())
    return 'expired';
  return consent.current.state;
}

/** The person's requests still waiting for a decision (code not expired), oldest first. */
export async function personsOpenRequests(
  deps: ConsentDeps,
  person: PortalPerson,
): Promise<RequestWithState[]> {
  const now = deps.clock.now().toISOString();
  return (await deps.consents.requestsOfSubject(person.tenantId, person.subject)).filter(
    (r) => r.current.state === 'pending' && r.request.codeExpiresAt > now,
  );
}

export async function personsConsents(
  deps: ConsentDeps,
  person: PortalPerson,
): Promise<ConsentWithState[]> {
  return deps.consents.consentsOfSubject(person.tenantId, person.subject);
}

/**
 * The person withdraws a consent; it takes effect for every check that starts after this returns
 * (the version is committed before it does).
 */
export async function revokeConsent(
  deps: ConsentDeps,
  person: PortalPerson,
  consentId: string,
): Promise<ConsentWithState> {
  const found = await deps.consents.consent(person.tenantId, consentId);
  if (found?.consent.subject !== person.subject)
    throw new GatewayError('not_found', { detail: 'no such consent' });
  const now = deps.clock.now();
  const state = effectiveState(found, now);
  if (state !== 'active')
    throw new GatewayError('conflict', { detail: `the consent is ${state} already` });
  const ref = await auditSubjectRef(deps, person.tenantId, person.subject);
  const changed = await deps.audit.record(
    person.tenantId,
    {
      event: 'consent.revoked',
      actor: 'subject',
      outcome: 'ok',
      consentId,
      consentVersion: found.current.version + 1,
      purpose: found.consent.purpose,
      categories: found.consent.categories,
      ...(ref === undefined ? {} : { subjectRef: ref }),
    },
    (prepared) =>
      deps.consents.changeConsent(
        consentId,
        found.current.version,
        { state: 'revoked', at: now.toISOString(), actor: 'subject' },
        prepared,
      ),
  );
  if (!changed) throw new GatewayError('conflict', { detail: 'the consent changed meanwhile' });
  await deps.onRevoked?.(person.tenantId, consentId);
  const after = await deps.consents.consent(person.tenantId, consentId);
  if (!after) throw new GatewayError('internal_error');
  return after;
}

function assertPending(found: RequestWithState): void {
  if (found.current.state !== 'pending') {
    throw new GatewayError(found.current.state === 'expired' ? 'code_expired' : 'conflict', {
      detail: `the request is ${found.current.state} already`,
    });
  }
}

async function expireIfPending(deps: ConsentDeps, found: RequestWithState): Promise<void> {
  if (found.current.state !== 'pending') return;
  await deps.audit.record(
    found.request.tenantId,
    {
      event: 'request.expired',
      actor: 'system',
      outcome: 'ok',
      requestId: found.request.id,
      purpose: found.request.purpose,
    },
    (prepared) =>
      deps.consents.decideRequest(
        found.request.id,
        found.current.version,
        { state: 'expired', at: deps.clock.now().toISOString(), actor: 'system' },
        undefined,
        prepared,
      ),
  );
}
