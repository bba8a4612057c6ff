import type { AuditEntry } from '../audit/index.ts';
import type { AuthenticatedPrincipal } from '../certs/index.ts';
import { GatewayError } from '../core/index.ts';
import type { ConsentDeps } from './deps.ts';
import { effectiveState } from './portal.ts';
import { auditSubjectRef, pseudonymOf, type SubjectIdentifier } from './subject.ts';

/** What the gateway holds about a person, for a GDPR Art. 15 answer by the DPO. */
export interface AccessReport {
  readonly subjectKnown: boolean;
  readonly consents: readonly {
    readonly id: string;
    readonly state: string;
    readonly purpose: string;
    readonly categories: readonly string[];
    readonly senders: readonly string[];
    readonly recipients: readonly string[];
    readonly validFrom: string;
    readonly validUntil: string;
  }[];
  readonly requests: readonly {
    readonly id: string;
    readonly state: string;
    readonly requestedBy: string;
    readonly purpose: string;
    readonly createdAt: string;
  }[];
  readonly exchanges: readonly {
    readonly exchangeId: string;
    readonly event: string;
    readonly sender?: string;
    readonly recipient?: string;
    readonly purpose?: string;
    readonly categories?: readonly string[];
    readonly at: string;
    readonly outcome: string;
  }[];
  /** Every audit entry that names the person, as the log holds it. */
  readonly auditEntries: readonly AuditEntry[];
}

/** GDPR Art. 15: every consent, request and exchange concerning the person. Audited itself. */
export async function accessReport(
  deps: ConsentDeps,
  caller: AuthenticatedPrincipal,
  subject: SubjectIdentifier,
): Promise<AccessReport> {
  const tenantId = caller.tenantId;
  const pseudonym = await pseudonymOf(deps.hasher, tenantId, subject);
  const ref = await auditSubjectRef(deps, tenantId, pseudonym);
  const now = deps.clock.now();
  const consents = await deps.consents.consentsOfSubject(tenantId, pseudonym);
  const requests = await deps.consents.requestsOfSubject(tenantId, pseudonym);
  const entries = ref === undefined ? [] : await deps.auditStore.entriesAbout(tenantId, ref);
  await deps.audit.append(tenantId, {
    event: 'audit.read',
    actor: caller.id,
    outcome: 'ok',
    reasons: ['access report (GDPR Art. 15)'],
    ...(ref === undefined ? {} : { subjectRef: ref }),
  });
  return {
    subjectKnown: ref !== undefined,
    consents: consents.map((c) => ({
      id: c.consent.id,
      state: effectiveState(c, now),
      purpose: c.consent.purpose,
      categories: c.consent.categories,
      senders: c.consent.senders,
      recipients: c.consent.recipients,
      validFrom: c.consent.validFrom,
      validUntil: c.consent.validUntil,
    })),
    requests: requests.map((r) => ({
      id: r.request.id,
      state: r.current.state,
      requestedBy: r.request.requestedBy,
      purpose: r.request.purpose,
      createdAt: r.request.createdAt,
    })),
    exchanges: entries
      .filter((e) => e.event.startsWith('exchange.') && e.exchangeId !== undefined)
      .map((e) => ({
        exchangeId: e.exchangeId ?? '',
        event: e.event,
        ...(e.sender === undefined ? {} : { sender: e.sender }),
        ...(e.recipient === undefined ? {} : { recipient: e.recipient }),
        ...(e.purpose === undefined ? {} : { purpose: e.purpose }),
        ...(e.categories === undefined ? {} : { categories: e.categories }),
        at: e.time,
        outcome: e.outcome,
      })),
    auditEntries: entries,
  };
}

/**
 * GDPR Art. 17: crypto-shreds the link between the log and the person. Refused while a consent is
 * active (revoke first), so no flow loses its basis silently. The log stays verifiable: its
 * entries keep a subject reference that nothing can link to the person any more.
 */
export async function eraseSubject(
  deps: ConsentDeps,
  caller: AuthenticatedPrincipal,
  subject: SubjectIdentifier,
): Promise<void> {
  const tenantId = caller.tenantId;
  const pseudonym = await pseudonymOf(deps.hasher, tenantId, subject);
  const ref = await auditSubjectRef(deps, tenantId, pseudonym);
  if (ref === undefined)
    throw new GatewayError('not_found', { detail: 'the gateway holds nothing about this person' });
  const now = deps.clock.now();
  const active = (await deps.consents.consentsOfSubject(tenantId, pseudonym)).filter(
    (c) => effectiveState(c, now) === 'active',
  );
  if (active.length > 0) {
    throw new GatewayError('conflict', {
      detail: 'a consent is still active: it must be revoked before erasure',
      reasons: active.map((c) => ({ code: 'consent_active', message: `consent ${c.consent.id}` })),
    });
  }
  await deps.audit.record(
    tenantId,
    { event: 'subject.erased', actor: caller.id, outcome: 'ok', subjectRef: ref },
    (prepared) => deps.consents.eraseSubject(tenantId, pseudonym, prepared),
  );
}

/** The person's history: which office received which categories, when, under which consent. */
export async function personsHistory(
  deps: ConsentDeps,
  person: { tenantId: string; subject: string },
): Promise<AuditEntry[]> {
  const ref = await auditSubjectRef(deps, person.tenantId, person.subject);
  return ref === undefined ? [] : deps.auditStore.entriesAbout(person.tenantId, ref);
}
