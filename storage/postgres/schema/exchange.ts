/**
 * The mailbox, idempotency keys and the webhook outbox, as the SQLite schema stands after its
 * ninth step. Timestamps are the domain's ISO-8601 strings as `text`; ordered and range-compared
 * columns are `COLLATE "C"`, byte order as in SQLite (see the PKI schema).
 */
export const EXCHANGE_SCHEMA = `
  -- Only ciphertext rests here; it is deleted on acknowledgement, withholding or purge.
  CREATE TABLE mailbox_messages (
    id text COLLATE "C" PRIMARY KEY,
    tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
    sender text NOT NULL,
    recipient text NOT NULL,
    subject text NOT NULL,
    consent_id text NOT NULL,
    message_type text NOT NULL,
    purpose text NOT NULL,
    -- JSON array; never queried.
    categories text NOT NULL,
    envelope text NOT NULL CHECK (envelope IN ('jwe', 'openpgp')),
    ciphertext text,
    ciphertext_digest text NOT NULL,
    received_at text COLLATE "C" NOT NULL,
    retain_until text COLLATE "C" NOT NULL,
    state text NOT NULL
      CHECK (state IN ('queued', 'delivered', 'acknowledged', 'withheld', 'purged')),
    -- Why a message was withheld, so every later fetch and acknowledgement answers the same.
    withheld_reason text CHECK (withheld_reason IN ('consent_revoked', 'consent_expired'))
  );
  -- Mailbox pages are ordered and continued by (received_at, id).
  CREATE INDEX mailbox_by_recipient ON mailbox_messages (tenant_id, recipient, received_at, id);
  -- Revocation withholds what waits under the consent at once; the sweep finds the rest.
  CREATE INDEX mailbox_waiting_by_consent ON mailbox_messages (tenant_id, consent_id)
    WHERE state IN ('queued', 'delivered');
  -- The purge and the withholding sweep look at waiting messages only, across tenants.
  CREATE INDEX mailbox_waiting_by_retention ON mailbox_messages (retain_until, id)
    WHERE state IN ('queued', 'delivered');
  CREATE INDEX mailbox_waiting_by_arrival ON mailbox_messages (received_at, id)
    WHERE state IN ('queued', 'delivered');

  CREATE TABLE idempotency_keys (
    tenant_id text COLLATE "C" NOT NULL,
    sender text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    response text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant_id, sender, key)
  );

  -- Notifications that a message waits: metadata only, retried with backoff; never blocking.
  CREATE TABLE webhook_outbox (
    id text COLLATE "C" PRIMARY KEY,
    tenant_id text COLLATE "C" NOT NULL,
    recipient text NOT NULL,
    url text NOT NULL,
    body text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at text COLLATE "C" NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed'))
  );
  CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at, id)
    WHERE state = 'pending';
`;

/** The mailbox-depth gauge's count per tenant and recipient reads only what waits. */
export const WAITING_BY_RECIPIENT = `
  CREATE INDEX mailbox_waiting_by_recipient ON mailbox_messages (tenant_id, recipient)
    WHERE state IN ('queued', 'delivered');
`;
