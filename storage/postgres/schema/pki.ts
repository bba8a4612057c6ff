/**
 * Tenants and their PKI, as the SQLite schema stands after its ninth step.
 *
 * Timestamps are the domain's ISO-8601 strings, kept as `text` exactly as given. Columns that are
 * ordered or compared by range (ids, timestamps) are `COLLATE "C"`: byte order, as SQLite
 * compares, whatever locale the database was created with (under en_US, `ex_m1` and `exm0`
 * would sort differently). `inserted` stands in for SQLite's rowid where rows of equal
 * `created_at` are listed in the order they were stored; its gaps do not matter.
 */
export const PKI_SCHEMA = `
  CREATE TABLE tenants (
    id text COLLATE "C" PRIMARY KEY,
    display_name text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    -- JSON of a SupervisoryAuthority, checked when it was set; never queried.
    supervisory_authority text
  );

  -- Gateway keys per tenant: public part in clear, private part wrapped (AES-256-GCM, JSON).
  CREATE TABLE tenant_keys (
    tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
    kid text NOT NULL,
    use text NOT NULL CHECK (use IN ('ca', 'signing', 'openpgp')),
    public_material text NOT NULL,
    wrapped_private text NOT NULL,
    status text NOT NULL CHECK (status IN ('active', 'retired')),
    created_at text COLLATE "C" NOT NULL,
    retired_at text,
    inserted bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (tenant_id, kid)
  );
  CREATE UNIQUE INDEX tenant_keys_one_active ON tenant_keys (tenant_id, use)
    WHERE status = 'active';
  CREATE INDEX tenant_keys_signing ON tenant_keys (tenant_id, created_at, inserted)
    WHERE use = 'signing';

  CREATE TABLE trust_anchors (
    tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
    fingerprint text NOT NULL,
    certificate_pem text NOT NULL,
    source text NOT NULL CHECK (source IN ('tenant_ca', 'imported')),
    subject text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    inserted bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (tenant_id, fingerprint)
  );

  CREATE TABLE principals (
    tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
    id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('agency', 'dpo', 'operator')),
    agency_type text,
    display_name text NOT NULL,
    encryption_key text,
    pgp_public_key text,
    webhook_url text,
    address text,
    dpo_contact text,
    created_at text COLLATE "C" NOT NULL,
    inserted bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (tenant_id, id),
    CHECK ((kind = 'agency') = (agency_type IS NOT NULL))
  );

  -- Every certificate the gateway accepts is registered here; kid = fingerprint.
  CREATE TABLE certificates (
    fingerprint text PRIMARY KEY,
    tenant_id text COLLATE "C" NOT NULL,
    principal_id text NOT NULL,
    serial text NOT NULL,
    issuer_fingerprint text NOT NULL,
    certificate_pem text NOT NULL,
    not_before text NOT NULL,
    not_after text NOT NULL,
    issued_by_gateway boolean NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    revoked_at text COLLATE "C",
    inserted bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (tenant_id, principal_id) REFERENCES principals (tenant_id, id)
  );
  CREATE INDEX certificates_by_serial ON certificates (tenant_id, serial);
  CREATE INDEX certificates_by_principal ON certificates (tenant_id, principal_id);

  CREATE TABLE crl_numbers (
    tenant_id text COLLATE "C" PRIMARY KEY REFERENCES tenants (id),
    last_number bigint NOT NULL
  );

  -- Client assertion ids, kept until the assertion expires, so none is accepted twice.
  CREATE TABLE used_assertions (
    tenant_id text COLLATE "C" NOT NULL,
    issuer text NOT NULL,
    jti text NOT NULL,
    expires_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant_id, issuer, jti)
  );
  CREATE INDEX used_assertions_by_expiry ON used_assertions (expires_at);
`;

/** The steering group's `monitor` principals, and the programme view a tenant may take part in. */
export const MONITOR_ROLE = `
  ALTER TABLE principals DROP CONSTRAINT principals_kind_check;
  ALTER TABLE principals ADD CONSTRAINT principals_kind_check
    CHECK (kind IN ('agency', 'dpo', 'operator', 'monitor'));
  ALTER TABLE tenants ADD COLUMN programme text;
`;

/** What the portal's official pages say about the municipality (JSON of a TenantProfile). */
export const TENANT_PROFILE = `
  ALTER TABLE tenants ADD COLUMN profile text;
`;
