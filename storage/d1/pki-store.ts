import type {
  CertificateRecord,
  PkiStore,
  Principal,
  StoredKey,
  TrustAnchor,
} from '../../certs/index.ts';
import type { AnchorRow, CertificateRow, KeyRow, PrincipalRow } from '../rows/pki.ts';
import {
  CERTIFICATE_COLUMNS,
  certificateValues,
  keyRow,
  PRINCIPAL_COLUMNS,
  principalValues,
  toAnchor,
  toCertificate,
  toKey,
  toPrincipal,
} from '../rows/pki.ts';
import { auditStatements } from './audit-store.ts';
import { allRows, type D1Database, type D1PreparedStatement, type D1Value } from './d1.ts';
import { guard, NO_CHANGE, runBatch, runOne } from './guards.ts';

/** The row as D1 answers it: `issued_by_gateway` is 0 or 1, as on SQLite. */
type D1CertificateRow = Omit<CertificateRow, 'issued_by_gateway'> & { issued_by_gateway: number };
const toD1Certificate = (row: D1CertificateRow): CertificateRecord =>
  toCertificate({ ...row, issued_by_gateway: row.issued_by_gateway === 1 });

const insertKey = (db: D1Database, key: StoredKey): D1PreparedStatement => {
  const row = keyRow(key);
  return db
    .prepare(
      `INSERT INTO tenant_keys
       (tenant_id, kid, use, public_material, wrapped_private, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      row.tenant_id,
      row.kid,
      row.use,
      row.public_material,
      row.wrapped_private,
      row.status,
      row.created_at,
    );
};

const insertAnchor = (db: D1Database, a: TrustAnchor): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO trust_anchors
       (tenant_id, fingerprint, certificate_pem, source, subject, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .bind(a.tenantId, a.fingerprint, a.certificatePem, a.source, a.subject, a.createdAt);

const insertPrincipal = (db: D1Database, p: Principal): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO principals (${PRINCIPAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(...principalValues(p));

const insertCertificate = (db: D1Database, c: CertificateRecord): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO certificates (${CERTIFICATE_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
    )
    .bind(...certificateValues(c, c.issuedByGateway ? 1 : 0));

type Reads = Pick<
  PkiStore,
  | 'keys'
  | 'allSigningKeys'
  | 'anchors'
  | 'principal'
  | 'principals'
  | 'certificateByFingerprint'
  | 'certificatesBySerial'
  | 'certificatesOf'
  | 'isRevoked'
>;

/** The PKI's reads. Rows of equal `created_at` are listed in the order they were stored (rowid). */
function d1PkiReads(db: D1Database): Reads {
  const all = <Row>(sql: string, ...values: D1Value[]) => allRows<Row>(db, sql, ...values);
  const certificates = async (where: string, ...values: D1Value[]) =>
    (
      await all<D1CertificateRow>(
        `SELECT * FROM certificates WHERE ${where} ORDER BY created_at, rowid`,
        ...values,
      )
    ).map(toD1Certificate);

  return {
    async keys(tenantId, use) {
      const rows = await all<KeyRow>(
        `SELECT * FROM tenant_keys WHERE tenant_id = ? AND use = ?
         ORDER BY status = 'active' DESC, created_at DESC, rowid DESC`,
        tenantId,
        use,
      );
      return rows.map(toKey);
    },
    async allSigningKeys() {
      const rows = await all<KeyRow>(
        "SELECT * FROM tenant_keys WHERE use = 'signing' ORDER BY tenant_id, created_at, rowid",
      );
      return rows.map(toKey);
    },
    async anchors(tenantId) {
      const rows = await all<AnchorRow>(
        'SELECT * FROM trust_anchors WHERE tenant_id = ? ORDER BY created_at, rowid',
        tenantId,
      );
      return rows.map(toAnchor);
    },
    async principal(tenantId, id) {
      const row = await db
        .prepare('SELECT * FROM principals WHERE tenant_id = ? AND id = ?')
        .bind(tenantId, id)
        .first<PrincipalRow>();
      return row ? toPrincipal(row) : undefined;
    },
    async principals(tenantId) {
      const rows = await all<PrincipalRow>(
        'SELECT * FROM principals WHERE tenant_id = ? ORDER BY created_at, rowid',
        tenantId,
      );
      return rows.map(toPrincipal);
    },
    async certificateByFingerprint(fingerprint) {
      const [found] = await certificates('fingerprint = ?', fingerprint);
      return found;
    },
    certificatesBySerial(tenantId, serial) {
      return certificates('tenant_id = ? AND serial = ?', tenantId, serial);
    },
    certificatesOf(tenantId, principalId) {
      return certificates('tenant_id = ? AND principal_id = ?', tenantId, principalId);
    },
    async isRevoked(tenantId, issuerFingerprint, serial) {
      const row = await db
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM certificates WHERE tenant_id = ? AND issuer_fingerprint = ?
             AND serial = ? AND revoked_at IS NOT NULL) AS revoked`,
        )
        .bind(tenantId, issuerFingerprint, serial)
        .first<{ revoked: number }>();
      return row?.revoked === 1;
    },
  };
}

