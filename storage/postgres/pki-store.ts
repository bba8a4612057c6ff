import type {
  CertificateRecord,
  KeyUse,
  PkiStore,
  Principal,
  StoredKey,
  TrustAnchor,
} from '../../certs/index.ts';
import { GatewayError } from '../../core/index.ts';
import type { AnchorRow, CertificateRow, KeyRow, PrincipalRow } from '../rows/pki.ts';
import {
  CERTIFICATE_COLUMNS,
  certificateValues,
  PRINCIPAL_COLUMNS,
  principalValues,
  toAnchor,
  toCertificate,
  toKey,
  toPrincipal,
} from '../rows/pki.ts';
import { commitPgAuditEntry } from './audit-store.ts';
import { conflictAs, isUniqueViolation, type PgDatabase } from './database.ts';

// Named columns, not `*`: the `inserted` order column stays inside the adapter.
const KEY = `tenant_id, kid, use, public_material, wrapped_private, status, created_at`;
const ANCHOR = `tenant_id, fingerprint, certificate_pem, source, subject, created_at`;

async function insertKey(db: PgDatabase, key: StoredKey): Promise<void> {
  await db.query(`INSERT INTO tenant_keys (${KEY}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    key.tenantId,
    key.kid,
    key.use,
    key.publicMaterial,
    JSON.stringify(key.wrappedPrivate),
    key.status,
    key.createdAt,
  ]);
}

async function insertAnchor(db: PgDatabase, anchor: TrustAnchor): Promise<void> {
  await db.query(`INSERT INTO trust_anchors (${ANCHOR}) VALUES ($1, $2, $3, $4, $5, $6)`, [
    anchor.tenantId,
    anchor.fingerprint,
    anchor.certificatePem,
    anchor.source,
    anchor.subject,
    anchor.createdAt,
  ]);
}

async function insertCertificate(db: PgDatabase, c: CertificateRecord): Promise<void> {
  await db.query(
    `INSERT INTO certificates (${CERTIFICATE_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL)`,
    certificateValues(c, c.issuedByGateway),
  );
}

async function insertPrincipal(db: PgDatabase, p: Principal): Promise<void> {
  await db.query(
    `INSERT INTO principals (${PRINCIPAL_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    principalValues(p),
  );
}

/**
 * A principal and its first certificate; a principal id or a fingerprint taken is a `conflict`
 * naming which (the database's unique keys decide, so two instances racing get one winner).
 */
async function insertPrincipalWithCertificate(
  db: PgDatabase,
  principal: Principal,
  certificate: CertificateRecord,
): Promise<void> {
  try {
    await insertPrincipal(db, principal);
    await insertCertificate(db, certificate);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const detail =
      (error as { constraint?: string }).constraint === 'principals_pkey'
        ? `principal ${principal.id} exists already`
        : 'that certificate is registered already';
    throw new GatewayError('conflict', { detail });
  }
}

/**
 * Serialises rotations of one tenant's key of one use across instances, so each retires the key
 * the one before it made active instead of both trying to add an active key.
 */
async function lockKeyUse(db: PgDatabase, tenantId: string, use: KeyUse): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `tenant_keys/${tenantId}/${use}`,
  ]);
}

async function selectCertificates(
  db: PgDatabase,
  where: string,
  values: unknown[],
  order = 'created_at, inserted',
): Promise<CertificateRecord[]> {
  const rows = await db.rows<CertificateRow>(
    `SELECT ${CERTIFICATE_COLUMNS} FROM certificates WHERE ${where} ORDER BY ${order}`,
    values,
  );
  return rows.map(toCertificate);
}

type TenantKeys = Pick<PkiStore, 'createTenant' | 'keys' | 'allSigningKeys' | 'rotateKey'>;
type Principals = Pick<
  PkiStore,
  | 'anchors'
  | 'addAnchor'
  | 'principal'
  | 'principals'
  | 'addPrincipal'
  | 'certificateByFingerprint'
  | 'certificatesBySerial'
  | 'certificatesOf'
  | 'addCertificate'
>;
type Revocations = Pick<PkiStore, 'isRevoked' | 'revoke' | 'revokedForCrl' | 'useAssertionId'>;

/** Tenants with their keys, and key rotation. */
function pgTenantKeys(db: PgDatabase): TenantKeys {
  return {
    async createTenant(tenant, keys) {
      await conflictAs(`tenant ${tenant.id}`, () =>
        db.transaction(async () => {
          await db.query('INSERT INTO tenants (id, display_name, created_at) VALUES ($1, $2, $3)', [
            tenant.id,
            tenant.displayName,
            tenant.createdAt,
          ]);
          for (const key of [keys.ca, keys.signing, keys.openpgp]) await insertKey(db, key);
          await insertAnchor(db, keys.caAnchor);
        }),
      );
    },
    async keys(tenantId, use) {
      const rows = await db.rows<KeyRow>(
        `SELECT ${KEY} FROM tenant_keys WHERE tenant_id = $1 AND use = $2
         ORDER BY status = 'active' DESC, created_at DESC, inserted DESC`,
        [tenantId, use],
      );
      return rows.map(toKey);
    },
    async allSigningKeys() {
      const rows = await db.rows<KeyRow>(
        `SELECT ${KEY} FROM tenant_keys WHERE use = 'signing'
         ORDER BY tenant_id, created_at, inserted`,
      );
      return rows.map(toKey);
    },
    async rotateKey(key, audit) {
      await db.transaction(async () => {
        await lockKeyUse(db, key.tenantId, key.use);
        await db.query(
          `UPDATE tenant_keys SET status = 'retired', retired_at = $1
           WHERE tenant_id = $2 AND use = $3 AND status = 'active'`,
          [key.createdAt, key.tenantId, key.use],
        );
        await conflictAs(`key ${key.kid}`, () => insertKey(db, { ...key, status: 'active' }));
        if (audit) await commitPgAuditEntry(db, audit);
      });
    },
  };
}

