/**
 * The audit log's entries, tree nodes and heads: the SQL of the schema's steps about the audit
 * log. The statements keep the indentation they shipped with, as SQLite stores a table's text as
 * written.
 */

/** The append-only entries, the tree nodes and the heads. */
export const AUDIT_SCHEMA = `
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
    `;

/** The head's root and frontier. */
export const AUDIT_HEAD_FRONTIER = `
      -- An append reads its left siblings from the frontier and a tree head its root, both from
      -- this row. Heads written before stay NULL here until their next append.
      ALTER TABLE audit_heads ADD COLUMN root BLOB;
      ALTER TABLE audit_heads ADD COLUMN frontier BLOB;
    `;
