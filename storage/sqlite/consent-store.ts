import type {
  ConsentState,
  ConsentStore,
  ConsentWithState,
  NextVersion,
  RequestState,
  RequestWithState,
} from '../../consent/index.ts';
import type {
  ConsentRow as ConsentColumns,
  EventRow,
  RequestRow as RequestColumns,
  VersionRow,
} from '../rows/consent.ts';
import {
  listsAsJson,
  parsedLists,
  toConsentRecord,
  toEvent,
  toRequestRecord,
  toVersion,
  VERSION_COLUMNS,
  versionValues,
} from '../rows/consent.ts';
import { erasureStatements } from '../rows/erasure.ts';
import { inTransaction, type SqliteDatabase } from './database.ts';
import { commitAuditEntry } from './audit-store.ts';
import { dueInChunks, type DueChunkParams, type ScannedRow } from './due-scan.ts';
import { guarded } from './guarded.ts';
import { sqlitePortalSessions } from './portal-session-store.ts';
import { sqliteSubjects } from './subject-store.ts';

type RequestRow = RequestColumns<string>;
type ConsentRow = ConsentColumns<string>;

export function sqliteConsentStore(db: SqliteDatabase): ConsentStore {
  const insertRequest = db.prepare(`INSERT INTO consent_requests (id, tenant_id, subject,
    requested_by, senders, recipients, purpose, categories, valid_until, language, notice_text,
    notice_hash, code_hash, second_factor_hash, identity_hash, code_expires_at, created_at)
    VALUES (@id, @tenantId, @subject, @requestedBy, @senders, @recipients, @purpose, @categories,
    @validUntil, @language, @noticeText, @noticeHash, @codeHash, @secondFactorHash,
    @identityHash, @codeExpiresAt, @createdAt)`);
  const insertVersionRow = db.prepare(`INSERT INTO consent_versions (${VERSION_COLUMNS})
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertVersion = (...args: Parameters<typeof versionValues>) =>
    insertVersionRow.run(...versionValues(...args));
  const insertParty = db.prepare(
    'INSERT OR IGNORE INTO consent_parties (tenant_id, ref_id, agency_id) VALUES (?, ?, ?)',
  );
  const latestVersion = db.prepare<[string], VersionRow>(
    'SELECT * FROM consent_versions WHERE ref_id = ? ORDER BY version DESC LIMIT 1',
  );
  const requestById = db.prepare<[string, string], RequestRow>(
    'SELECT * FROM consent_requests WHERE tenant_id = ? AND id = ?',
  );
  const requestByCode = db.prepare<[string], RequestRow>(
    'SELECT * FROM consent_requests WHERE code_hash = ?',
  );
  const attempts = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM code_attempts WHERE request_id = ?',
  );
  const insertAttempt = db.prepare('INSERT INTO code_attempts (request_id, at) VALUES (?, ?)');
  const deleteAttempt = db.prepare('DELETE FROM code_attempts WHERE rowid = ?');
  const insertConsent = db.prepare(`INSERT INTO consents (id, tenant_id, subject, request_id,
    senders, recipients, purpose, categories, valid_from, valid_until, language, notice_hash,
    notice_text, capture, channel, assurance, withdrawal_code_hash, receipt_id, receipt,
    created_at) VALUES (@id, @tenantId, @subject, @requestId, @senders, @recipients, @purpose,
    @categories, @validFrom, @validUntil, @language, @noticeHash, @noticeText, @capture, @channel,
    @assurance, @withdrawalCodeHash, @receiptId, @receipt, @createdAt)`);
  const consentByWithdrawalCode = db.prepare<[string, string], ConsentRow>(
    'SELECT * FROM consents WHERE tenant_id = ? AND withdrawal_code_hash = ?',
  );
  const subjectsByIdentity = db.prepare<[string, string], { subject: string }>(
    'SELECT DISTINCT subject FROM consent_requests WHERE tenant_id = ? AND identity_hash = ? ORDER BY subject',
  );
  const consentById = db.prepare<[string, string], ConsentRow>(
    'SELECT * FROM consents WHERE tenant_id = ? AND id = ?',
  );
  const consentsFor = db.prepare<[string, string, string], ConsentRow>(
    'SELECT * FROM consents WHERE tenant_id = ? AND subject = ? AND purpose = ? ORDER BY created_at, id',
  );
  const consentsOfSubject = db.prepare<[string, string], ConsentRow>(
    'SELECT * FROM consents WHERE tenant_id = ? AND subject = ? ORDER BY created_at, id',
  );
  const eventsFor = db.prepare<
    [{ tenant: string; agency: string; since: number; limit: number }],
    EventRow
  >(`
    SELECT v.*, COALESCE(c.purpose, r.purpose) AS purpose
    FROM consent_versions v
    JOIN consent_parties p ON p.tenant_id = v.tenant_id AND p.ref_id = v.ref_id AND p.agency_id = @agency
    LEFT JOIN consents c ON v.kind = 'consent' AND c.id = v.ref_id
    LEFT JOIN consent_requests r ON v.kind = 'request' AND r.id = v.ref_id
    WHERE v.tenant_id = @tenant AND v.seq > @since
    ORDER BY v.seq LIMIT @limit`);
  // The newest version per ref is the state; only those still active/pending past their end are
  // due. Read in chunks along the (end, id) indexes, so ended ones behind them never hold the loop.
  const dueChunk = (table: string, end: string, state: string) =>
    db.prepare<[DueChunkParams], ScannedRow>(`SELECT t.${end} AS key, t.id, t.tenant_id,
      (SELECT state FROM consent_versions WHERE ref_id = t.id ORDER BY version DESC LIMIT 1)
        = '${state}' AS due
      FROM ${table} t WHERE t.${end} <= @now AND (t.${end}, t.id) > (@afterKey, @afterId)
      ORDER BY t.${end}, t.id LIMIT @size`);
  const dueConsents = dueChunk('consents', 'valid_until', 'active');
  const dueRequests = dueChunk('consent_requests', 'code_expires_at', 'pending');
  const requestsOfSubject = db.prepare<[string, string], RequestRow>(
    'SELECT * FROM consent_requests WHERE tenant_id = ? AND subject = ? ORDER BY created_at, id',
  );
  const withRequestState = (row: RequestRow): RequestWithState => {
    const current = latestVersion.get(row.id);
    if (!current) throw new Error(`request ${row.id} has no version`);
    return {
      request: toRequestRecord({ ...row, ...parsedLists(row) }),
      current: toVersion<RequestState>(current),
      failedAttempts: attempts.get(row.id)?.n ?? 0,
    };
  };
  const withConsentState = (row: ConsentRow): ConsentWithState => {
    const current = latestVersion.get(row.id);
    if (!current) throw new Error(`consent ${row.id} has no version`);
    return {
      consent: toConsentRecord({ ...row, ...parsedLists(row) }),
      current: toVersion<ConsentState>(current),
    };
  };
  const appendIfCurrent = (
    tenantId: string,
    kind: 'request' | 'consent',
    refId: string,
    expectedVersion: number,
    next: NextVersion<string>,
  ): boolean => {
    const current = latestVersion.get(refId);
    if (current?.version !== expectedVersion) return false;
    insertVersion(tenantId, kind, refId, expectedVersion + 1, next);
    return true;
  };

  return {
    ...sqliteSubjects(db),
    addRequest(request, parties, audit) {
      return guarded('that request', () => {
        inTransaction(db, () => {
          insertRequest.run({
            ...request,
            ...listsAsJson(request),
            identityHash: request.identityHash ?? null,
          });
          insertVersion(request.tenantId, 'request', request.id, 1, {
            state: 'pending',
            at: request.createdAt,
            actor: request.requestedBy,
          });
          for (const agency of parties) insertParty.run(request.tenantId, request.id, agency);
          if (audit) commitAuditEntry(db, audit);
        });
      });
    },
    request(tenantId, id) {
      const row = requestById.get(tenantId, id);
      return Promise.resolve(row ? withRequestState(row) : undefined);
    },
    requestByCode(tenantId, codeHash) {
      const row = requestByCode.get(codeHash);
      if (!row || (tenantId !== undefined && row.tenant_id !== tenantId))
        return Promise.resolve(undefined);
      return Promise.resolve(withRequestState(row));
    },
    reserveAttempt(requestId, at, max) {
      return guarded('that attempt', () =>
        inTransaction(db, () => {
          if ((attempts.get(requestId)?.n ?? 0) >= max) return undefined;
          return Number(insertAttempt.run(requestId, at).lastInsertRowid);
        }),
      );
    },
    releaseAttempt(attempt) {
      deleteAttempt.run(attempt);
      return Promise.resolve();
    },
    recordFailedAttempt(requestId, at) {
      return guarded('that attempt', () =>
        inTransaction(db, () => {
          insertAttempt.run(requestId, at);
          return attempts.get(requestId)?.n ?? 0;
        }),
      );
    },
    decideRequest(requestId, expectedVersion, next, consent, audit) {
      return guarded('that consent', () =>
        inTransaction(db, () => {
          const row = db
            .prepare<[string], RequestRow>('SELECT * FROM consent_requests WHERE id = ?')
            .get(requestId);
          if (!row) return false;
          if (!appendIfCurrent(row.tenant_id, 'request', requestId, expectedVersion, next))
            return false;
          if (consent) {
            const c = consent.record;
            insertConsent.run({
              ...c,
              ...listsAsJson(c),
              noticeText: c.noticeText ?? null,
              // The older column, kept for readers of the schema before channels: the channel's kind.
              capture: c.channel.startsWith('portal') ? 'portal' : c.channel,
              withdrawalCodeHash: c.withdrawalCodeHash ?? null,
            });
            insertVersion(c.tenantId, 'consent', c.id, 1, { ...next, state: 'active' });
            for (const agency of consent.parties) insertParty.run(c.tenantId, c.id, agency);
          }
          if (audit) commitAuditEntry(db, audit);
          return true;
        }),
      );
    },
    consent(tenantId, id) {
      const row = consentById.get(tenantId, id);
      return Promise.resolve(row ? withConsentState(row) : undefined);
    },
    consentsFor(tenantId, subject, purpose) {
      return Promise.resolve(consentsFor.all(tenantId, subject, purpose).map(withConsentState));
    },
    consentsOfSubject(tenantId, subject) {
      return Promise.resolve(consentsOfSubject.all(tenantId, subject).map(withConsentState));
    },
    changeConsent(consentId, expectedVersion, next, audit) {
      return guarded('that version', () =>
        inTransaction(db, () => {
          const row = db
            .prepare<[string], { tenant_id: string }>('SELECT tenant_id FROM consents WHERE id = ?')
            .get(consentId);
          if (!row) return false;
          if (!appendIfCurrent(row.tenant_id, 'consent', consentId, expectedVersion, next))
            return false;
          if (audit) commitAuditEntry(db, audit);
          return true;
        }),
      );
    },
    async dueForExpiry(now, limit) {
      const consents = (await dueInChunks(dueConsents, now, limit)).flatMap((due) => {
        const row = consentById.get(due.tenant_id, due.id);
        return row ? [withConsentState(row)] : [];
      });
      const requests = (await dueInChunks(dueRequests, now, limit)).flatMap((due) => {
        const row = requestById.get(due.tenant_id, due.id);
        return row ? [withRequestState(row)] : [];
      });
      return { consents, requests };
    },
    eventsFor(tenantId, agencyId, sinceSeq, limit) {
      return Promise.resolve(
        eventsFor.all({ tenant: tenantId, agency: agencyId, since: sinceSeq, limit }).map(toEvent),
      );
    },
    requestsOfSubject(tenantId, subject) {
      return Promise.resolve(requestsOfSubject.all(tenantId, subject).map(withRequestState));
    },
    subjectsByIdentity(tenantId, identityHash) {
      return Promise.resolve(
        subjectsByIdentity.all(tenantId, identityHash).map((row) => row.subject),
      );
    },
    consentByWithdrawalCode(tenantId, withdrawalCodeHash) {
      const row = consentByWithdrawalCode.get(tenantId, withdrawalCodeHash);
      return Promise.resolve(row ? withConsentState(row) : undefined);
    },
    eraseSubject(tenantId, pseudonym, audit) {
      return guarded('that erasure', () => {
        inTransaction(db, () => {
          const p = { t: tenantId, s: pseudonym };
          for (const sql of erasureStatements('@t', '@s')) db.prepare(sql).run(p);
          commitAuditEntry(db, audit);
        });
      });
    },
    ...sqlitePortalSessions(db),
  };
}
