import type { ConsentRecord, ConsentStore, NextVersion } from '../../consent/index.ts';
import {
  CONSENT_COLUMNS,
  consentValues,
  listsAsJson,
  REQUEST_COLUMNS,
  requestValues,
  VERSION_COLUMNS,
  versionValues,
} from '../rows/consent.ts';
import { erasureStatements } from '../rows/erasure.ts';
import { auditStatements } from './audit-store.ts';
import { d1Attempts } from './consent-attempts.ts';
import { d1ConsentQueries } from './consent-queries.ts';
import { d1PortalSessions } from './consent-sessions.ts';
import { d1Subjects } from './consent-subjects.ts';
import type { D1Database, D1PreparedStatement } from './d1.ts';
import { guard, NO_CHANGE, runBatch } from './guards.ts';

/** What erasure removes or unlinks; each statement binds the tenant and the pseudonym. */
const ERASURE = erasureStatements('?1', '?2');

/** The first version of a new request or consent. */
const firstVersion = (
  db: D1Database,
  tenantId: string,
  kind: 'request' | 'consent',
  refId: string,
  next: NextVersion<string>,
): D1PreparedStatement =>
  db
    .prepare(`INSERT INTO consent_versions (${VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .bind(...versionValues(tenantId, kind, refId, 1, next));

/**
 * Version `expectedVersion + 1` of the request or consent, guarded: unless `expectedVersion` is
 * still its newest version (and so the ref exists), the batch fails with `no_change` and the
 * port answers false. The tenant is the ref's own, read in the same statement.
 */
const nextVersion = (
  db: D1Database,
  kind: 'request' | 'consent',
  refId: string,
  expectedVersion: number,
  next: NextVersion<string>,
): D1PreparedStatement[] => [
  guard(
    db,
    'no_change',
    '(SELECT max(version) FROM consent_versions WHERE ref_id = ?) = ?',
    refId,
    expectedVersion,
  ),
  db
    .prepare(
      `INSERT INTO consent_versions (${VERSION_COLUMNS})
       SELECT tenant_id, ?, id, ?, ?, ?, ?, ?, ?
       FROM ${kind === 'request' ? 'consent_requests' : 'consents'} WHERE id = ?`,
    )
    .bind(
      kind,
      expectedVersion + 1,
      next.state,
      next.at,
      next.actor,
      next.channel ?? null,
      next.assurance ?? null,
      refId,
    ),
];

/** Which agencies a request or consent concerns, each once. */
const parties = (
  db: D1Database,
  tenantId: string,
  refId: string,
  agencies: readonly string[],
): D1PreparedStatement =>
  db
    .prepare(
      `INSERT OR IGNORE INTO consent_parties (tenant_id, ref_id, agency_id)
       SELECT ?, ?, value FROM json_each(?)`,
    )
    .bind(tenantId, refId, JSON.stringify(agencies));

const insertConsent = (db: D1Database, c: ConsentRecord): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO consents (${CONSENT_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(...consentValues(c, listsAsJson(c)));

type WritePart = Pick<
  ConsentStore,
  'addRequest' | 'decideRequest' | 'changeConsent' | 'eraseSubject'
>;

/**
 * The consent changes, each one batch with its audit entry. Of racing decisions or changes on
 * the same version, D1 runs the batches one after another: the first appends the version, the
 * others find it moved on (their `no_change` guard fails) and write nothing.
 */
function d1ConsentWrites(db: D1Database): WritePart {
  const audited = (audit: Parameters<typeof auditStatements>[1] | undefined) =>
    audit ? auditStatements(db, audit) : [];
  return {
    async addRequest(request, agencies, audit) {
      const r = request;
      await runBatch(
        db,
        [
          db
            .prepare(
              `INSERT INTO consent_requests (${REQUEST_COLUMNS})
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .bind(...requestValues(r, listsAsJson(r))),
          firstVersion(db, r.tenantId, 'request', r.id, {
            state: 'pending',
            at: r.createdAt,
            actor: r.requestedBy,
          }),
          parties(db, r.tenantId, r.id, agencies),
          ...audited(audit),
        ],
        'that request',
      );
    },
    async decideRequest(requestId, expectedVersion, next, consent, audit) {
      const granted = (c: ConsentRecord, agencies: readonly string[]) => [
        insertConsent(db, c),
        firstVersion(db, c.tenantId, 'consent', c.id, { ...next, state: 'active' }),
        parties(db, c.tenantId, c.id, agencies),
      ];
      const result = await runBatch(
        db,
        [
          ...nextVersion(db, 'request', requestId, expectedVersion, next),
          ...(consent ? granted(consent.record, consent.parties) : []),
          ...audited(audit),
        ],
        'that consent',
      );
      return result !== NO_CHANGE;
    },
    async changeConsent(consentId, expectedVersion, next, audit) {
      const result = await runBatch(
        db,
        [...nextVersion(db, 'consent', consentId, expectedVersion, next), ...audited(audit)],
        'that version',
      );
      return result !== NO_CHANGE;
    },
    async eraseSubject(tenantId, pseudonym, audit) {
      await runBatch(
        db,
        [
          ...ERASURE.map((sql) => db.prepare(sql).bind(tenantId, pseudonym)),
          ...auditStatements(db, audit),
        ],
        'that erasure',
      );
    },
  };
}

/** The ConsentStore over D1. */
export function d1ConsentStore(db: D1Database): ConsentStore {
  return {
    ...d1Subjects(db),
    ...d1ConsentQueries(db),
    ...d1Attempts(db),
    ...d1ConsentWrites(db),
    ...d1PortalSessions(db),
  };
}
