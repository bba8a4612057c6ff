import type { AuditEntry } from '../audit/index.ts';
import type { AuthenticatedPrincipal } from '../certs/index.ts';
import { GatewayError } from '../core/index.ts';
import type { ConsentDeps } from './deps.ts';
import type { PortalPerson, TenantSubject } from './portal-access.ts';
import { effectiveState } from './decision.ts';
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

/** GDPR Art. 15 for the DPO: everything concerning the person named. Audited itself. */
export async function accessReport(
  deps: ConsentDeps,
  caller: AuthenticatedPrincipal,
  subject: SubjectIdentifier,
): Promise<AccessReport> {
  const pseudonym = await pseudonymOf(deps.hasher, caller.tenantId, subject);
  return reportOn(deps, [{ tenantId: caller.tenantId, subject: pseudonym }], caller.id);
}

/**
 * The person's own Art. 15 report, for the identity-verified sign-in only: a code proves too
 * little about who holds it to hand out everything about a person, so any other session is told
 * the report does not exist (404). Audited as the person's own read.
 */
export async function ownAccessReport(
  deps: ConsentDeps,
  person: PortalPerson,
): Promise<AccessReport> {
  if (person.access.kind !== 'person') {
    throw new GatewayError('not_found', { detail: 'sign in with your ID card for the report' });
  }
  return reportOn(deps, person.subjects, 'subject');
}

async function reportOn(
  deps: ConsentDeps,
  subjects: readonly TenantSubject[],
  reader: string,
): Promise<AccessReport> {
  const now = deps.clock.now();
  let subjectKnown = false;
  const report = {
    consents: [] as Mutable<AccessReport['consents']>,
    requests: [] as Mutable<AccessReport['requests']>,
    exchanges: [] as Mutable<AccessReport['exchanges']>,
    auditEntries: [] as AuditEntry[],
  };
  for (const { tenantId, subject } of subjects) {
    const ref = await auditSubjectRef(deps, tenantId, subject);
    const entries = ref === undefined ? [] : await deps.auditStore.entriesAbout(tenantId, ref);
    subjectKnown ||= ref !== undefined;
    for (const c of await deps.consents.consentsOfSubject(tenantId, subject)) {
      report.consents.push({
        id: c.consent.id,
        state: effectiveState(c, now),
        purpose: c.consent.purpose,
        categories: c.consent.categories,
        senders: c.consent.senders,
        recipients: c.consent.recipients,
        validFrom: c.consent.validFrom,
        validUntil: c.consent.validUntil,
      });
    }
    for (const r of await deps.consents.requestsOfSubject(tenantId, subject)) {
      report.requests.push({
        id: r.request.id,
        state: r.current.state,
        requestedBy: r.request.requestedBy,
        purpose: r.request.purpose,
        createdAt: r.request.createdAt,
      });
    }
    report.exchanges.push(...entries.flatMap(exchangeLine));
    report.auditEntries.push(...entries);
    await deps.audit.append(tenantId, {
      event: 'audit.read',
      actor: reader,
      outcome: 'ok',
      reasons: ['access report (GDPR Art. 15)'],
      ...(ref === undefined ? {} : { subjectRef: ref }),
    });
  }
  return { subjectKnown, ...report };
}

type Mutable<T> = T extends readonly (infer U)[] ? U[] : never;

function exchangeLine(e: AuditEntry): AccessReport['exchanges'] {
  if (!e.event.startsWith('exchange.') || e.exchangeId === undefined) return [];
  return [
    {
      exchangeId: e.exchangeId,
      event: e.event,
      ...(e.sender === undefined ? {} : { sender: e.sender }),
      ...(e.recipient === undefined ? {} : { recipient: e.recipient }),
      ...(e.purpose === undefined ? {} : { purpose: e.purpose }),
      ...(e.categories === undefined ? {} : { categories: e.categories }),
      at: e.time,
      outcome: e.outcome,
    },
  ];
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
