import type { AuthenticatedPrincipal } from '../certs/index.ts';
import { constantTimeEqual, GatewayError, randomId } from '../core/index.ts';
import {
  requiredAssurance,
  SPECIAL_CATEGORIES,
  type AgencyType,
  type DataCategory,
  type Language,
  type Purpose,
} from '../policies/index.ts';
import { meetsAssurance, type Assurance, type Channel } from './assurance.ts';
import { newWithdrawalCode, normalizeCode, WITHDRAWAL_CODE_SYMBOLS } from './codes.ts';
import type { ConsentDeps } from './deps.ts';
import { WITHDRAWAL_METHODS, type WithdrawalMethod } from './withdrawal-methods.ts';
import type { ConsentNotice } from './notice.ts';
import { noticeFor, receiptParties } from './notice-context.ts';
import { personsConsent, personsRequest, type PortalPerson } from './portal-access.ts';
import { withdrawalCodeHash } from './portal-session.ts';
import type {
  ConsentRecord,
  ConsentRequestRecord,
  ConsentWithState,
  RequestWithState,
} from './ports.ts';
import { receiptClaims, RECEIPT_TYP } from './receipt.ts';
import { effectiveState } from './decision.ts';
import { auditSubjectRef } from './subject.ts';

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
  return noticeFor(deps, request.tenantId, request, language);
}

/** The notice the person read before granting: its language and the hash the portal showed. */
export interface ShownNotice {
  readonly language: Language;
  readonly noticeHash: string;
}

/** Where in the portal each way to withdraw starts (telling an office has no page). */
const WITHDRAWAL_PATHS: Partial<Record<WithdrawalMethod, string>> = {
  'portal-withdrawal-code': '/portal/withdraw',
  'portal-eid': '/portal/eid/start',
};

/** What a grant answers: the consent, its signed receipt, and the code only the person gets. */
export interface Grant {
  readonly consent: ConsentWithState;
  readonly receipt: string;
  /** Shown to the person once; the gateway keeps only its keyed hash. */
  readonly withdrawalCode: string;
}

/**
 * The person grants the request: the consent is recorded (version 1, active) together with the
 * request's approval in one transaction, and the person receives a receipt signed by the gateway
 * and a withdrawal code. The consent records the session's channel and assurance; a grant below
 * the assurance the policy demands for the purpose and categories is refused
 * (`assurance_insufficient`). With `shown`, the consent records the notice in the language the
 * person read it in; the grant is refused (409 `conflict`) when that text is no longer what the
 * gateway would show, so nobody agrees to a text they did not see.
 */
export async function grantRequest(
  deps: ConsentDeps,
  person: PortalPerson,
  requestId: string,
  shown?: ShownNotice,
): Promise<Grant> {
  const found = await personsRequest(deps, person, requestId);
  assertPending(found);
  const { request } = found;
  const now = deps.clock.now();
  if (request.validUntil <= now.toISOString()) {
    throw new GatewayError('conflict', { detail: 'the requested validity has already ended' });
  }
  const needed = await assuranceNeeded(deps, request);
  if (!meetsAssurance(person.assurance, needed)) {
    throw new GatewayError('assurance_insufficient', {
      detail: `this consent needs the assurance level ${needed}: sign in with your ID card`,
      reasons: [{ code: `needs_${needed}`, message: `the sign-in is ${person.assurance}` }],
    });
  }
  const notice = await noticeShown(deps, request, shown);
  const withdrawalCode = newWithdrawalCode();
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
    channel: person.channel,
    assurance: person.assurance,
    withdrawalCodeHash: await withdrawalCodeHash(
      deps,
      request.tenantId,
      normalizeCode(withdrawalCode, WITHDRAWAL_CODE_SYMBOLS) ?? '',
    ),
    receiptId: randomId('rc'),
    createdAt: now.toISOString(),
  };
  const special = isSpecial(request.categories);
  const receipt = await deps.signer.sign(
    request.tenantId,
    receiptClaims({
      consent: { ...record, receipt: '' },
      consentVersion: 1,
      ...(await receiptParties(deps, request.tenantId, request)),
      issuer: deps.publicUrl,
      withdrawal: (deps.withdrawalMethods ?? WITHDRAWAL_METHODS).map((method) => ({
        method,
        ...(WITHDRAWAL_PATHS[method] === undefined
          ? {}
          : { url: `${deps.publicUrl}${WITHDRAWAL_PATHS[method]}` }),
      })),
      at: now,
    }),
    RECEIPT_TYP,
  );
  const consent: ConsentRecord = { ...record, receipt };
  await recordGrant(deps, found, consent, special);
  const stored = await deps.consents.consent(request.tenantId, consent.id);
  if (!stored) throw new GatewayError('internal_error');
  return { consent: stored, receipt, withdrawalCode };
}

/** The assurance the policy demands for what the request asks, given its offices' types. */
async function assuranceNeeded(
  deps: ConsentDeps,
  request: ConsentRequestRecord,
): Promise<Assurance> {
  const typesOf = async (ids: readonly string[]) => {
    const types: AgencyType[] = [];
    for (const id of ids) {
      const type = (await deps.pki.principal(request.tenantId, id))?.agencyType;
      // Requests name registered agencies only; one without a type is broken data, not a guess.
      if (type == null) throw new GatewayError('internal_error');
      types.push(type);
    }
    return types;
  };
  // Stored requests passed the vocabulary's schema when they were made.
  return requiredAssurance(deps.policy, {
    purpose: request.purpose as Purpose,
    categories: request.categories as DataCategory[],
    senderTypes: await typesOf(request.senders),
    recipientTypes: await typesOf(request.recipients),
  });
}

