import type { ConsentEvent, ConsentStore } from '../../consent/index.ts';
import { commitPgAuditEntry } from './audit-store.ts';
import { pgConsentQueries } from './consent-queries.ts';
import { pgPortalSessions } from './consent-sessions.ts';
import { pgSubjects } from './consent-subjects.ts';
import {
  appendIfCurrent,
  insertConsent,
  insertFirstVersion,
  insertParties,
  insertRequest,
  lockTenantOf,
  lockVersionOrder,
} from './consent-versions.ts';
import { conflictAs, type PgDatabase, type Row } from './database.ts';

/**
 * What erasure removes or unlinks, in an order the foreign keys allow; `$1` is the tenant, `$2`
 * the pseudonym. Messages keep no link to the person either: no pseudonym, no ciphertext; what
 * still waited (under a consent that ended before the sweep reached it) is withheld.
 */
const ERASURE = [
  `DELETE FROM code_attempts WHERE request_id IN
     (SELECT id FROM consent_requests WHERE tenant_id = $1 AND subject = $2)`,
  `DELETE FROM consent_versions WHERE tenant_id = $1 AND ref_id IN
     (SELECT id FROM consents WHERE tenant_id = $1 AND subject = $2
      UNION SELECT id FROM consent_requests WHERE tenant_id = $1 AND subject = $2)`,
  `DELETE FROM consent_parties WHERE tenant_id = $1 AND ref_id IN
     (SELECT id FROM consents WHERE tenant_id = $1 AND subject = $2
      UNION SELECT id FROM consent_requests WHERE tenant_id = $1 AND subject = $2)`,
  'DELETE FROM portal_sessions WHERE tenant_id = $1 AND subject = $2',
  `UPDATE mailbox_messages SET
     state = CASE WHEN state IN ('queued', 'delivered') THEN 'withheld' ELSE state END,
     withheld_reason = CASE WHEN state IN ('queued', 'delivered') THEN 'consent_revoked'
       ELSE withheld_reason END,
     ciphertext = NULL, subject = ''
   WHERE tenant_id = $1 AND subject = $2`,
  'DELETE FROM consents WHERE tenant_id = $1 AND subject = $2',
  'DELETE FROM consent_requests WHERE tenant_id = $1 AND subject = $2',
  'DELETE FROM subjects WHERE tenant_id = $1 AND pseudonym = $2',
];

interface EventRow extends Row {
  seq: number;
  kind: 'request' | 'consent';
  ref_id: string;
  version: number;
  state: string;
  at: string;
  actor: string;
  purpose: string;
}

const toEvent = (row: EventRow): ConsentEvent => ({
  seq: row.seq,
  kind: row.kind,
  refId: row.ref_id,
  version: row.version,
  state: row.state,
  at: row.at,
  actor: row.actor,
  purpose: row.purpose,
});

/**
 * The ConsentStore on PostgreSQL, shared by several gateway instances. Every change is one
 * transaction with its audit entry. Where the SQLite store relies on being the only writer, this
 * one relies on the database: a version is appended only if the one the caller saw is still the
 * newest (one conditional insert against the unique (ref_id, version)); a tenant's versions are
 * appended under a transaction-scoped advisory lock, so the event feed's cursor never passes a
 * version still to commit; second-factor attempts are counted under the request's row lock; a
 * uniqueness violation the port declares is `conflict`.
 */
export function pgConsentStore(db: PgDatabase): ConsentStore {
  return {
    ...pgSubjects(db),
    ...pgConsentQueries(db),
    async addRequest(request, parties, audit) {
      await conflictAs('that request', () =>
        db.transaction(async () => {
          await lockVersionOrder(db, request.tenantId);
          await insertRequest(db, request);
          await insertFirstVersion(db, request.tenantId, 'request', request.id, {
            state: 'pending',
            at: request.createdAt,
            actor: request.requestedBy,
          });
          await insertParties(db, request.tenantId, request.id, parties);
          if (audit) await commitPgAuditEntry(db, audit);
        }),
      );
    },
    async reserveAttempt(requestId, at, max) {
      return db.transaction(async () => {
        // Reservations for one request take turns on its row; each counts what the one before
        // committed, so racing guesses cannot all pass the lock.
        await lockRequestRow(db, requestId);
        const [row] = await db.rows<{ id: number }>(
          `INSERT INTO code_attempts (request_id, at) SELECT $1::text, $2::text
           WHERE (SELECT count(*) FROM code_attempts WHERE request_id = $1) < $3::int
           RETURNING id`,
          [requestId, at, max],
        );
        return row?.id;
      });
    },
    async releaseAttempt(attempt) {
      await db.query('DELETE FROM code_attempts WHERE id = $1', [attempt]);
    },
    async recordFailedAttempt(requestId, at) {
      return db.transaction(async () => {
        await lockRequestRow(db, requestId);
        await db.query('INSERT INTO code_attempts (request_id, at) VALUES ($1, $2)', [
          requestId,
          at,
        ]);
        const [row] = await db.rows<{ n: number }>(
          'SELECT count(*)::int AS n FROM code_attempts WHERE request_id = $1',
          [requestId],
        );
        return row?.n ?? 0;
      });
    },
    async decideRequest(requestId, expectedVersion, next, consent, audit) {
      return conflictAs('that consent', () =>
        db.transaction(async () => {
          const tenantId = await lockTenantOf(db, 'consent_requests', requestId);
          if (tenantId === undefined) return false;
          if (!(await appendIfCurrent(db, tenantId, 'request', requestId, expectedVersion, next)))
            return false;
          if (consent) {
            const c = consent.record;
            await insertConsent(db, c);
            await insertFirstVersion(db, c.tenantId, 'consent', c.id, { ...next, state: 'active' });
            await insertParties(db, c.tenantId, c.id, consent.parties);
          }
          if (audit) await commitPgAuditEntry(db, audit);
          return true;
        }),
      );
    },
    async changeConsent(consentId, expectedVersion, next, audit) {
      return conflictAs('that version', () =>
        db.transaction(async () => {
          const tenantId = await lockTenantOf(db, 'consents', consentId);
          if (tenantId === undefined) return false;
          if (!(await appendIfCurrent(db, tenantId, 'consent', consentId, expectedVersion, next)))
            return false;
          if (audit) await commitPgAuditEntry(db, audit);
          return true;
        }),
      );
    },
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
    async eraseSubject(tenantId, pseudonym, audit) {
      await conflictAs('that erasure', () =>
        db.transaction(async () => {
          // A decision that found its request before the erasure finds it gone after.
          await lockVersionOrder(db, tenantId);
          for (const statement of ERASURE) await db.query(statement, [tenantId, pseudonym]);
          await commitPgAuditEntry(db, audit);
        }),
      );
    },
    ...pgPortalSessions(db),
  };
}

/** Locks the request's row against other attempts (not against a consent referring to it). */
async function lockRequestRow(db: PgDatabase, requestId: string): Promise<void> {
  await db.query('SELECT 1 FROM consent_requests WHERE id = $1 FOR NO KEY UPDATE', [requestId]);
}
