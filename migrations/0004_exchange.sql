-- The mailbox, idempotency keys and the webhook outbox.

-- Only ciphertext rests here; it is deleted on acknowledgement, withholding or purge.
CREATE TABLE mailbox_messages (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  sender TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  consent_id TEXT NOT NULL,
  message_type TEXT NOT NULL,
  purpose TEXT NOT NULL,
  -- JSON array; never queried.
  categories TEXT NOT NULL,
  envelope TEXT NOT NULL CHECK (envelope IN ('jwe', 'openpgp')),
  ciphertext TEXT,
  ciphertext_digest TEXT NOT NULL,
  received_at TEXT NOT NULL,
  retain_until TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('queued', 'delivered', 'acknowledged', 'withheld', 'purged')),
  -- Why a message was withheld, so every later fetch and acknowledgement answers the same.
  withheld_reason TEXT CHECK (withheld_reason IN ('consent_revoked', 'consent_expired'))
) STRICT;
-- Mailbox pages are ordered and continued by (received_at, id).
CREATE INDEX mailbox_by_recipient ON mailbox_messages (tenant_id, recipient, received_at, id);
-- Revocation withholds what waits under the consent at once; the sweep finds the rest.
CREATE INDEX mailbox_waiting_by_consent ON mailbox_messages (tenant_id, consent_id)
  WHERE state IN ('queued', 'delivered');

CREATE TABLE idempotency_keys (
  tenant_id TEXT NOT NULL,
  sender TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, sender, key)
) STRICT;

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
