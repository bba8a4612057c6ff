import type { ExchangeStore, WebhookNotification } from '../../exchange/index.ts';
import { toNotification, type NotificationRow } from '../rows/exchange.ts';
import type { D1Database, D1PreparedStatement, D1Value } from './d1.ts';

export type NotificationOutbox = Pick<ExchangeStore, 'claimNotifications' | 'notificationAttempt'>;

/** Queues the notification that a message waits; it goes in the batch that accepts the message. */
export const insertNotification = (db: D1Database, n: WebhookNotification): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO webhook_outbox (id, tenant_id, recipient, url, body, attempts,
         next_attempt_at, state) VALUES (?, ?, ?, ?, ?, 0, ?, 'pending')`,
    )
    .bind(n.id, n.tenantId, n.recipient, n.url, n.body, n.nextAttemptAt);

/** The due notifications, earliest first; the claim's select and its update read the same. */
const DUE = `SELECT id FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at <= ?
  ORDER BY next_attempt_at, id LIMIT ?`;

/** Claiming due webhook notifications and recording their delivery attempts. */
export function d1NotificationOutbox(db: D1Database): NotificationOutbox {
  return {
    async claimNotifications(now, leaseUntil, limit) {
      // Select and lease in one batch: no other claim runs between them.
      const [due] = await db.batch<NotificationRow>([
        db
          .prepare(
            `SELECT * FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at <= ?
             ORDER BY next_attempt_at, id LIMIT ?`,
          )
          .bind(now, limit),
        db
          .prepare(`UPDATE webhook_outbox SET next_attempt_at = ? WHERE id IN (${DUE})`)
          .bind(leaseUntil, now, limit),
      ]);
      return (due?.results ?? []).map((row) => toNotification(row, leaseUntil));
    },
    async notificationAttempt(id, outcome) {
      // Only a pending notification records attempts: delivered and failed are final.
      const [set, values]: [string, D1Value[]] = outcome.delivered
        ? ["state = 'delivered'", []]
        : outcome.nextAttemptAt === null
          ? ["state = 'failed'", []]
          : ['next_attempt_at = ?', [outcome.nextAttemptAt]];
      await db
        .prepare(
          `UPDATE webhook_outbox SET ${set}, attempts = attempts + 1
           WHERE id = ? AND state = 'pending'`,
        )
        .bind(...values, id)
        .run();
    },
  };
}
