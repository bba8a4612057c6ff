-- One append-only sequence per tenant; `entry` is the canonical JSON that is hashed and served.
-- Appends are ordered by the head row: each batch that appends is guarded by the head's size
-- (see storage/d1/guards.ts), and the primary key (tenant_id, seq) is the backstop.
CREATE TABLE audit_entries (
  tenant_id TEXT NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 0),
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

-- The head: size, root (32 bytes) and right-edge frontier (32-byte hashes, largest subtree
-- first), so an append reads no tree node and a tree head is one row.
CREATE TABLE audit_heads (
  tenant_id TEXT PRIMARY KEY,
  size INTEGER NOT NULL CHECK (size >= 0),
  root BLOB CHECK (length(root) = 32),
  frontier BLOB CHECK (length(frontier) % 32 = 0)
) STRICT;
