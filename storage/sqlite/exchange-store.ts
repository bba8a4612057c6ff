import type { Statement } from 'better-sqlite3';
import type {
  ExchangeStore,
  WebhookNotification,
  WithholdingReason,
} from '../../exchange/index.ts';
import { commitAuditEntry } from './audit-store.ts';
import { inTransaction, type SqliteDatabase } from './database.ts';
import { dueInChunks, type DueChunkParams, type ScannedRow } from './due-scan.ts';
import { sqliteNotificationOutbox, type NotificationOutbox } from './exchange-notifications.ts';
import { guarded } from './guarded.ts';
import {
  IDEMPOTENCY_COLUMNS,
  idempotencyValues,
  MESSAGE_INSERT_COLUMNS,
  messageValues,
  toMessage,
  waitingOf,
  WAITING_COUNTS,
  toWaitingCount,
  type MessageRow,
  type WaitingCountRow,
} from '../rows/exchange.ts';

type MessageWrites = Pick<ExchangeStore, 'accept' | 'withhold' | 'transition'>;

/**
 * Accepting a message (with its idempotency record and webhook notification, queued through
 * `insertNotification`), and moving it on, each with its audit entry in the same transaction.
 */
function sqliteMessageWrites(
  db: SqliteDatabase,
  insertNotification: Statement<[WebhookNotification]>,
): MessageWrites {
  const insertIdem = db.prepare(
    `INSERT INTO idempotency_keys (${IDEMPOTENCY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insert = db.prepare(`INSERT INTO mailbox_messages (${MESSAGE_INSERT_COLUMNS})
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // A transition's UPDATE depends on the states it leaves and whether the ciphertext stays: a
  // handful of texts, each prepared the first time it is needed, not on every fetch.
  const transitions = new Map<string, Statement>();
  const transitionStatement = (sql: string) => {
    let statement = transitions.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      transitions.set(sql, statement);
    }
    return statement;
  };
  const withhold = db.prepare<[WithholdingReason, string]>(`UPDATE mailbox_messages
    SET state = 'withheld', ciphertext = NULL, withheld_reason = ?
    WHERE id = ? AND state IN ('queued', 'delivered')`);
  return {
    accept(message, audit, idempotency, notification) {
      return guarded('that message', () => {
        inTransaction(db, () => {
          insert.run(...messageValues(message));
          if (idempotency) {
            insertIdem.run(...idempotencyValues(message, idempotency));
          }
          if (notification) insertNotification.run(notification);
          commitAuditEntry(db, audit);
        });
      });
    },
    withhold(id, reason, audit) {
      return guarded('that withholding', () =>
        inTransaction(db, () => {
          if (withhold.run(reason, id).changes === 0) return false;
          commitAuditEntry(db, audit);
          return true;
        }),
      );
    },
    transition(id, from, state, audit) {
      const waitingFrom = waitingOf(from);
      if (waitingFrom.length === 0) return Promise.resolve(false);
      return guarded('that transition', () =>
        inTransaction(db, () => {
          const keep = state === 'delivered';
          const result = transitionStatement(
            `UPDATE mailbox_messages SET state = ?, ciphertext = ${keep ? 'ciphertext' : 'NULL'}
               WHERE id = ? AND state IN (${waitingFrom.map(() => '?').join(', ')})`,
          ).run(state, id, ...waitingFrom);
          if (result.changes === 0) return false;
          commitAuditEntry(db, audit);
          return true;
        }),
      );
    },
  };
}

/** The mailbox, idempotency records, and the purge and withholding jobs' queries. */
function sqliteExchangeQueries(
  db: SqliteDatabase,
): Omit<ExchangeStore, keyof MessageWrites | keyof NotificationOutbox> {
  const idem = db.prepare<[string, string, string], { request_hash: string; response: string }>(
    'SELECT request_hash, response FROM idempotency_keys WHERE tenant_id = ? AND sender = ? AND key = ?',
  );
  const byId = db.prepare<[string, string], MessageRow>(
    'SELECT * FROM mailbox_messages WHERE tenant_id = ? AND id = ?',
  );
  // (received_at, id), not received_at alone: messages received in the same millisecond on both
  // sides of a page boundary must neither be skipped nor repeated.
  const waiting = db.prepare<
    [string, string, string, string, number],
    MessageRow
  >(`SELECT * FROM mailbox_messages
    WHERE tenant_id = ? AND recipient = ? AND state IN ('queued', 'delivered')
      AND (received_at, id) > (?, ?)
    ORDER BY received_at, id LIMIT ?`);
  const counts = db.prepare<[], WaitingCountRow>(WAITING_COUNTS);
  const underConsent = db.prepare<[string, string], MessageRow>(`SELECT * FROM mailbox_messages
    WHERE tenant_id = ? AND consent_id = ? AND state IN ('queued', 'delivered')
    ORDER BY received_at, id`);
  // A consent's state is its newest version; a consent gone with its subject's erasure has ended.
  // Every waiting message is looked at, so they are read in chunks along their arrival.
  const afterConsentEnded = db.prepare<[DueChunkParams], ScannedRow>(`SELECT
      m.received_at AS key, m.id, m.tenant_id,
      c.id IS NULL OR c.valid_until <= @now OR (SELECT state FROM consent_versions
        WHERE ref_id = c.id ORDER BY version DESC LIMIT 1) IS NOT 'active' AS due
    FROM mailbox_messages m
    LEFT JOIN consents c ON c.tenant_id = m.tenant_id AND c.id = m.consent_id
    WHERE m.state IN ('queued', 'delivered') AND (m.received_at, m.id) > (@afterKey, @afterId)
    ORDER BY m.received_at, m.id LIMIT @size`);
  const due = db.prepare<[string, number], MessageRow>(`SELECT * FROM mailbox_messages
    WHERE state IN ('queued', 'delivered') AND retain_until <= ?
    ORDER BY retain_until, id LIMIT ?`);
  return {
    dueForPurge(now, limit) {
      return Promise.resolve(due.all(now, limit).map(toMessage));
    },
    idempotent(tenantId, sender, key) {
      const row = idem.get(tenantId, sender, key);
      return Promise.resolve(
        row ? { requestHash: row.request_hash, response: row.response } : undefined,
      );
    },
    message(tenantId, id) {
      const row = byId.get(tenantId, id);
      return Promise.resolve(row ? toMessage(row) : undefined);
    },
    waiting(tenantId, recipient, after, limit) {
      return Promise.resolve(
        waiting
          .all(tenantId, recipient, after?.receivedAt ?? '', after?.id ?? '', limit)
          .map(toMessage),
      );
    },
    waitingCounts() {
      return Promise.resolve(counts.all().map(toWaitingCount));
    },
    waitingUnderConsent(tenantId, consentId) {
      return Promise.resolve(underConsent.all(tenantId, consentId).map(toMessage));
    },
    async waitingAfterConsentEnded(now, limit) {
      return (await dueInChunks(afterConsentEnded, now, limit)).flatMap((due) => {
        const row = byId.get(due.tenant_id, due.id);
        return row && waitingOf([row.state]).length > 0 ? [toMessage(row)] : [];
      });
    },
  };
}

/** The ExchangeStore over SQLite: each state change and its audit entry in one transaction. */
export function sqliteExchangeStore(db: SqliteDatabase): ExchangeStore {
  const outbox = sqliteNotificationOutbox(db);
  return {
    ...outbox.store,
    ...sqliteExchangeQueries(db),
    ...sqliteMessageWrites(db, outbox.insert),
  };
}
