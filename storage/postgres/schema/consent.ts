/**
 * Subjects, consent requests, consents and their versions, portal sessions, as the SQLite schema
 * stands after its ninth step.
 *
 * Timestamps are the domain's ISO-8601 strings, kept as `text` exactly as given; they and the
 * ids that are ordered or compared by range are `COLLATE "C"` (byte order, as SQLite compares).
 * Lists of agencies and categories are `text[]`; JSON that is never queried (wrapped keys, what a
 * session reaches) stays `text`, as written. `consent_versions.seq` is the cursor of the
 * agencies' event feed: the store takes a per-tenant advisory lock before it appends a version,
 * so within a tenant seqs commit in the order they were drawn and a reader behind the cursor
 * misses none (gaps from rolled-back appends do not matter). The consents' `capture` column that
 * SQLite keeps for readers from before channels is not carried over: `channel` says it.
 */
export const CONSENT_SCHEMA = `
  -- Per-tenant secrets (pseudonym and code keys), wrapped under the master key (JSON).
  CREATE TABLE tenant_secrets (
    tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
    name text NOT NULL,
    wrapped text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant_id, name)
  );

  -- A person only as a keyed pseudonym, with a random key (wrapped, JSON) that erasure shreds.
  CREATE TABLE subjects (
    tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
    pseudonym text COLLATE "C" NOT NULL,
    wrapped_key text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant_id, pseudonym)
  );

  -- Ids and code hashes are unique across tenants: requestByCode may search every tenant, and
  -- decideRequest finds a request by its id alone.
  CREATE TABLE consent_requests (
    id text COLLATE "C" PRIMARY KEY,
    tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
    subject text COLLATE "C" NOT NULL,
    requested_by text NOT NULL,
    senders text[] NOT NULL,
    recipients text[] NOT NULL,
    purpose text NOT NULL,
    categories text[] NOT NULL,
    valid_until text COLLATE "C" NOT NULL,
    language text NOT NULL,
    notice_text text NOT NULL,
    notice_hash text NOT NULL,
    code_hash text NOT NULL UNIQUE,
    second_factor_hash text NOT NULL,
    -- Keyed hash of the normalised names and birth date the office recorded, if any.
    identity_hash text,
    code_expires_at text COLLATE "C" NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    FOREIGN KEY (tenant_id, subject) REFERENCES subjects (tenant_id, pseudonym)
  );
  CREATE INDEX consent_requests_by_identity ON consent_requests (tenant_id, identity_hash)
    WHERE identity_hash IS NOT NULL;
  CREATE INDEX consent_requests_by_subject ON consent_requests (tenant_id, subject);

  -- Second-factor attempts; id is the handle reserveAttempt answers and releaseAttempt takes.
  CREATE TABLE code_attempts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id text COLLATE "C" NOT NULL REFERENCES consent_requests (id),
    at text COLLATE "C" NOT NULL
  );
  CREATE INDEX code_attempts_by_request ON code_attempts (request_id);

  CREATE TABLE consents (
    id text COLLATE "C" PRIMARY KEY,
    tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
    subject text COLLATE "C" NOT NULL,
    request_id text COLLATE "C" NOT NULL UNIQUE REFERENCES consent_requests (id),
    senders text[] NOT NULL,
    recipients text[] NOT NULL,
    purpose text NOT NULL,
    categories text[] NOT NULL,
    valid_from text COLLATE "C" NOT NULL,
    valid_until text COLLATE "C" NOT NULL,
    language text NOT NULL,
    notice_hash text NOT NULL,
    -- The exact notice the person read; NULL for consents granted before it was kept.
    notice_text text,
    channel text NOT NULL CHECK (channel IN ('portal-code', 'portal-eid', 'assisted', 'paper')),
    assurance text NOT NULL CHECK (assurance IN ('low', 'substantial', 'high')),
    -- Keyed hash of the withdrawal code only the person holds.
    withdrawal_code_hash text,
    receipt_id text NOT NULL,
    receipt text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    FOREIGN KEY (tenant_id, subject) REFERENCES subjects (tenant_id, pseudonym)
  );
  CREATE INDEX consents_for_check ON consents (tenant_id, subject, purpose);
  CREATE UNIQUE INDEX consents_by_withdrawal_code ON consents (withdrawal_code_hash)
    WHERE withdrawal_code_hash IS NOT NULL;

  -- Every version of every request and consent: never updated; the newest version is the state.
  -- (Rows go only with the subject's erasure.) channel and assurance are NULL for the system's.
  CREATE TABLE consent_versions (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id text COLLATE "C" NOT NULL,
    kind text NOT NULL CHECK (kind IN ('request', 'consent')),
    ref_id text COLLATE "C" NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    state text NOT NULL,
    at text COLLATE "C" NOT NULL,
    actor text NOT NULL,
    channel text CHECK (channel IN ('portal-code', 'portal-eid', 'assisted', 'paper')),
    assurance text CHECK (assurance IN ('low', 'substantial', 'high')),
    UNIQUE (ref_id, version)
  );
  CREATE INDEX consent_versions_by_tenant ON consent_versions (tenant_id, seq);
  CREATE FUNCTION consent_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'consent versions are append-only'; END $$;
  CREATE TRIGGER consent_versions_no_update BEFORE UPDATE ON consent_versions
    FOR EACH ROW EXECUTE FUNCTION consent_versions_append_only();

  -- Which agencies a request or consent concerns (senders, recipients, requester).
  CREATE TABLE consent_parties (
    tenant_id text COLLATE "C" NOT NULL,
    ref_id text COLLATE "C" NOT NULL,
    agency_id text NOT NULL,
    PRIMARY KEY (tenant_id, agency_id, ref_id)
  );

  -- A session reaches one request (code), one consent (withdrawal code) or the person
  -- (identity-verified sign-in, no tenant or subject: resolved on each use). access is JSON.
  CREATE TABLE portal_sessions (
    token_hash text PRIMARY KEY,
    scope text NOT NULL CHECK (scope IN ('request', 'consent', 'person')),
    tenant_id text COLLATE "C",
    subject text COLLATE "C",
    access text NOT NULL,
    channel text NOT NULL CHECK (channel IN ('portal-code', 'portal-eid')),
    assurance text NOT NULL CHECK (assurance IN ('low', 'substantial', 'high')),
    created_at text COLLATE "C" NOT NULL,
    last_seen_at text COLLATE "C" NOT NULL
  );
  CREATE INDEX portal_sessions_by_subject ON portal_sessions (tenant_id, subject);

  -- An identity-verified sign-in in flight (state, nonce, PKCE verifier), keyed by the hash of
  -- the random value in the browser's cookie; used once.
  CREATE TABLE eid_sign_ins (
    id_hash text PRIMARY KEY,
    state text NOT NULL,
    nonce text NOT NULL,
    code_verifier text NOT NULL,
    return_to text,
    created_at text COLLATE "C" NOT NULL
  );
`;

/**
 * The consent sweep reads along the ends of consents and of request codes, oldest first, instead
 * of every row (the SQLite schema's eleventh step; the mailbox's two sweep indexes were here from
 * the start).
 */
export const CONSENT_SWEEP_INDEXES = `
  CREATE INDEX consents_by_end ON consents (valid_until, id);
  CREATE INDEX consent_requests_by_code_end ON consent_requests (code_expires_at, id);
`;
