-- Subjects, consent requests, consents and their versions, portal sessions. The consents'
-- `capture` column that SQLite keeps for readers from before channels is not carried over:
-- `channel` says it. Lists of agencies and categories are JSON text, as in SQLite.

-- Per-tenant secrets (pseudonym and code keys), wrapped under the master key (JSON).
CREATE TABLE tenant_secrets (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  wrapped TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, name)
) STRICT;

-- A person only as a keyed pseudonym, with a random key (wrapped, JSON) that erasure shreds.
CREATE TABLE subjects (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  pseudonym TEXT NOT NULL,
  wrapped_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, pseudonym)
) STRICT;

-- Ids and code hashes are unique across tenants: requestByCode may search every tenant, and
-- decideRequest finds a request by its id alone.
CREATE TABLE consent_requests (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
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
  -- Keyed hash of the normalised names and birth date the office recorded, if any.
  identity_hash TEXT,
  code_expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  FOREIGN KEY (tenant_id, subject) REFERENCES subjects (tenant_id, pseudonym)
) STRICT;
CREATE INDEX consent_requests_by_identity ON consent_requests (tenant_id, identity_hash)
  WHERE identity_hash IS NOT NULL;
CREATE INDEX consent_requests_by_subject ON consent_requests (tenant_id, subject);

-- Second-factor attempts; id is the handle reserveAttempt answers and releaseAttempt takes.
CREATE TABLE code_attempts (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES consent_requests (id),
  at TEXT NOT NULL
) STRICT;
CREATE INDEX code_attempts_by_request ON code_attempts (request_id);

CREATE TABLE consents (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  subject TEXT NOT NULL,
  request_id TEXT NOT NULL UNIQUE REFERENCES consent_requests (id),
  senders TEXT NOT NULL,
  recipients TEXT NOT NULL,
  purpose TEXT NOT NULL,
  categories TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  language TEXT NOT NULL,
  notice_hash TEXT NOT NULL,
  -- The exact notice the person read; NULL for consents granted before it was kept.
  notice_text TEXT,
  channel TEXT NOT NULL CHECK (channel IN ('portal-code', 'portal-eid', 'assisted', 'paper')),
  assurance TEXT NOT NULL CHECK (assurance IN ('low', 'substantial', 'high')),
  -- Keyed hash of the withdrawal code only the person holds.
  withdrawal_code_hash TEXT,
  receipt_id TEXT NOT NULL,
  receipt TEXT NOT NULL,
  created_at TEXT NOT NULL,
  FOREIGN KEY (tenant_id, subject) REFERENCES subjects (tenant_id, pseudonym)
) STRICT;
CREATE INDEX consents_for_check ON consents (tenant_id, subject, purpose);
CREATE UNIQUE INDEX consents_by_withdrawal_code ON consents (withdrawal_code_hash)
  WHERE withdrawal_code_hash IS NOT NULL;

-- Every version of every request and consent: never updated; the newest version is the state.
-- (Rows go only with the subject's erasure.) channel and assurance are NULL for the system's.
-- D1 runs one statement or batch at a time, so seqs commit in the order they are drawn and the
-- agencies' event feed, whose cursor seq is, never passes one still to commit.
CREATE TABLE consent_versions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('request', 'consent')),
  ref_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  state TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  channel TEXT CHECK (channel IN ('portal-code', 'portal-eid', 'assisted', 'paper')),
  assurance TEXT CHECK (assurance IN ('low', 'substantial', 'high')),
  UNIQUE (ref_id, version)
) STRICT;
CREATE INDEX consent_versions_by_tenant ON consent_versions (tenant_id, seq);
CREATE TRIGGER consent_versions_append_only BEFORE UPDATE ON consent_versions
  BEGIN SELECT RAISE(ABORT, 'consent versions are append-only'); END;

-- Which agencies a request or consent concerns (senders, recipients, requester).
CREATE TABLE consent_parties (
  tenant_id TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  agency_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, agency_id, ref_id)
) STRICT;

-- A session reaches one request (code), one consent (withdrawal code) or the person
-- (identity-verified sign-in: no tenant or subject, resolved on each use). access is JSON.
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

-- An identity-verified sign-in in flight (state, nonce, PKCE verifier), keyed by the hash of the
-- random value in the browser's cookie; used once.
CREATE TABLE eid_sign_ins (
  id_hash TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to TEXT,
  created_at TEXT NOT NULL
) STRICT;
