import type { ExchangeStore, MailboxMessage, WebhookNotification } from '../../exchange/index.ts';
import type { PreparedAppend } from '../../audit/index.ts';
import { GatewayError } from '../../core/index.ts';
import { commitPgAuditEntry } from './audit-store.ts';
import { isUniqueViolation, type PgDatabase } from './database.ts';
import {
  IDEMPOTENCY_COLUMNS,
  idempotencyValues,
  messageValues,
  toMessage,
  toNotification,
  waitingOf,
  WAITING,
  WAITING_COUNTS,
  toWaitingCount,
  type MessageRow,
  type WaitingCountRow,
  type NotificationRow,
} from '../rows/exchange.ts';

const MESSAGE_COLUMNS = [
  'id',
  'tenant_id',
  'sender',
  'recipient',
  'subject',
  'consent_id',
  'message_type',
  'purpose',
  'categories',
  'envelope',
  'ciphertext',
  'ciphertext_digest',
  'received_at',
  'retain_until',
  'state',
  'withheld_reason',
] as const;
const MESSAGE = MESSAGE_COLUMNS.join(', ');

/** `$from, …, $to`: placeholders for `count` values starting at `from`. */
const placeholders = (from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

/**
 * The message, its idempotency record and its notification as one statement (data-modifying
 * CTEs), so an accepted send holds the tenant's audit head for one round trip, not three.
 */
function acceptStatement(
  message: MailboxMessage,
  idempotency: { key: string; requestHash: string; response: string } | undefined,
  notification: WebhookNotification | undefined,
): { text: string; values: unknown[] } {
  // Every column but withheld_reason: a message is accepted waiting.
  const values = messageValues(message);
  const parts = [
    `message AS (INSERT INTO mailbox_messages (${MESSAGE_COLUMNS.slice(0, values.length).join(', ')})
      VALUES (${placeholders(1, values.length)}))`,
  ];
  if (idempotency) {
    const from = values.length + 1;
    values.push(...idempotencyValues(message, idempotency));
    parts.push(`idempotency AS (INSERT INTO idempotency_keys (${IDEMPOTENCY_COLUMNS})
      VALUES (${placeholders(from, 6)}))`);
  }
  if (notification) {
    const from = values.length + 1;
    values.push(notification.id, notification.tenantId, notification.recipient);
    values.push(notification.url, notification.body, notification.nextAttemptAt);
    parts.push(`notification AS (INSERT INTO webhook_outbox
      (id, tenant_id, recipient, url, body, next_attempt_at, attempts, state)
      VALUES (${placeholders(from, 6)}, 0, 'pending'))`);
  }
  return { text: `WITH ${parts.join(',\n')} SELECT 1`, values };
}

/** A message id or an idempotency key taken is a `conflict` naming which. */
async function asConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const what =
      (error as { constraint?: string }).constraint === 'idempotency_keys_pkey'
        ? 'that idempotency key'
        : 'that message';
    throw new GatewayError('conflict', { detail: `${what} exists already` });
  }
}

/**
 * Waiting messages whose consent is no longer active at $1: revoked or expired (its newest
 * version), past its end, or gone with the subject's erasure. The consent tables are the consent
 * schema's, under their SQLite names.
 */
const AFTER_CONSENT_ENDED = `SELECT ${MESSAGE_COLUMNS.map((c) => `m.${c}`).join(', ')}
  FROM mailbox_messages m
  LEFT JOIN consents c ON c.tenant_id = m.tenant_id AND c.id = m.consent_id
  LEFT JOIN LATERAL (
    SELECT v.state FROM consent_versions v
    WHERE v.tenant_id = c.tenant_id AND v.kind = 'consent' AND v.ref_id = c.id
    ORDER BY v.version DESC LIMIT 1
  ) v ON true
  WHERE m.${WAITING}
    AND (v.state IS NULL OR v.state <> 'active' OR c.valid_until COLLATE "C" <= $1)
  ORDER BY m.received_at, m.id LIMIT $2`;

async function selectMessages(
  db: PgDatabase,
  where: string,
  values: unknown[],
  tail: string,
): Promise<MailboxMessage[]> {
  const rows = await db.rows<MessageRow>(
    `SELECT ${MESSAGE} FROM mailbox_messages WHERE ${where} ${tail}`,
    values,
  );
  return rows.map(toMessage);
}

/** Runs a conditional move with its audit entry; false, and nothing written, if none moved. */
function move(
  db: PgDatabase,
  update: string,
  values: unknown[],
  audit: PreparedAppend,
): Promise<boolean> {
  return db.transaction(async () => {
    const { rowCount } = await db.query(update, values);
    if (rowCount === 0) return false;
    await commitPgAuditEntry(db, audit);
    return true;
  });
}

/**
 * Leases due notifications in one statement. FOR UPDATE SKIP LOCKED passes over the rows another
 * instance is claiming at this moment; a row another instance claimed and committed meanwhile is
 * re-checked once locked and fails `next_attempt_at <= $1`. So no two claimers get one row.
 */