/** The PKI's changes, each one batch with its audit entry. */
function d1PkiWrites(db: D1Database): Omit<PkiStore, keyof Reads> {
  return {
    async createTenant(tenant, keys) {
      await runBatch(
        db,
        [
          db
            .prepare('INSERT INTO tenants (id, display_name, created_at) VALUES (?, ?, ?)')
            .bind(tenant.id, tenant.displayName, tenant.createdAt),
          ...[keys.ca, keys.signing, keys.openpgp].map((key) => insertKey(db, key)),
          insertAnchor(db, keys.caAnchor),
        ],
        `tenant ${tenant.id}`,
      );
    },
    async rotateKey(key, audit) {
      // Retire and insert in one batch: the partial unique index keeps one active key per use.
      await runBatch(
        db,
        [
          db
            .prepare(
              `UPDATE tenant_keys SET status = 'retired', retired_at = ?
               WHERE tenant_id = ? AND use = ? AND status = 'active'`,
            )
            .bind(key.createdAt, key.tenantId, key.use),
          insertKey(db, { ...key, status: 'active' }),
          ...(audit ? auditStatements(db, audit) : []),
        ],
        `key ${key.kid}`,
      );
    },
    async addAnchor(anchor) {
      await runOne(insertAnchor(db, anchor), 'that trust anchor');
    },
    async addPrincipal(principal, certificate, audit) {
      await runBatch(
        db,
        [
          insertPrincipal(db, principal),
          insertCertificate(db, certificate),
          ...(audit ? auditStatements(db, audit) : []),
        ],
        (table) => (table === 'principals' ? `principal ${principal.id}` : 'that certificate'),
      );
    },
    async addCertificate(certificate) {
      await runOne(insertCertificate(db, certificate), 'that certificate');
    },
    async revoke(tenantId, serial, at, audit) {
      const update = db
        .prepare(
          `UPDATE certificates SET revoked_at = ?
           WHERE tenant_id = ? AND serial = ? AND revoked_at IS NULL`,
        )
        .bind(at, tenantId, serial);
      if (!audit) return (await update.run()).meta.changes;
      // An entry only for a revocation that revokes something: none when all were revoked.
      const results = await runBatch(
        db,
        [
          guard(
            db,
            'no_change',
            `EXISTS (SELECT 1 FROM certificates
               WHERE tenant_id = ? AND serial = ? AND revoked_at IS NULL)`,
            tenantId,
            serial,
          ),
          update,
          ...auditStatements(db, audit),
        ],
        'that revocation',
      );
      return results === NO_CHANGE ? 0 : (results[1]?.meta.changes ?? 0);
    },
    async revokedForCrl(tenantId) {
      // One batch: the number and the list it numbers are read in one transaction.
      const [numbered, revoked] = await db.batch([
        db
          .prepare(
            `INSERT INTO crl_numbers (tenant_id, last_number) VALUES (?, 1)
             ON CONFLICT (tenant_id) DO UPDATE SET last_number = last_number + 1
             RETURNING last_number`,
          )
          .bind(tenantId),
        db
          .prepare(
            `SELECT * FROM certificates WHERE tenant_id = ? AND issued_by_gateway = 1
             AND revoked_at IS NOT NULL ORDER BY revoked_at, rowid`,
          )
          .bind(tenantId),
      ]);
      const crlNumber = (numbered?.results[0] as { last_number: number } | undefined)?.last_number;
      return {
        revoked: ((revoked?.results ?? []) as unknown as D1CertificateRow[]).map(toD1Certificate),
        crlNumber: crlNumber ?? 1,
      };
    },
    async useAssertionId(tenantId, issuer, jti, expiresAt, now) {
      // Expired ids go first, in the same batch: an expired id may be used again.
      const [, inserted] = await db.batch([
        db.prepare('DELETE FROM used_assertions WHERE expires_at < ?').bind(now),
        db
          .prepare(
            `INSERT INTO used_assertions (tenant_id, issuer, jti, expires_at)
             VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          )
          .bind(tenantId, issuer, jti, expiresAt),
      ]);
      return inserted?.meta.changes === 1;
    },
  };
}

/** The PkiStore over D1. */
export function d1PkiStore(db: D1Database): PkiStore {
  return { ...d1PkiReads(db), ...d1PkiWrites(db) };
}
