-- The gateway's schema on D1, as the SQLite schema (storage/sqlite/schema.ts) stands after its
-- ninth step, written afresh rather than replayed, so the row mappers in storage/rows/ read both.
-- Tables are STRICT, so a wrong type is an error, not a silent conversion. Never edit a file
-- that has shipped: add the next number (wrangler d1 migrations apply runs each file once).

CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- JSON of the tenant's supervisory authority, checked when it was set.
  supervisory_authority TEXT
) STRICT;

-- Gateway keys per tenant: public part in clear, private part wrapped (AES-256-GCM, JSON).
CREATE TABLE tenant_keys (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
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
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  fingerprint TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('tenant_ca', 'imported')),
  subject TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, fingerprint)
) STRICT;

CREATE TABLE principals (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('agency', 'dpo', 'operator')),
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
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
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
