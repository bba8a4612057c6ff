import type { Migration } from './migrations.ts';

/**
 * The gateway's schema, one step per change. Never edit a step that has shipped: add a new one.
 * Tables are STRICT so a wrong type is an error, not a silent conversion.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'tenants',
    sql: `
      CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'agency pki',
    sql: `
      -- Gateway keys per tenant: public part in clear, private part wrapped (AES-256-GCM).
      CREATE TABLE tenant_keys (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        kid TEXT NOT NULL,
        use TEXT NOT NULL CHECK (use IN ('ca', 'signing', 'openpgp')),
        public_material TEXT NOT NULL,
        wrapped_private TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
        created_at TEXT NOT NULL,
        retired_at TEXT,
        PRIMARY KEY (tenant_id, kid)
      ) STRICT;
      CREATE UNIQUE INDEX tenant_keys_one_active ON tenant_keys (tenant_id, use) WHERE status = 'active';

      CREATE TABLE trust_anchors (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        fingerprint TEXT NOT NULL,
        certificate_pem TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('tenant_ca', 'imported')),
        subject TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, fingerprint)
      ) STRICT;

      CREATE TABLE principals (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('agency', 'dpo', 'operator')),
        agency_type TEXT,
        display_name TEXT NOT NULL,
        encryption_key TEXT,
        pgp_public_key TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, id),
        CHECK ((kind = 'agency') = (agency_type IS NOT NULL))
      ) STRICT;

      -- Every certificate the gateway accepts is registered here; kid = fingerprint.
      CREATE TABLE certificates (
        fingerprint TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        principal_id TEXT NOT NULL,
        serial TEXT NOT NULL,
        issuer_fingerprint TEXT NOT NULL,
        certificate_pem TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        issued_by_gateway INTEGER NOT NULL CHECK (issued_by_gateway IN (0, 1)),
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        FOREIGN KEY (tenant_id, principal_id) REFERENCES principals (tenant_id, id)
      ) STRICT;
      CREATE INDEX certificates_by_serial ON certificates (tenant_id, serial);
      CREATE INDEX certificates_by_principal ON certificates (tenant_id, principal_id);

      CREATE TABLE crl_numbers (
        tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
        last_number INTEGER NOT NULL
      ) STRICT;

      -- Client assertion ids, kept until the assertion expires, so none is accepted twice.
      CREATE TABLE used_assertions (
        tenant_id TEXT NOT NULL,
        issuer TEXT NOT NULL,
        jti TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, issuer, jti)
      ) STRICT;
      CREATE INDEX used_assertions_by_expiry ON used_assertions (expires_at);
    `,
  },
  {
    version: 3,
    name: 'consent',
    sql: `
      -- Per-tenant secrets (pseudonym and code keys), wrapped under the master key.
      CREATE TABLE tenant_secrets (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        wrapped TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, name)
      ) STRICT;

      -- A person only as a keyed pseudonym, with a random key that erasure shreds.
      CREATE TABLE subjects (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        pseudonym TEXT NOT NULL,
        wrapped_key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, pseudonym)
      ) STRICT;

      CREATE TABLE consent_requests (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        subject TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        senders TEXT NOT NULL,
        recipients TEXT NOT NULL,
        purpose TEXT NOT NULL,
        categories TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        language TEXT NOT NULL,
        notice_text TEXT NOT NULL,
        notice_hash TEXT NOT NULL,
        code_hash TEXT NOT NULL UNIQUE,
        second_factor_hash TEXT NOT NULL,
        code_expires_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        FOREIGN KEY (tenant_id, subject) REFERENCES subjects (tenant_id, pseudonym)
      ) STRICT;

      CREATE TABLE code_attempts (
        request_id TEXT NOT NULL REFERENCES consent_requests(id),
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX code_attempts_by_request ON code_attempts (request_id);

      CREATE TABLE consents (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        subject TEXT NOT NULL,
        request_id TEXT NOT NULL UNIQUE REFERENCES consent_requests(id),
        senders TEXT NOT NULL,
        recipients TEXT NOT NULL,
        purpose TEXT NOT NULL,
        categories TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        language TEXT NOT NULL,
        notice_hash TEXT NOT NULL,
        capture TEXT NOT NULL CHECK (capture IN ('portal', 'assisted', 'paper')),
        receipt_id TEXT NOT NULL,
        receipt TEXT NOT NULL,
        created_at TEXT NOT NULL,
        FOREIGN KEY (tenant_id, subject) REFERENCES subjects (tenant_id, pseudonym)
      ) STRICT;
      CREATE INDEX consents_for_check ON consents (tenant_id, subject, purpose);

      -- Every version of every request and consent: never updated; the newest version is the
      -- state. (Rows go only with the subject's erasure.)
      CREATE TABLE consent_versions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('request', 'consent')),
        ref_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        state TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        UNIQUE (ref_id, version)
      ) STRICT;
      CREATE TRIGGER consent_versions_append_only_u BEFORE UPDATE ON consent_versions
        BEGIN SELECT RAISE(ABORT, 'consent versions are append-only'); END;

      -- Which agencies a request or consent concerns (senders, recipients, requester).
      CREATE TABLE consent_parties (
        tenant_id TEXT NOT NULL,
        ref_id TEXT NOT NULL,
        agency_id TEXT NOT NULL,
        PRIMARY KEY (tenant_id, agency_id, ref_id)
      ) STRICT;

      CREATE TABLE portal_sessions (
        token_hash TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        request_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'audit log',
    sql: `
      -- One append-only sequence per tenant; entry is the canonical JSON that is hashed and served.
      CREATE TABLE audit_entries (
        tenant_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        time TEXT NOT NULL,
        event TEXT NOT NULL,
        actor TEXT NOT NULL,
        sender TEXT,
        recipient TEXT,
        subject_ref TEXT,
        entry TEXT NOT NULL,
        leaf_hash BLOB NOT NULL,
        PRIMARY KEY (tenant_id, seq)
      ) STRICT;
      CREATE INDEX audit_entries_by_time ON audit_entries (tenant_id, time);
      CREATE INDEX audit_entries_by_subject ON audit_entries (tenant_id, subject_ref);
      CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

      -- Hashes of complete subtrees (RFC 9162): level 0 are leaves.
      CREATE TABLE audit_nodes (
        tenant_id TEXT NOT NULL,
        level INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (tenant_id, level, idx)
      ) STRICT;

      CREATE TABLE audit_heads (
        tenant_id TEXT PRIMARY KEY,
        size INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: 'exchange and mailbox',
    sql: `
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
    `,
  },
  {
    version: 6,
    name: 'webhooks',
    sql: `
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
    `,
  },
  {
    version: 7,
    name: 'consent notice text',
    sql: `
      -- The exact notice the person read before granting, in the language they read it in; its
      -- hash is in the consent and the receipt. NULL for consents granted before it was kept.
      ALTER TABLE consents ADD COLUMN notice_text TEXT;
    `,
  },
  {
    version: 8,
    name: 'withholding reason and mailbox by consent',
    sql: `
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
    `,
  },
  {
    version: 9,
    name: "the person's credentials",
    sql: `
      -- Keyed hash of the normalised name and birth date the office recorded, so an
      -- identity-verified sign-in finds the person's requests without the names in clear.
      ALTER TABLE consent_requests ADD COLUMN identity_hash TEXT;
      CREATE INDEX consent_requests_by_identity ON consent_requests (tenant_id, identity_hash)
        WHERE identity_hash IS NOT NULL;

      -- How the grant was given and how sure the gateway is of who gave it; the withdrawal code
      -- only the person holds, as a keyed hash.
      ALTER TABLE consents ADD COLUMN channel TEXT NOT NULL DEFAULT 'portal-code'
        CHECK (channel IN ('portal-code', 'portal-eid', 'assisted', 'paper'));
      ALTER TABLE consents ADD COLUMN assurance TEXT NOT NULL DEFAULT 'low'
        CHECK (assurance IN ('low', 'substantial', 'high'));
      ALTER TABLE consents ADD COLUMN withdrawal_code_hash TEXT;
      CREATE UNIQUE INDEX consents_by_withdrawal_code ON consents (withdrawal_code_hash)
        WHERE withdrawal_code_hash IS NOT NULL;

      -- Every version says through which channel and at which assurance it was made (NULL for
      -- versions the system made, such as expiry).
      ALTER TABLE consent_versions ADD COLUMN channel TEXT
        CHECK (channel IN ('portal-code', 'portal-eid', 'assisted', 'paper'));
      ALTER TABLE consent_versions ADD COLUMN assurance TEXT
        CHECK (assurance IN ('low', 'substantial', 'high'));

      -- The notice names each office as controller, with its address and its DPO's contact, and
      -- the supervisory authority of the tenant.
      ALTER TABLE principals ADD COLUMN address TEXT;
      ALTER TABLE principals ADD COLUMN dpo_contact TEXT;
      ALTER TABLE tenants ADD COLUMN supervisory_authority TEXT;

      -- A session reaches what its credential opens and nothing else: one request (code), one
      -- consent (withdrawal code) or the person (identity-verified sign-in). Sessions are
      -- short-lived, so the old person-wide ones are simply ended.
      DROP TABLE portal_sessions;
      CREATE TABLE portal_sessions (
        token_hash TEXT PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('request', 'consent', 'person')),
        tenant_id TEXT,
        subject TEXT,
        access TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('portal-code', 'portal-eid')),
        assurance TEXT NOT NULL CHECK (assurance IN ('low', 'substantial', 'high')),
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX portal_sessions_by_subject ON portal_sessions (tenant_id, subject);

      -- An identity-verified sign-in in flight: state, nonce and PKCE verifier, keyed by the hash
      -- of the random value in the browser's cookie; used once.
      CREATE TABLE eid_sign_ins (
        id_hash TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        nonce TEXT NOT NULL,
        code_verifier TEXT NOT NULL,
        return_to TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 10,
    name: 'audit head root and frontier',
    sql: `
      -- An append reads its left siblings from the frontier and a tree head its root, both from
      -- this row. Heads written before stay NULL here until their next append.
      ALTER TABLE audit_heads ADD COLUMN root BLOB;
      ALTER TABLE audit_heads ADD COLUMN frontier BLOB;
    `,
  },
  {
    version: 11,
    name: 'indexes of the sweep',
    sql: `
      -- Each query of the minute sweep reads along one of these: ends of consents and request
      -- codes, and waiting messages by retention and by arrival (partial, so past messages do not
      -- count). Without them every sweep read whole tables.
      CREATE INDEX consents_by_end ON consents (valid_until, id);
      CREATE INDEX consent_requests_by_code_end ON consent_requests (code_expires_at, id);
      CREATE INDEX mailbox_waiting_by_retention ON mailbox_messages (retain_until, id)
        WHERE state IN ('queued', 'delivered');
      CREATE INDEX mailbox_waiting_by_arrival ON mailbox_messages (received_at, id)
        WHERE state IN ('queued', 'delivered');
    `,
  },
  {
    version: 12,
    name: 'monitor role and programme view',
    sql: `
      -- Steering groups read aggregates as principals of their own kind. SQLite cannot change a
      -- CHECK, so the table is rebuilt. The certificates that name these principals are orphaned
      -- between the DROP and the INSERT; deferring foreign keys to the commit lets the INSERT put
      -- their parents back before the check runs.
      PRAGMA defer_foreign_keys = ON;
      CREATE TEMP TABLE principals_before AS SELECT * FROM principals;
      DROP TABLE principals;
      CREATE TABLE principals (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('agency', 'dpo', 'operator', 'monitor')),
        agency_type TEXT,
        display_name TEXT NOT NULL,
        encryption_key TEXT,
        pgp_public_key TEXT,
        created_at TEXT NOT NULL,
        webhook_url TEXT,
        address TEXT,
        dpo_contact TEXT,
        PRIMARY KEY (tenant_id, id),
        CHECK ((kind = 'agency') = (agency_type IS NOT NULL))
      ) STRICT;
      INSERT INTO principals (tenant_id, id, kind, agency_type, display_name, encryption_key,
          pgp_public_key, created_at, webhook_url, address, dpo_contact)
        SELECT tenant_id, id, kind, agency_type, display_name, encryption_key, pgp_public_key,
          created_at, webhook_url, address, dpo_contact FROM principals_before;
      DROP TABLE principals_before;
      -- The programme whose cross-municipality view this tenant's aggregates take part in; NULL:
      -- none, its figures stay within the tenant.
      ALTER TABLE tenants ADD COLUMN programme TEXT;
    `,
  },
  {
    version: 13,
    name: 'tenant profile',
    sql: `
      -- What the portal's Impressum, privacy and accessibility statements and help say about the
      -- municipality (JSON of a TenantProfile); public information of an authority, so in clear.
      ALTER TABLE tenants ADD COLUMN profile TEXT;
    `,
  },
  {
    version: 14,
    name: 'waiting messages by recipient',
    sql: `
      -- The mailbox-depth gauge counts what waits per tenant and recipient at every scrape:
      -- partial, so its cost follows what waits, not every message ever kept.
      CREATE INDEX mailbox_waiting_by_recipient ON mailbox_messages (tenant_id, recipient)
        WHERE state IN ('queued', 'delivered');
    `,
  },
];
