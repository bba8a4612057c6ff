import type { AuthenticatedPrincipal } from '../certs/index.ts';
import type { Assurance, Channel } from './assurance.ts';
import type { ConsentDeps } from './deps.ts';
import type { ConsentEvent, ConsentState, ConsentWithState } from './ports.ts';
import { effectiveState } from './decision.ts';
import { pseudonymOf, type SubjectIdentifier } from './subject.ts';

export interface AgencyConsentView {
  readonly id: string;
  readonly state: ConsentState;
  readonly version: number;
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly senders: readonly string[];
  readonly recipients: readonly string[];
  readonly validFrom: string;
  readonly validUntil: string;
  readonly changedAt: string;
  readonly channel: Channel;
  readonly assurance: Assurance;
}

/** The consents of a person that name the calling agency as sender or recipient. */
export async function consentsNamingAgency(
  deps: ConsentDeps,
  caller: AuthenticatedPrincipal,
  subject: SubjectIdentifier,
): Promise<AgencyConsentView[]> {
  const pseudonym = await pseudonymOf(deps.hasher, caller.tenantId, subject);
  const now = deps.clock.now();
  const all = await deps.consents.consentsOfSubject(caller.tenantId, pseudonym);
  return all
    .filter(
      (c) => c.consent.senders.includes(caller.id) || c.consent.recipients.includes(caller.id),
    )
    .map((c) => agencyConsentView(c, now));
}

/**
 * A consent as an office sees it: the terms, the state, and how the grant was given and how sure
 * the gateway is who gave it, so the office knows what it may rely on. Never the withdrawal code,
 * the notice text or the receipt: those are the person's.
 */
export function agencyConsentView(c: ConsentWithState, now: Date): AgencyConsentView {
  return {
    id: c.consent.id,
    state: effectiveState(c, now),
    version: c.current.version,
    purpose: c.consent.purpose,
    categories: c.consent.categories,
    senders: c.consent.senders,
    recipients: c.consent.recipients,
    validFrom: c.consent.validFrom,
    validUntil: c.consent.validUntil,
    changedAt: c.current.at,
    channel: c.consent.channel,
    assurance: c.consent.assurance,
  };
}

/** State changes of requests and consents that concern the agency, after a cursor. */
export async function consentEventsFor(
  deps: ConsentDeps,
  caller: AuthenticatedPrincipal,
  sinceSeq: number,
  limit: number,
): Promise<ConsentEvent[]> {
  return deps.consents.eventsFor(caller.tenantId, caller.id, sinceSeq, limit);
}
