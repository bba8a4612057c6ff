/**
 * Tenants, their keys and trust anchors, principals and their certificates: the SQL of the
 * schema's steps about who takes part. The statements keep the indentation they shipped with, as
 * SQLite stores a table's text as written.
 */

/** The tenants. */
export const TENANTS_SCHEMA = `
      CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `;

/** Each tenant's keys, trust anchors, principals, certificates and used assertions. */
export const PKI_SCHEMA = `
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
    `;

/** Principals of the monitor kind, and the programme a tenant takes part in. */
export const MONITOR_ROLE = `
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
    `;

/** The municipality's public profile. */
export const TENANT_PROFILE = `
      -- What the portal's Impressum, privacy and accessibility statements and help say about the
      -- municipality (JSON of a TenantProfile); public information of an authority, so in clear.
      ALTER TABLE tenants ADD COLUMN profile TEXT;
    `;
