/**
 * Subjects, consent requests, consents and their versions, portal sessions: the SQL of the
 * schema's steps about consent. The statements keep the indentation they shipped with, as SQLite
 * stores a table's text as written.
 */

/** Tenant secrets, subjects, requests, code attempts, consents, versions, parties, sessions. */
export const CONSENT_SCHEMA = `
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
    `;

/** The notice text a consent was granted on. */
export const CONSENT_NOTICE_TEXT = `
      -- The exact notice the person read before granting, in the language they read it in; its
      -- hash is in the consent and the receipt. NULL for consents granted before it was kept.
      ALTER TABLE consents ADD COLUMN notice_text TEXT;
    `;

/** The person's credentials: identity hash, channel and assurance, scoped sessions. */
export const PERSON_CREDENTIALS = `
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
    `;

/** The minute sweep's indexes over consents, request codes and waiting messages. */
export const SWEEP_INDEXES = `
      -- Each query of the minute sweep reads along one of these: ends of consents and request
      -- codes, and waiting messages by retention and by arrival (partial, so past messages do not
      -- count). Without them every sweep read whole tables.
      CREATE INDEX consents_by_end ON consents (valid_until, id);
      CREATE INDEX consent_requests_by_code_end ON consent_requests (code_expires_at, id);
      CREATE INDEX mailbox_waiting_by_retention ON mailbox_messages (retain_until, id)
        WHERE state IN ('queued', 'delivered');
      CREATE INDEX mailbox_waiting_by_arrival ON mailbox_messages (received_at, id)
        WHERE state IN ('queued', 'delivered');
    `;
