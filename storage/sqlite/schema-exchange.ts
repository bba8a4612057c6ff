/**
 * The mailbox, idempotency keys and webhook notifications: the SQL of the schema's steps about
 * the exchange. The statements keep the indentation they shipped with, as SQLite stores a table's
 * text as written.
 */

/** The mailbox and the idempotency keys. */
export const EXCHANGE_SCHEMA = `
      -- Only ciphertext rests here; it is deleted on acknowledgement, withholding or purge.
      CREATE TABLE mailbox_messages (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        sender TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        consent_id TEXT NOT NULL,
        message_type TEXT NOT NULL,
        purpose TEXT NOT NULL,
        categories TEXT NOT NULL,
        envelope TEXT NOT NULL CHECK (envelope IN ('jwe', 'openpgp')),
        ciphertext TEXT,
        ciphertext_digest TEXT NOT NULL,
        received_at TEXT NOT NULL,
        retain_until TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'acknowledged', 'withheld', 'purged'))
      ) STRICT;
      CREATE INDEX mailbox_by_recipient ON mailbox_messages (tenant_id, recipient, received_at);

      CREATE TABLE idempotency_keys (
        tenant_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, sender, key)
      ) STRICT;
    `;

/** The principals' webhook URLs and the outbox of notifications. */
export const WEBHOOKS = `
      ALTER TABLE principals ADD COLUMN webhook_url TEXT;

      -- Notifications that a message waits: metadata only, retried with backoff; never blocking.
      CREATE TABLE webhook_outbox (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        url TEXT NOT NULL,
        body TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed'))
      ) STRICT;
      CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_at);
    `;

/** Why a message was withheld, and the mailbox by consent and by (received_at, id). */
export const WITHHOLDING_REASON = `
      -- Why a message was withheld, so every later fetch and acknowledgement answers the same.
      ALTER TABLE mailbox_messages ADD COLUMN withheld_reason TEXT
        CHECK (withheld_reason IN ('consent_revoked', 'consent_expired'));
      -- Messages withheld before the reason was kept: their audit entry names it.
      UPDATE mailbox_messages SET withheld_reason = CASE WHEN EXISTS (
          SELECT 1 FROM audit_entries a
          WHERE a.tenant_id = mailbox_messages.tenant_id AND a.event = 'exchange.withheld'
            AND json_extract(a.entry, '$.exchangeId') = mailbox_messages.id
            AND json_extract(a.entry, '$.reasons[0]') = 'consent_expired'
        ) THEN 'consent_expired' ELSE 'consent_revoked' END
      WHERE state = 'withheld';

      -- Revocation withholds what waits under the consent at once; the sweep finds the rest.
      CREATE INDEX mailbox_waiting_by_consent ON mailbox_messages (tenant_id, consent_id)
        WHERE state IN ('queued', 'delivered');
      -- Mailbox pages are ordered and continued by (received_at, id).
      DROP INDEX mailbox_by_recipient;
      CREATE INDEX mailbox_by_recipient ON mailbox_messages (tenant_id, recipient, received_at, id);
    `;

/** Waiting messages by recipient. */
export const WAITING_BY_RECIPIENT = `
      -- The mailbox-depth gauge counts what waits per tenant and recipient at every scrape:
      -- partial, so its cost follows what waits, not every message ever kept.
      CREATE INDEX mailbox_waiting_by_recipient ON mailbox_messages (tenant_id, recipient)
        WHERE state IN ('queued', 'delivered');
    `;
