import type { ConsentStore } from '../../consent/index.ts';
import { erasureStatements } from '../rows/erasure.ts';
import { commitPgAuditEntry } from './audit-store.ts';
import { pgAttempts } from './consent-attempts.ts';
import { pgConsentEvents, pgConsentQueries } from './consent-queries.ts';
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
import { conflictAs, type PgDatabase } from './database.ts';

/** What erasure removes or unlinks; `$1` is the tenant, `$2` the pseudonym. */
const ERASURE = erasureStatements('$1', '$2');

/**
 * The ConsentStore on PostgreSQL, shared by several gateway instances. Every change is one
 * transaction with its audit entry. Where the SQLite store relies on being the only writer, this
 * one relies on the database: a version is appended only if the one the caller saw is still the
 * newest (one conditional insert against the unique (ref_id, version)); a tenant's versions are
 * appended under a transaction-scoped advisory lock, so the event feed's cursor never passes a
 * version still to commit; a uniqueness violation the port declares is `conflict`.
 */
export function pgConsentStore(db: PgDatabase): ConsentStore {
  return {
    ...pgSubjects(db),
    ...pgConsentQueries(db),
    ...pgConsentEvents(db),
    ...pgAttempts(db),
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
