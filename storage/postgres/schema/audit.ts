/**
 * One append-only sequence per tenant. `entry` is the canonical JSON that is hashed and served.
 * The head row is what every append locks (`SELECT … FOR UPDATE`) in the transaction of the
 * change it records, so appends from several instances are ordered and gap-free: a rolled-back
 * transaction takes its seq with it. The primary key (tenant_id, seq) is the backstop. No
 * database sequence: sequences leave gaps and commit out of order. Times compare byte by byte
 * (COLLATE "C"), as in SQLite, whatever the database's locale.
 */
export const AUDIT_SCHEMA = `
  CREATE TABLE audit_entries (
    tenant_id text NOT NULL REFERENCES tenants (id),
    seq bigint NOT NULL CHECK (seq >= 0),
    time text COLLATE "C" NOT NULL,
    event text NOT NULL,
    actor text NOT NULL,
    sender text,
    recipient text,
    subject_ref text,
    entry text NOT NULL,
    leaf_hash bytea NOT NULL,
    PRIMARY KEY (tenant_id, seq)
  );
  CREATE INDEX audit_entries_by_time ON audit_entries (tenant_id, time);
  CREATE INDEX audit_entries_by_subject ON audit_entries (tenant_id, subject_ref);
  CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
  CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();

  -- Hashes of complete subtrees (RFC 9162): level 0 are leaves.
  CREATE TABLE audit_nodes (
    tenant_id text NOT NULL REFERENCES tenants (id),
    level integer NOT NULL,
    idx bigint NOT NULL,
    hash bytea NOT NULL,
    PRIMARY KEY (tenant_id, level, idx)
  );

  CREATE TABLE audit_heads (
    tenant_id text PRIMARY KEY REFERENCES tenants (id),
    size bigint NOT NULL CHECK (size >= 0)
  );
`;

/**
 * The head row also keeps the root and the right-edge frontier, so an append (under the row lock)
 * reads no tree node and a tree head is one row. Heads written before stay NULL until their next
 * append.
 */
export const AUDIT_HEAD_FRONTIER = `
  ALTER TABLE audit_heads ADD COLUMN root bytea CHECK (octet_length(root) = 32);
  ALTER TABLE audit_heads ADD COLUMN frontier bytea CHECK (octet_length(frontier) % 32 = 0);
`;
