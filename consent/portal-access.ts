import type { AuditEntry } from '../audit/index.ts';
import { GatewayError } from '../core/index.ts';
import type { Assurance } from './assurance.ts';
import type { ConsentDeps } from './deps.ts';
import type {
  ConsentRecord,
  ConsentRequestRecord,
  ConsentWithState,
  PortalAccess,
  RequestWithState,
} from './ports.ts';
import { auditSubjectRef } from './subject.ts';

/** One person as one tenant knows them: a pseudonym there. */
export interface TenantSubject {
  readonly tenantId: string;
  readonly subject: string;
}

/**
 * The person behind a portal session, and how far the session reaches. A one-time code reaches its
 * own request and the consent granted from it; a withdrawal code its one consent; only an
 * identity-verified sign-in reaches everything of the person. Whatever lies outside answers 404,
 * exactly as an id that does not exist, so a code reveals nothing else about the person.
 */
export interface PortalPerson {
  readonly access: PortalAccess;
  readonly channel: 'portal-code' | 'portal-eid';
  readonly assurance: Assurance;
  /** The subjects the session reaches (for an identity-verified one: those found, maybe none). */
  readonly subjects: readonly TenantSubject[];
}

const isOwn = (person: PortalPerson, record: { tenantId: string; subject: string }) =>
  person.subjects.some((s) => s.tenantId === record.tenantId && s.subject === record.subject);

/** Whether the session reaches this request. */
export function reachesRequest(person: PortalPerson, request: ConsentRequestRecord): boolean {
  if (!isOwn(person, request)) return false;
  switch (person.access.kind) {
    case 'request':
      return request.id === person.access.requestId;
    case 'consent':
      return false;
    case 'person':
      return true;
  }
}

/** Whether the session reaches this consent. */
export function reachesConsent(person: PortalPerson, consent: ConsentRecord): boolean {
  if (!isOwn(person, consent)) return false;
  switch (person.access.kind) {
    case 'request':
      return consent.requestId === person.access.requestId;
    case 'consent':
      return consent.id === person.access.consentId;
    case 'person':
      return true;
  }
}

const noSuchRequest = () => new GatewayError('not_found', { detail: 'no such request' });
const noSuchConsent = () => new GatewayError('not_found', { detail: 'no such consent' });

/** A request the session reaches; 404 otherwise. A pending one past its code's end is expired. */
export async function personsRequest(
  deps: ConsentDeps,
  person: PortalPerson,
  requestId: string,
): Promise<RequestWithState> {
  for (const { tenantId } of person.subjects) {
    const found = await deps.consents.request(tenantId, requestId);
    if (found === undefined || !reachesRequest(person, found.request)) continue;
    if (
      found.current.state === 'pending' &&
      found.request.codeExpiresAt <= deps.clock.now().toISOString()
    ) {
      await expireIfPending(deps, found);
      return (await deps.consents.request(tenantId, requestId)) ?? found;
    }
    return found;
  }
  throw noSuchRequest();
}

/** A consent the session reaches; 404 otherwise. */
export async function personsConsent(
  deps: ConsentDeps,
  person: PortalPerson,
  consentId: string,
): Promise<ConsentWithState> {
  for (const { tenantId } of person.subjects) {
    const found = await deps.consents.consent(tenantId, consentId);
    if (found !== undefined && reachesConsent(person, found.consent)) return found;
  }
  throw noSuchConsent();
}

/** Every consent the session reaches, oldest first. */
export async function personsConsents(
  deps: ConsentDeps,
  person: PortalPerson,
): Promise<ConsentWithState[]> {
  const all: ConsentWithState[] = [];
  for (const { tenantId, subject } of person.subjects) {
    const consents = await deps.consents.consentsOfSubject(tenantId, subject);
    all.push(...consents.filter((c) => reachesConsent(person, c.consent)));
  }
  return all.sort((a, b) => a.consent.createdAt.localeCompare(b.consent.createdAt));
}

/** The requests the session reaches that still wait for a decision (code not expired). */
export async function personsOpenRequests(
  deps: ConsentDeps,
  person: PortalPerson,
): Promise<RequestWithState[]> {
  const now = deps.clock.now().toISOString();
  const open: RequestWithState[] = [];
  for (const { tenantId, subject } of person.subjects) {
    const requests = await deps.consents.requestsOfSubject(tenantId, subject);
    open.push(
      ...requests.filter(
        (r) =>
          reachesRequest(person, r.request) &&
          r.current.state === 'pending' &&
          r.request.codeExpiresAt > now,
      ),
    );
  }
  return open.sort((a, b) => a.request.createdAt.localeCompare(b.request.createdAt));
}

/** One line of the person's history, with the tenant whose log holds it. */
export interface HistoryLine {
  readonly tenantId: string;
  readonly entry: AuditEntry;
}

/**
 * The person's history: which office received which categories, when, under which consent. A
 * code or withdrawal code sees only what concerns its own request and consent; the wider history
 * needs the identity-verified sign-in.
 */
export async function personsHistory(
  deps: ConsentDeps,
  person: PortalPerson,
): Promise<HistoryLine[]> {
  const lines: HistoryLine[] = [];
  const reachable = await reachableRefs(deps, person);
  for (const { tenantId, subject } of person.subjects) {
    const ref = await auditSubjectRef(deps, tenantId, subject);
    if (ref === undefined) continue;
    for (const entry of await deps.auditStore.entriesAbout(tenantId, ref)) {
      const inScope =
        reachable === 'all' ||
        (entry.consentId !== undefined && reachable.has(entry.consentId)) ||
        (entry.requestId !== undefined && reachable.has(entry.requestId));
      if (inScope) lines.push({ tenantId, entry });
    }
  }
  return lines.sort((a, b) => a.entry.time.localeCompare(b.entry.time));
}

/** The ids of requests and consents whose history the session may read. */
async function reachableRefs(
  deps: ConsentDeps,
  person: PortalPerson,
): Promise<Set<string> | 'all'> {
  if (person.access.kind === 'person') return 'all';
  const consents = await personsConsents(deps, person);
  const ids = new Set(consents.flatMap((c) => [c.consent.id, c.consent.requestId]));
  if (person.access.kind === 'request') ids.add(person.access.requestId);
  return ids;
}

/** Records that a pending request's code ran out (the sweep does the same in bulk). */
export async function expireIfPending(deps: ConsentDeps, found: RequestWithState): Promise<void> {
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
