import type { Statement } from 'better-sqlite3';
import type { ExchangeStore, WebhookNotification } from '../../exchange/index.ts';
import { toNotification, type NotificationRow } from '../rows/exchange.ts';
import { inTransaction, type SqliteDatabase } from './database.ts';
import { guarded } from './guarded.ts';

export type NotificationOutbox = Pick<ExchangeStore, 'claimNotifications' | 'notificationAttempt'>;

/**
 * The webhook outbox: notifications that a message waits, queued with it in `accept`'s
 * transaction through `insert`, claimed with a lease and marked after each attempt.
 */
export function sqliteNotificationOutbox(db: SqliteDatabase): {
  readonly insert: Statement<[WebhookNotification]>;
  readonly store: NotificationOutbox;
} {
  const insert = db.prepare<[WebhookNotification]>(`INSERT INTO webhook_outbox (id, tenant_id,
    recipient, url, body, attempts, next_attempt_at, state) VALUES (@id, @tenantId, @recipient,
    @url, @body, 0, @nextAttemptAt, 'pending')`);
  const dueOutbox = db.prepare<[string, number], NotificationRow>(`SELECT * FROM webhook_outbox
    WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`);
  const lease = db.prepare<[string, string]>(
    'UPDATE webhook_outbox SET next_attempt_at = ? WHERE id = ?',
  );
  const ended = db.prepare<[string, string]>(
    'UPDATE webhook_outbox SET state = ?, attempts = attempts + 1 WHERE id = ?',
  );
  const retry = db.prepare<[string, string]>(
    'UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?',
  );
  const store: NotificationOutbox = {
    claimNotifications(now, leaseUntil, limit) {
      // One transaction on the single writer: no other claimer reads between select and lease.
      return Promise.resolve(
        inTransaction(db, () => {
          const claimed = dueOutbox.all(now, limit);
          for (const row of claimed) lease.run(leaseUntil, row.id);
          return claimed.map((row) => toNotification(row, leaseUntil));
        }),
      );
    },
    notificationAttempt(id, outcome) {
      return guarded('that notification', () => {
        if (outcome.delivered) ended.run('delivered', id);
        else if (outcome.nextAttemptAt === null) ended.run('failed', id);
        else retry.run(outcome.nextAttemptAt, id);
      });
    },
  };
  return { insert, store };
}
