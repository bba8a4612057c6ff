import type { ConsentRecord, ConsentStore, NextVersion } from '../../consent/index.ts';
import { auditStatements } from './audit-store.ts';
import { d1Attempts } from './consent-attempts.ts';
import { d1ConsentQueries } from './consent-queries.ts';
import { listsAsJson } from './consent-rows.ts';
import { d1PortalSessions } from './consent-sessions.ts';
import { d1Subjects } from './consent-subjects.ts';
import type { D1Database, D1PreparedStatement } from './d1.ts';
import { guard, NO_CHANGE, runBatch } from './guards.ts';

/**
 * What erasure removes or unlinks, in an order the foreign keys allow; each statement binds the
 * tenant and the pseudonym. Messages keep no link to the person either: no pseudonym, no
 * ciphertext; what still waited (under a consent that ended before the sweep reached it) is
 * withheld.
 */
const ERASURE = [
  `DELETE FROM code_attempts WHERE request_id IN
     (SELECT id FROM consent_requests WHERE tenant_id = ?1 AND subject = ?2)`,
  `DELETE FROM consent_versions WHERE tenant_id = ?1 AND ref_id IN
     (SELECT id FROM consents WHERE tenant_id = ?1 AND subject = ?2
      UNION SELECT id FROM consent_requests WHERE tenant_id = ?1 AND subject = ?2)`,
  `DELETE FROM consent_parties WHERE tenant_id = ?1 AND ref_id IN
     (SELECT id FROM consents WHERE tenant_id = ?1 AND subject = ?2
      UNION SELECT id FROM consent_requests WHERE tenant_id = ?1 AND subject = ?2)`,
  'DELETE FROM portal_sessions WHERE tenant_id = ?1 AND subject = ?2',
  `UPDATE mailbox_messages SET
     state = CASE WHEN state IN ('queued', 'delivered') THEN 'withheld' ELSE state END,
     withheld_reason = CASE WHEN state IN ('queued', 'delivered') THEN 'consent_revoked'
       ELSE withheld_reason END,
     ciphertext = NULL, subject = ''
   WHERE tenant_id = ?1 AND subject = ?2`,
  'DELETE FROM consents WHERE tenant_id = ?1 AND subject = ?2',
  'DELETE FROM consent_requests WHERE tenant_id = ?1 AND subject = ?2',
  'DELETE FROM subjects WHERE tenant_id = ?1 AND pseudonym = ?2',
];

const VERSION_COLUMNS = 'tenant_id, kind, ref_id, version, state, at, actor, channel, assurance';

/** The first version of a new request or consent. */
const firstVersion = (
  db: D1Database,
  tenantId: string,
  kind: 'request' | 'consent',
  refId: string,
  next: NextVersion<string>,
): D1PreparedStatement =>
  db
    .prepare(`INSERT INTO consent_versions (${VERSION_COLUMNS}) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)`)
    .bind(
      tenantId,
      kind,
      refId,
      next.state,
      next.at,
      next.actor,
      next.channel ?? null,
      next.assurance ?? null,
    );

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

const insertConsent = (db: D1Database, c: ConsentRecord): D1PreparedStatement => {
  const lists = listsAsJson(c);
  return db
    .prepare(
      `INSERT INTO consents (id, tenant_id, subject, request_id, senders, recipients, purpose,
         categories, valid_from, valid_until, language, notice_hash, notice_text, channel,
         assurance, withdrawal_code_hash, receipt_id, receipt, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      c.id,
      c.tenantId,
      c.subject,
      c.requestId,
      lists.senders,
      lists.recipients,
      c.purpose,
      lists.categories,
      c.validFrom,
      c.validUntil,
      c.language,
      c.noticeHash,
      c.noticeText ?? null,
      c.channel,
      c.assurance,
      c.withdrawalCodeHash ?? null,
      c.receiptId,
      c.receipt,
      c.createdAt,
    );
};

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
      const lists = listsAsJson(r);
      await runBatch(
        db,
        [
          db
            .prepare(
              `INSERT INTO consent_requests (id, tenant_id, subject, requested_by, senders,
                 recipients, purpose, categories, valid_until, language, notice_text, notice_hash,
                 code_hash, second_factor_hash, identity_hash, code_expires_at, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .bind(
              r.id,
              r.tenantId,
              r.subject,
              r.requestedBy,
              lists.senders,
              lists.recipients,
              r.purpose,
              lists.categories,
              r.validUntil,
              r.language,
              r.noticeText,
              r.noticeHash,
              r.codeHash,
              r.secondFactorHash,
              r.identityHash ?? null,
              r.codeExpiresAt,
              r.createdAt,
            ),
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
