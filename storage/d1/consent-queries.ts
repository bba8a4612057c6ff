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
import { allRows, type D1Database, type D1Value } from './d1.ts';

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
  | 'eventsFor'
>;

/**
 * The ConsentStore's reads: requests and consents, each with its newest version (the state) in
 * the same query, every lookup scoped by tenant except the two the port declares across tenants
 * (a code hash without a tenant, and the expiry sweep); and the agencies' event feed. The same
 * lookups as PostgreSQL's, written again in D1's dialect: `?` placeholders, the state as `v.state`
 * (its join has no lateral subquery to rename it), no casts.
 */
export function d1ConsentQueries(db: D1Database): QueryPart {
  const all = <Row>(sql: string, ...values: D1Value[]) => allRows<Row>(db, sql, ...values);
  const requests = async (where: string, ...values: D1Value[]) =>
    (await all<RequestRow>(`${SELECT_REQUESTS} ${where}`, ...values)).map(toRequest);
  const consents = async (where: string, ...values: D1Value[]) =>
    (await all<ConsentRow>(`${SELECT_CONSENTS} ${where}`, ...values)).map(toConsent);

  return {
    async request(tenantId, id) {
      const [found] = await requests('WHERE r.tenant_id = ? AND r.id = ?', tenantId, id);
      return found;
    },
    async requestByCode(tenantId, codeHash) {
      const [found] = await requests(
        'WHERE r.code_hash = ? AND (? IS NULL OR r.tenant_id = ?)',
        codeHash,
        tenantId ?? null,
        tenantId ?? null,
      );
      return found;
    },
    requestsOfSubject(tenantId, subject) {
      return requests(
        'WHERE r.tenant_id = ? AND r.subject = ? ORDER BY r.created_at, r.id',
        tenantId,
        subject,
      );
    },
    async subjectsByIdentity(tenantId, identityHash) {
      const rows = await all<{ subject: string }>(
        `SELECT DISTINCT subject FROM consent_requests
         WHERE tenant_id = ? AND identity_hash = ? ORDER BY subject`,
        tenantId,
        identityHash,
      );
      return rows.map((row) => row.subject);
    },
    async consent(tenantId, id) {
      const [found] = await consents('WHERE c.tenant_id = ? AND c.id = ?', tenantId, id);
      return found;
    },
    consentsFor(tenantId, subject, purpose) {
      return consents(
        'WHERE c.tenant_id = ? AND c.subject = ? AND c.purpose = ? ORDER BY c.created_at, c.id',
        tenantId,
        subject,
        purpose,
      );
    },
    consentsOfSubject(tenantId, subject) {
      return consents(
        'WHERE c.tenant_id = ? AND c.subject = ? ORDER BY c.created_at, c.id',
        tenantId,
        subject,
      );
    },
    async consentByWithdrawalCode(tenantId, withdrawalCodeHash) {
      const [found] = await consents(
        'WHERE c.tenant_id = ? AND c.withdrawal_code_hash = ?',
        tenantId,
        withdrawalCodeHash,
      );
      return found;
    },
    async dueForExpiry(now, limit) {
      // Read-only: the sweep expires each with an optimistic version, so two sweeps of the same
      // one leave one `expired` version.
      const [dueConsents, dueRequests] = await Promise.all([
        consents(
          "WHERE c.valid_until <= ? AND v.state = 'active' ORDER BY c.valid_until, c.id LIMIT ?",
          now,
          limit,
        ),
        requests(
          `WHERE r.code_expires_at <= ? AND v.state = 'pending'
           ORDER BY r.code_expires_at, r.id LIMIT ?`,
          now,
          limit,
        ),
      ]);
      return { consents: dueConsents, requests: dueRequests };
    },
    async eventsFor(tenantId, agencyId, sinceSeq, limit) {
      // D1 commits one batch at a time, so seqs commit in the order they were drawn and the
      // cursor never passes a version still to commit.
      const rows = await all<EventRow>(
        `SELECT v.seq, v.kind, v.ref_id, v.version, v.state, v.at, v.actor,
           COALESCE(c.purpose, r.purpose) AS purpose
         FROM consent_versions v
         JOIN consent_parties p
           ON p.tenant_id = v.tenant_id AND p.ref_id = v.ref_id AND p.agency_id = ?
         LEFT JOIN consents c
           ON v.kind = 'consent' AND c.tenant_id = v.tenant_id AND c.id = v.ref_id
         LEFT JOIN consent_requests r
           ON v.kind = 'request' AND r.tenant_id = v.tenant_id AND r.id = v.ref_id
         WHERE v.tenant_id = ? AND v.seq > ?
         ORDER BY v.seq LIMIT ?`,
        agencyId,
        tenantId,
        sinceSeq,
        limit,
      );
      return rows.map(toEvent);
    },
  };
}
