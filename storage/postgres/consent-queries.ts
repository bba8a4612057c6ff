import type { ConsentStore } from '../../consent/index.ts';
import { toEvent, type EventRow } from '../rows/consent.ts';
import {
  SELECT_CONSENTS,
  SELECT_REQUESTS,
  toConsent,
  toRequest,
  type ConsentRow,
  type RequestRow,
} from './consent-rows.ts';
import type { PgDatabase } from './database.ts';

type QueryPart = Pick<
  ConsentStore,
  | 'request'
  | 'requestByCode'
  | 'requestsOfSubject'
  | 'subjectsByIdentity'
  | 'consent'
  | 'consentsFor'
  | 'consentsOfSubject'
  | 'consentByWithdrawalCode'
  | 'dueForExpiry'
>;

/**
 * The ConsentStore's reads: requests and consents, each with its newest version (the state) in
 * the same query, every lookup scoped by tenant except the two the port declares across tenants
 * (a code hash without a tenant, and the expiry sweep).
 */
export function pgConsentQueries(db: PgDatabase): QueryPart {
  const requests = async (where: string, values: readonly unknown[]) =>
    (await db.rows<RequestRow>(`${SELECT_REQUESTS} ${where}`, values)).map(toRequest);
  const consents = async (where: string, values: readonly unknown[]) =>
    (await db.rows<ConsentRow>(`${SELECT_CONSENTS} ${where}`, values)).map(toConsent);

  return {
    async request(tenantId, id) {
      const [found] = await requests('WHERE r.tenant_id = $1 AND r.id = $2', [tenantId, id]);
      return found;
    },
    async requestByCode(tenantId, codeHash) {
      const [found] = await requests(
        'WHERE r.code_hash = $1 AND ($2::text IS NULL OR r.tenant_id = $2)',
        [codeHash, tenantId ?? null],
      );
      return found;
    },
    requestsOfSubject(tenantId, subject) {
      return requests('WHERE r.tenant_id = $1 AND r.subject = $2 ORDER BY r.created_at, r.id', [
        tenantId,
        subject,
      ]);
    },
    async subjectsByIdentity(tenantId, identityHash) {
      const rows = await db.rows<{ subject: string }>(
        `SELECT DISTINCT subject FROM consent_requests
         WHERE tenant_id = $1 AND identity_hash = $2 ORDER BY subject`,
        [tenantId, identityHash],
      );
      return rows.map((row) => row.subject);
    },
    async consent(tenantId, id) {
      const [found] = await consents('WHERE c.tenant_id = $1 AND c.id = $2', [tenantId, id]);
      return found;
    },
    consentsFor(tenantId, subject, purpose) {
      return consents(
        'WHERE c.tenant_id = $1 AND c.subject = $2 AND c.purpose = $3 ORDER BY c.created_at, c.id',
        [tenantId, subject, purpose],
      );
    },
    consentsOfSubject(tenantId, subject) {
      return consents('WHERE c.tenant_id = $1 AND c.subject = $2 ORDER BY c.created_at, c.id', [
        tenantId,
        subject,
      ]);
    },
    async consentByWithdrawalCode(tenantId, withdrawalCodeHash) {
      const [found] = await consents('WHERE c.tenant_id = $1 AND c.withdrawal_code_hash = $2', [
        tenantId,
        withdrawalCodeHash,
      ]);
      return found;
    },
    async dueForExpiry(now, limit) {
      // Read-only: the sweep expires each with an optimistic version, so two instances sweeping
      // the same one leave one `expired` version.
      const [dueConsents, dueRequests] = await Promise.all([
        consents(
          `WHERE c.valid_until <= $1 AND v.v_state = 'active'
           ORDER BY c.valid_until, c.id LIMIT $2`,
          [now, limit],
        ),
        requests(
          `WHERE r.code_expires_at <= $1 AND v.v_state = 'pending'
           ORDER BY r.code_expires_at, r.id LIMIT $2`,
          [now, limit],
        ),
      ]);
      return { consents: dueConsents, requests: dueRequests };
    },
  };
}

/**
 * The agencies' event feed: versions of the requests and consents naming the agency, after the
 * cursor, oldest first. The store appends a tenant's versions under a lock, so a seq is never
 * committed behind one a reader has already passed.
 */
export function pgConsentEvents(db: PgDatabase): Pick<ConsentStore, 'eventsFor'> {
  return {
    async eventsFor(tenantId, agencyId, sinceSeq, limit) {
      const rows = await db.rows<EventRow>(
        `SELECT v.seq, v.kind, v.ref_id, v.version, v.state, v.at, v.actor,
           COALESCE(c.purpose, r.purpose) AS purpose
         FROM consent_versions v
         JOIN consent_parties p
           ON p.tenant_id = v.tenant_id AND p.ref_id = v.ref_id AND p.agency_id = $2
         LEFT JOIN consents c
           ON v.kind = 'consent' AND c.tenant_id = v.tenant_id AND c.id = v.ref_id
         LEFT JOIN consent_requests r
           ON v.kind = 'request' AND r.tenant_id = v.tenant_id AND r.id = v.ref_id
         WHERE v.tenant_id = $1 AND v.seq > $3
         ORDER BY v.seq LIMIT $4`,
        [tenantId, agencyId, sinceSeq, limit],
      );
      return rows.map(toEvent);
    },
  };
}