const CLAIM_NOTIFICATIONS = `WITH due AS (
    SELECT id, next_attempt_at FROM webhook_outbox
    WHERE state = 'pending' AND next_attempt_at <= $1
    ORDER BY next_attempt_at, id LIMIT $3
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE webhook_outbox w SET next_attempt_at = $2 FROM due WHERE w.id = due.id
    RETURNING w.id, w.tenant_id, w.recipient, w.url, w.body, w.attempts, w.next_attempt_at,
      due.next_attempt_at AS due_at
  )
  SELECT id, tenant_id, recipient, url, body, attempts, next_attempt_at FROM claimed
  ORDER BY due_at, id`;

type ExchangeWrites = Pick<
  ExchangeStore,
  'accept' | 'claimNotifications' | 'notificationAttempt' | 'withhold' | 'transition'
>;
type ExchangeQueries = Omit<ExchangeStore, keyof ExchangeWrites>;

/**
 * Accepting a message, and moving it on. A message moves by one conditional UPDATE, which
 * PostgreSQL re-checks on the locked row: of racing moves (fetch, acknowledgement, purge,
 * withholding) on several instances exactly one finds it waiting, and only that one writes its
 * audit entry.
 */
function pgExchangeWrites(db: PgDatabase): ExchangeWrites {
  return {
    async accept(message, audit, idempotency, notification) {
      const { text, values } = acceptStatement(message, idempotency, notification);
      await db.transaction(async () => {
        await asConflict(() => db.query(text, values));
        await commitPgAuditEntry(db, audit);
      });
    },
    async claimNotifications(now, leaseUntil, limit) {
      const rows = await db.rows<NotificationRow>(CLAIM_NOTIFICATIONS, [now, leaseUntil, limit]);
      return rows.map((row) => toNotification(row));
    },
    async notificationAttempt(id, outcome) {
      // Only a pending notification records attempts: delivered and failed are final.
      const [set, values] = outcome.delivered
        ? ["state = 'delivered'", [id]]
        : outcome.nextAttemptAt === null
          ? ["state = 'failed'", [id]]
          : ['next_attempt_at = $2', [id, outcome.nextAttemptAt]];
      await db.query(
        `UPDATE webhook_outbox SET ${set}, attempts = attempts + 1
         WHERE id = $1 AND state = 'pending'`,
        values,
      );
    },
    withhold(id, reason, audit) {
      // Scoped to the audit entry's tenant too: a change and its entry belong to one tenant.
      return move(
        db,
        `UPDATE mailbox_messages SET state = 'withheld', ciphertext = NULL, withheld_reason = $1
         WHERE id = $2 AND tenant_id = $3 AND ${WAITING}`,
        [reason, id, audit.tenantId],
        audit,
      );
    },
    async transition(id, from, state, audit) {
      const waitingFrom = waitingOf(from);
      if (waitingFrom.length === 0) return false;
      return move(
        db,
        `UPDATE mailbox_messages
         SET state = $1, ciphertext = CASE WHEN $1 = 'delivered' THEN ciphertext END
         WHERE id = $2 AND tenant_id = $3 AND state = ANY ($4::text[])`,
        [state, id, audit.tenantId, waitingFrom],
        audit,
      );
    },
  };
}

/** The mailbox, idempotency records, and the purge and withholding jobs' queries. */
function pgExchangeQueries(db: PgDatabase): ExchangeQueries {
  const messages = (where: string, values: unknown[], tail: string) =>
    selectMessages(db, where, values, tail);
  return {
    dueForPurge(now, limit) {
      return messages(
        `${WAITING} AND retain_until <= $1`,
        [now, limit],
        'ORDER BY retain_until, id LIMIT $2',
      );
    },
    async idempotent(tenantId, sender, key) {
      const [row] = await db.rows<{ request_hash: string; response: string }>(
        `SELECT request_hash, response FROM idempotency_keys
         WHERE tenant_id = $1 AND sender = $2 AND key = $3`,
        [tenantId, sender, key],
      );
      return row ? { requestHash: row.request_hash, response: row.response } : undefined;
    },
    async message(tenantId, id) {
      const [found] = await messages('tenant_id = $1 AND id = $2', [tenantId, id], '');
      return found;
    },
    waiting(tenantId, recipient, after, limit) {
      // (received_at, id), not received_at alone: messages received in the same millisecond on
      // both sides of a page boundary must neither be skipped nor repeated.
      return messages(
        `tenant_id = $1 AND recipient = $2 AND ${WAITING} AND (received_at, id) > ($3, $4)`,
        [tenantId, recipient, after?.receivedAt ?? '', after?.id ?? '', limit],
        'ORDER BY received_at, id LIMIT $5',
      );
    },
    async waitingCounts() {
      return (await db.rows<WaitingCountRow>(WAITING_COUNTS, [])).map(toWaitingCount);
    },
    waitingUnderConsent(tenantId, consentId) {
      return messages(
        `tenant_id = $1 AND consent_id = $2 AND ${WAITING}`,
        [tenantId, consentId],
        'ORDER BY received_at, id',
      );
    },
    async waitingAfterConsentEnded(now, limit) {
      return (await db.rows<MessageRow>(AFTER_CONSENT_ENDED, [now, limit])).map(toMessage);
    },
  };
}

/** The ExchangeStore over PostgreSQL: each state change and its audit entry in one transaction. */
export function pgExchangeStore(db: PgDatabase): ExchangeStore {
  return { ...pgExchangeWrites(db), ...pgExchangeQueries(db) };
}