/** The notice text the consent records: the one the person was shown, checked to be current. */
async function noticeShown(
  deps: ConsentDeps,
  request: ConsentRequestRecord,
  shown: ShownNotice | undefined,
): Promise<{ language: string; hash: string; text: string }> {
  if (shown === undefined) {
    return { language: request.language, hash: request.noticeHash, text: request.noticeText };
  }
  const current = await requestNotice(deps, request, shown.language);
  if (!constantTimeEqual(current.hash, shown.noticeHash)) {
    throw new GatewayError('conflict', {
      detail: 'the notice changed since it was shown; read it again',
      reasons: [{ code: 'notice_changed', message: 'the text shown is not the current one' }],
    });
  }
  return { language: shown.language, hash: current.hash, text: current.notice.text };
}

const isSpecial = (categories: readonly string[]) =>
  categories.some((c) => SPECIAL_CATEGORIES.includes(c as DataCategory));

async function recordGrant(
  deps: ConsentDeps,
  found: RequestWithState,
  consent: ConsentRecord,
  special: boolean,
): Promise<void> {
  const { request } = found;
  const ref = await auditSubjectRef(deps, request.tenantId, request.subject);
  const how = { channel: consent.channel, assurance: consent.assurance };
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
      ...how,
      ...(ref === undefined ? {} : { subjectRef: ref }),
    },
    (prepared) =>
      deps.consents.decideRequest(
        request.id,
        found.current.version,
        { state: 'approved', at: consent.createdAt, actor: 'subject', ...how },
        {
          record: consent,
          parties: [...new Set([request.requestedBy, ...request.senders, ...request.recipients])],
        },
        prepared,
      ),
  );
  if (!decided) throw new GatewayError('conflict', { detail: 'the request was decided meanwhile' });
}

export async function declineRequest(
  deps: ConsentDeps,
  person: PortalPerson,
  requestId: string,
): Promise<void> {
  const found = await personsRequest(deps, person, requestId);
  assertPending(found);
  const { request } = found;
  const ref = await auditSubjectRef(deps, request.tenantId, request.subject);
  const how = { channel: person.channel, assurance: person.assurance };
  const decided = await deps.audit.record(
    request.tenantId,
    {
      event: 'consent.declined',
      actor: 'subject',
      outcome: 'ok',
      requestId: request.id,
      purpose: request.purpose,
      categories: request.categories,
      ...how,
      ...(ref === undefined ? {} : { subjectRef: ref }),
    },
    (prepared) =>
      deps.consents.decideRequest(
        request.id,
        found.current.version,
        { state: 'declined', at: deps.clock.now().toISOString(), actor: 'subject', ...how },
        undefined,
        prepared,
      ),
  );
  if (!decided) throw new GatewayError('conflict', { detail: 'the request was decided meanwhile' });
}

/**
 * The person withdraws a consent the session reaches; it takes effect for every check that starts
 * after this returns (the version is committed before it does).
 */
export async function revokeConsent(
  deps: ConsentDeps,
  person: PortalPerson,
  consentId: string,
): Promise<ConsentWithState> {
  const found = await personsConsent(deps, person, consentId);
  return recordRevocation(deps, found, {
    actor: 'subject',
    channel: person.channel,
    assurance: person.assurance,
  });
}

/**
 * An office records a revocation the person declared to it (in person, by letter, by phone): the
 * way to withdraw for someone who lost the withdrawal code, as GDPR Art. 7(3) demands withdrawing
 * be as easy as consenting. Only an office party to the consent may; for any other the consent
 * does not exist (404). The version names the office as actor and `assisted` as channel. An office
 * can never record a grant: consent is given by the person concerned.
 */
export async function revokeDeclared(
  deps: ConsentDeps,
  caller: AuthenticatedPrincipal,
  consentId: string,
): Promise<ConsentWithState> {
  const found = await deps.consents.consent(caller.tenantId, consentId);
  const party =
    found && [...found.consent.senders, ...found.consent.recipients].includes(caller.id);
  if (!found || !party) throw new GatewayError('not_found', { detail: 'no such consent' });
  return recordRevocation(deps, found, { actor: caller.id, channel: 'assisted', assurance: 'low' });
}

async function recordRevocation(
  deps: ConsentDeps,
  found: ConsentWithState,
  how: { actor: string; channel: Channel; assurance: Assurance },
): Promise<ConsentWithState> {
  const { consent } = found;
  const now = deps.clock.now();
  const state = effectiveState(found, now);
  if (state !== 'active')
    throw new GatewayError('conflict', { detail: `the consent is ${state} already` });
  const ref = await auditSubjectRef(deps, consent.tenantId, consent.subject);
  const changed = await deps.audit.record(
    consent.tenantId,
    {
      event: 'consent.revoked',
      outcome: 'ok',
      consentId: consent.id,
      consentVersion: found.current.version + 1,
      purpose: consent.purpose,
      categories: consent.categories,
      ...how,
      ...(ref === undefined ? {} : { subjectRef: ref }),
    },
    (prepared) =>
      deps.consents.changeConsent(
        consent.id,
        found.current.version,
        { state: 'revoked', at: now.toISOString(), ...how },
        prepared,
      ),
  );
  if (!changed) throw new GatewayError('conflict', { detail: 'the consent changed meanwhile' });
  await deps.onRevoked?.(consent.tenantId, consent.id);
  const after = await deps.consents.consent(consent.tenantId, consent.id);
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