/** Trust anchors, principals and their certificates. */
function pgPrincipals(db: PgDatabase): Principals {
  return {
    async anchors(tenantId) {
      const rows = await db.rows<AnchorRow>(
        `SELECT ${ANCHOR} FROM trust_anchors WHERE tenant_id = $1 ORDER BY created_at, inserted`,
        [tenantId],
      );
      return rows.map(toAnchor);
    },
    async addAnchor(anchor) {
      await conflictAs('that trust anchor', () => insertAnchor(db, anchor));
    },
    async principal(tenantId, id) {
      const [row] = await db.rows<PrincipalRow>(
        `SELECT ${PRINCIPAL_COLUMNS} FROM principals WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      return row ? toPrincipal(row) : undefined;
    },
    async principals(tenantId) {
      const rows = await db.rows<PrincipalRow>(
        `SELECT ${PRINCIPAL_COLUMNS} FROM principals WHERE tenant_id = $1
         ORDER BY created_at, inserted`,
        [tenantId],
      );
      return rows.map(toPrincipal);
    },
    async addPrincipal(principal, certificate, audit) {
      await db.transaction(async () => {
        await insertPrincipalWithCertificate(db, principal, certificate);
        if (audit) await commitPgAuditEntry(db, audit);
      });
    },
    async certificateByFingerprint(fingerprint) {
      const [found] = await selectCertificates(db, 'fingerprint = $1', [fingerprint]);
      return found;
    },
    certificatesBySerial(tenantId, serial) {
      return selectCertificates(db, 'tenant_id = $1 AND serial = $2', [tenantId, serial]);
    },
    certificatesOf(tenantId, principalId) {
      return selectCertificates(db, 'tenant_id = $1 AND principal_id = $2', [
        tenantId,
        principalId,
      ]);
    },
    async addCertificate(certificate) {
      await conflictAs('that certificate', () => insertCertificate(db, certificate));
    },
  };
}

/** Revocation, CRL numbers and used assertion ids. */
function pgRevocations(db: PgDatabase): Revocations {
  return {
    async isRevoked(tenantId, issuerFingerprint, serial) {
      const [row] = await db.rows<{ revoked: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM certificates WHERE tenant_id = $1
           AND issuer_fingerprint = $2 AND serial = $3 AND revoked_at IS NOT NULL) AS revoked`,
        [tenantId, issuerFingerprint, serial],
      );
      return row?.revoked ?? false;
    },
    revoke(tenantId, serial, at, audit) {
      // The condition is re-checked on the locked rows: of two racing revocations, the second
      // finds them revoked, answers 0 and records nothing.
      return db.transaction(async () => {
        const { rowCount } = await db.query(
          `UPDATE certificates SET revoked_at = $1
           WHERE tenant_id = $2 AND serial = $3 AND revoked_at IS NULL`,
          [at, tenantId, serial],
        );
        const changed = rowCount ?? 0;
        if (audit && changed > 0) await commitPgAuditEntry(db, audit);
        return changed;
      });
    },
    revokedForCrl(tenantId) {
      // The number first: its row lock orders concurrent CRLs, so a later number never lists
      // fewer revocations than an earlier one.
      return db.transaction(async () => {
        const [next] = await db.rows<{ last_number: number }>(
          `INSERT INTO crl_numbers (tenant_id, last_number) VALUES ($1, 1)
           ON CONFLICT (tenant_id) DO UPDATE SET last_number = crl_numbers.last_number + 1
           RETURNING last_number`,
          [tenantId],
        );
        const revoked = await selectCertificates(
          db,
          'tenant_id = $1 AND issued_by_gateway AND revoked_at IS NOT NULL',
          [tenantId],
          'revoked_at, inserted',
        );
        return { revoked, crlNumber: next?.last_number ?? 1 };
      });
    },
    async useAssertionId(tenantId, issuer, jti, expiresAt, now) {
      // Expired ids are cleaned on the way, skipping rows another instance is cleaning.
      await db.query(
        `DELETE FROM used_assertions WHERE (tenant_id, issuer, jti) IN (
           SELECT tenant_id, issuer, jti FROM used_assertions WHERE expires_at < $1
           FOR UPDATE SKIP LOCKED)`,
        [now],
      );
      // One statement decides: a new id is stored, an expired one taken over; of racing uses
      // of the same id exactly one gets a row back.
      const { rowCount } = await db.query(
        `INSERT INTO used_assertions (tenant_id, issuer, jti, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, issuer, jti) DO UPDATE SET expires_at = excluded.expires_at
           WHERE used_assertions.expires_at < $5
         RETURNING jti`,
        [tenantId, issuer, jti, expiresAt, now],
      );
      return rowCount === 1;
    },
  };
}

/** The PkiStore over PostgreSQL: each change and its audit entry in one transaction. */
export function pgPkiStore(db: PgDatabase): PkiStore {
  return { ...pgTenantKeys(db), ...pgPrincipals(db), ...pgRevocations(db) };
}
