-- Steering groups read aggregates as principals of their own kind. SQLite cannot change a CHECK,
-- so the table is rebuilt. The certificates that name these principals are orphaned between the
-- DROP and the INSERT; deferring foreign keys to the commit lets the INSERT put their parents
-- back before the check runs. The same as the SQLite schema's twelfth step.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE principals_before AS SELECT * FROM principals;
DROP TABLE principals;
CREATE TABLE principals (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('agency', 'dpo', 'operator', 'monitor')),
  agency_type TEXT,
  display_name TEXT NOT NULL,
  encryption_key TEXT,
  pgp_public_key TEXT,
  webhook_url TEXT,
  -- Postal address as controller and how to reach its DPO, named in the consent notice.
  address TEXT,
  dpo_contact TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  CHECK ((kind = 'agency') = (agency_type IS NOT NULL))
) STRICT;
INSERT INTO principals (tenant_id, id, kind, agency_type, display_name, encryption_key,
    pgp_public_key, webhook_url, address, dpo_contact, created_at)
  SELECT tenant_id, id, kind, agency_type, display_name, encryption_key, pgp_public_key,
    webhook_url, address, dpo_contact, created_at FROM principals_before;
DROP TABLE principals_before;
-- The programme whose cross-municipality view this tenant's aggregates take part in; NULL: none.
ALTER TABLE tenants ADD COLUMN programme TEXT;
