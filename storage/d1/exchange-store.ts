import type { PreparedAppend } from '../../audit/index.ts';
import type { ExchangeStore, MailboxMessage } from '../../exchange/index.ts';
import {
  IDEMPOTENCY_COLUMNS,
  idempotencyValues,
  MESSAGE_INSERT_COLUMNS,
  messageValues,
  toMessage,
  waitingOf,
  WAITING,
  WAITING_COUNTS,
  toWaitingCount,
  type MessageRow,
  type WaitingCountRow,
} from '../rows/exchange.ts';
import { auditStatements } from './audit-store.ts';
import { allRows, type D1Database, type D1PreparedStatement, type D1Value } from './d1.ts';
import {
  d1NotificationOutbox,
  insertNotification,
  type NotificationOutbox,
} from './exchange-notifications.ts';
import { guard, NO_CHANGE, runBatch } from './guards.ts';

const insertMessage = (db: D1Database, m: MailboxMessage): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO mailbox_messages (${MESSAGE_INSERT_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(...messageValues(m));

const insertIdempotency = (
  db: D1Database,
  message: MailboxMessage,
  idempotency: Parameters<typeof idempotencyValues>[1],
): D1PreparedStatement =>
  db
    .prepare(`INSERT INTO idempotency_keys (${IDEMPOTENCY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`)
    .bind(...idempotencyValues(message, idempotency));

type MessageWrites = Pick<ExchangeStore, 'accept' | 'withhold' | 'transition'>;

/**
 * Moves a message on in one batch: a guard that the message still waits in one of the states it
 * may move from, the update, and the audit entry. Of racing moves (fetch, acknowledgement, purge,
 * withholding) D1 runs one batch after another; exactly one finds the message waiting, and only
 * that one writes its entry.
 */
async function moveMessage(
  db: D1Database,
  id: string,
  from: readonly string[],
  update: D1PreparedStatement,
  audit: PreparedAppend,
): Promise<boolean> {
  // Scoped to the audit entry's tenant too: a change and its entry belong to one tenant.
  const states = from.map(() => '?').join(', ');
  const result = await runBatch(
    db,
    [
      guard(
        db,
        'no_change',
        `EXISTS (SELECT 1 FROM mailbox_messages
           WHERE id = ? AND tenant_id = ? AND state IN (${states}))`,
        id,
        audit.tenantId,
        ...from,
      ),
      update,
      ...auditStatements(db, audit),
    ],
    'that transition',
  );
  return result !== NO_CHANGE;
}

/** Accepting a message, and moving it on, each with its audit entry in the same batch. */
function d1MessageWrites(db: D1Database): MessageWrites {
  return {
    async accept(message, audit, idempotency, notification) {
      const statements = [insertMessage(db, message)];
      if (idempotency) statements.push(insertIdempotency(db, message, idempotency));
      if (notification) statements.push(insertNotification(db, notification));
      await runBatch(db, [...statements, ...auditStatements(db, audit)], (table) =>
        table === 'idempotency_keys' ? 'that idempotency key' : 'that message',
      );
    },
    withhold(id, reason, audit) {
      return moveMessage(
        db,
        id,
        ['queued', 'delivered'],
        db
          .prepare(
            `UPDATE mailbox_messages SET state = 'withheld', ciphertext = NULL, withheld_reason = ?
             WHERE id = ?`,
          )
          .bind(reason, id),
        audit,
      );
    },
    async transition(id, from, state, audit) {
      const waitingFrom = waitingOf(from);
      if (waitingFrom.length === 0) return false;
      return moveMessage(
        db,
        id,
        waitingFrom,
        db
          .prepare(
            `UPDATE mailbox_messages
             SET state = ?1, ciphertext = CASE WHEN ?1 = 'delivered' THEN ciphertext END
             WHERE id = ?2`,
          )
          .bind(state, id),
        audit,
      );
    },
  };
}

/**
 * Waiting messages whose consent is no longer active at the first parameter: revoked or expired
 * (its newest version), past its end, or gone with the subject's erasure.
 */
const AFTER_CONSENT_ENDED = `SELECT m.* FROM mailbox_messages m
  LEFT JOIN consents c ON c.tenant_id = m.tenant_id AND c.id = m.consent_id
  LEFT JOIN consent_versions v ON v.kind = 'consent' AND v.ref_id = c.id
    AND v.version = (SELECT max(version) FROM consent_versions WHERE ref_id = c.id)
  WHERE m.${WAITING}
    AND (v.state IS NULL OR v.state <> 'active' OR c.valid_until <= ?)
  ORDER BY m.received_at, m.id LIMIT ?`;

/** The mailbox, idempotency records, and the purge and withholding jobs' queries. */
function d1ExchangeQueries(
  db: D1Database,
): Omit<ExchangeStore, keyof MessageWrites | keyof NotificationOutbox> {
  const messages = async (sql: string, ...values: D1Value[]) =>
    (await allRows<MessageRow>(db, sql, ...values)).map(toMessage);
  return {
    dueForPurge(now, limit) {
      return messages(
        `SELECT * FROM mailbox_messages WHERE ${WAITING} AND retain_until <= ?
         ORDER BY retain_until, id LIMIT ?`,
        now,
        limit,
      );
    },
    async idempotent(tenantId, sender, key) {
      const row = await db
        .prepare(
          `SELECT request_hash, response FROM idempotency_keys
           WHERE tenant_id = ? AND sender = ? AND key = ?`,
        )
        .bind(tenantId, sender, key)
        .first<{ request_hash: string; response: string }>();
      return row ? { requestHash: row.request_hash, response: row.response } : undefined;
    },
    async message(tenantId, id) {
      const [found] = await messages(
        'SELECT * FROM mailbox_messages WHERE tenant_id = ? AND id = ?',
        tenantId,
        id,
      );
      return found;
    },
    waiting(tenantId, recipient, after, limit) {
      // (received_at, id), not received_at alone: messages received in the same millisecond on
      // both sides of a page boundary must neither be skipped nor repeated.
      return messages(
        `SELECT * FROM mailbox_messages
         WHERE tenant_id = ? AND recipient = ? AND ${WAITING} AND (received_at, id) > (?, ?)
         ORDER BY received_at, id LIMIT ?`,
        tenantId,
        recipient,
        after?.receivedAt ?? '',
        after?.id ?? '',
        limit,
      );
    },
    async waitingCounts() {
      return (await allRows<WaitingCountRow>(db, WAITING_COUNTS)).map(toWaitingCount);
    },
    waitingUnderConsent(tenantId, consentId) {
      return messages(
        `SELECT * FROM mailbox_messages WHERE tenant_id = ? AND consent_id = ? AND ${WAITING}
         ORDER BY received_at, id`,
        tenantId,
        consentId,
      );
    },
    waitingAfterConsentEnded(now, limit) {
      return messages(AFTER_CONSENT_ENDED, now, limit);
    },
  };
}

/** The ExchangeStore over D1: each state change and its audit entry in one batch. */
export function d1ExchangeStore(db: D1Database): ExchangeStore {
  return { ...d1MessageWrites(db), ...d1NotificationOutbox(db), ...d1ExchangeQueries(db) };
}
