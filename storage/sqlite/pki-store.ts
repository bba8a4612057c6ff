import type { CertificateRecord, PkiStore } from '../../certs/index.ts';
import { GatewayError } from '../../core/index.ts';
import type { AnchorRow, CertificateRow, KeyRow, PrincipalRow } from '../rows/pki.ts';
import { keyRow, toAnchor, toCertificate, toKey, toPrincipal } from '../rows/pki.ts';
import { inTransaction, type SqliteDatabase } from './database.ts';
import { commitAuditEntry } from './audit-store.ts';
import { guarded } from './guarded.ts';
import { UnchangedReads } from './unchanged-reads.ts';

/** The row as SQLite answers it: `issued_by_gateway` is 0 or 1. */
type SqliteCertificateRow = Omit<CertificateRow, 'issued_by_gateway'> & {
  issued_by_gateway: number;
};
const toSqliteCertificate = (row: SqliteCertificateRow): CertificateRecord =>
  toCertificate({ ...row, issued_by_gateway: row.issued_by_gateway === 1 });

export function sqlitePkiStore(db: SqliteDatabase): PkiStore {
  const insertTenant = db.prepare(
    'INSERT INTO tenants (id, display_name, created_at) VALUES (@id, @displayName, @createdAt)',
  );
  const insertKey = db.prepare(`INSERT INTO tenant_keys
    (tenant_id, kid, use, public_material, wrapped_private, status, created_at)
    VALUES (@tenant_id, @kid, @use, @public_material, @wrapped_private, @status, @created_at)`);
  const retireKeys = db.prepare(`UPDATE tenant_keys SET status = 'retired', retired_at = ?
    WHERE tenant_id = ? AND use = ? AND status = 'active'`);
  const keysOf = db.prepare<[string, string], KeyRow>(`SELECT * FROM tenant_keys
    WHERE tenant_id = ? AND use = ? ORDER BY status = 'active' DESC, created_at DESC, rowid DESC`);
  const signingKeys = db.prepare<[], KeyRow>(`SELECT * FROM tenant_keys WHERE use = 'signing'
    ORDER BY tenant_id, created_at, rowid`);
  const insertAnchor = db.prepare(`INSERT INTO trust_anchors
    (tenant_id, fingerprint, certificate_pem, source, subject, created_at)
    VALUES (@tenantId, @fingerprint, @certificatePem, @source, @subject, @createdAt)`);
  const anchorsOf = db.prepare<[string], AnchorRow>(
    'SELECT * FROM trust_anchors WHERE tenant_id = ? ORDER BY created_at, rowid',
  );
  const insertPrincipal = db.prepare(`INSERT INTO principals
    (tenant_id, id, kind, agency_type, display_name, encryption_key, pgp_public_key, webhook_url,
     address, dpo_contact, created_at)
    VALUES (@tenantId, @id, @kind, @agencyType, @displayName, @encryptionKey, @pgpPublicKey,
     @webhookUrl, @address, @dpoContact, @createdAt)`);
  const principalById = db.prepare<[string, string], PrincipalRow>(
    'SELECT * FROM principals WHERE tenant_id = ? AND id = ?',
  );
  const principalsOf = db.prepare<[string], PrincipalRow>(
    'SELECT * FROM principals WHERE tenant_id = ? ORDER BY created_at, rowid',
  );
  const insertCertificate = db.prepare(`INSERT INTO certificates
    (fingerprint, tenant_id, principal_id, serial, issuer_fingerprint, certificate_pem,
     not_before, not_after, issued_by_gateway, created_at, revoked_at)
    VALUES (@fingerprint, @tenantId, @principalId, @serial, @issuerFingerprint, @certificatePem,
     @notBefore, @notAfter, @issuedByGateway, @createdAt, NULL)`);
  const certificateByFingerprint = db.prepare<[string], SqliteCertificateRow>(
    'SELECT * FROM certificates WHERE fingerprint = ?',
  );
  const certificatesBySerial = db.prepare<[string, string], SqliteCertificateRow>(
    'SELECT * FROM certificates WHERE tenant_id = ? AND serial = ? ORDER BY created_at',
  );
  const certificatesOf = db.prepare<[string, string], SqliteCertificateRow>(
    'SELECT * FROM certificates WHERE tenant_id = ? AND principal_id = ? ORDER BY created_at',
  );
  const revokedBySerial = db.prepare<[string, string, string], { n: number }>(`SELECT COUNT(*) AS n
    FROM certificates WHERE tenant_id = ? AND issuer_fingerprint = ? AND serial = ?
    AND revoked_at IS NOT NULL`);
  const revoke = db.prepare(`UPDATE certificates SET revoked_at = ?
    WHERE tenant_id = ? AND serial = ? AND revoked_at IS NULL`);
  const revokedOfGateway = db.prepare<[string], SqliteCertificateRow>(`SELECT * FROM certificates
    WHERE tenant_id = ? AND issued_by_gateway = 1 AND revoked_at IS NOT NULL ORDER BY revoked_at`);
  const nextCrlNumber = db.prepare<[string], { last_number: number }>(`INSERT INTO crl_numbers
    (tenant_id, last_number) VALUES (?, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET last_number = last_number + 1 RETURNING last_number`);

  // The rows every exchange reads are kept between changes; each write drops them, also when
  // it fails half-way (the transaction rolled back, but a row may have been read in it).
  const reads = new UnchangedReads(db);
  const written = <T>(what: string, work: () => T) =>
    guarded(what, () => {
      try {
        return work();
      } finally {
        reads.forget();
      }
    });
  // A kept answer is handed out again: rows frozen, every caller its own array.
  const keptRows = <T extends object>(key: string, load: () => T[]): T[] => [
    ...reads.read(key, () => load().map((row) => Object.freeze(row))),
  ];
  const keptRow = <T extends object>(key: string, load: () => T | undefined): T | undefined =>
    reads.read(key, () => {
      const row = load();
      return row && Object.freeze(row);
    });

  return {
    createTenant(tenant, keys) {
      return written(`tenant ${tenant.id}`, () => {
        inTransaction(db, () => {
          insertTenant.run(tenant);
          for (const key of [keys.ca, keys.signing, keys.openpgp]) insertKey.run(keyRow(key));
          insertAnchor.run(keys.caAnchor);
        });
      });
    },
    keys(tenantId, use) {
      return Promise.resolve(
        keptRows(`keys\0${tenantId}\0${use}`, () => keysOf.all(tenantId, use).map(toKey)),
      );
    },
    allSigningKeys() {
      return Promise.resolve(signingKeys.all().map(toKey));
    },
    rotateKey(key, audit) {
      return written(`key ${key.kid}`, () => {
        inTransaction(db, () => {
          retireKeys.run(key.createdAt, key.tenantId, key.use);
          insertKey.run(keyRow({ ...key, status: 'active' }));
          if (audit) commitAuditEntry(db, audit);
        });
      });
    },
    anchors(tenantId) {
      return Promise.resolve(
        keptRows(`anchors\0${tenantId}`, () => anchorsOf.all(tenantId).map(toAnchor)),
      );
    },
    addAnchor(anchor) {
      return written('that trust anchor', () => {
        insertAnchor.run(anchor);
      });
    },
    principal(tenantId, id) {
      return Promise.resolve(
        keptRow(`principal\0${tenantId}\0${id}`, () => {
          const row = principalById.get(tenantId, id);
          return row && toPrincipal(row);
        }),
      );
    },
    principals(tenantId) {
      return Promise.resolve(principalsOf.all(tenantId).map(toPrincipal));
    },
    addPrincipal(principal, certificate, audit) {
      if (principalById.get(principal.tenantId, principal.id)) {
        return Promise.reject(
          new GatewayError('conflict', { detail: `principal ${principal.id} exists already` }),
        );
      }
      if (certificateByFingerprint.get(certificate.fingerprint)) {
        return Promise.reject(
          new GatewayError('conflict', { detail: 'that certificate is registered already' }),
        );
      }
      return written(`principal ${principal.id}`, () => {
        inTransaction(db, () => {
          insertPrincipal.run(principal);
          insertCertificate.run({
            ...certificate,
            issuedByGateway: certificate.issuedByGateway ? 1 : 0,
          });
          if (audit) commitAuditEntry(db, audit);
        });
      });
    },
    certificateByFingerprint(fingerprint) {
      return Promise.resolve(
        keptRow(`certificate\0${fingerprint}`, () => {
          const row = certificateByFingerprint.get(fingerprint);
          return row && toSqliteCertificate(row);
        }),
      );
    },
    certificatesBySerial(tenantId, serial) {
      return Promise.resolve(certificatesBySerial.all(tenantId, serial).map(toSqliteCertificate));
    },
    certificatesOf(tenantId, principalId) {
      return Promise.resolve(
        keptRows(`certificates\0${tenantId}\0${principalId}`, () =>
          certificatesOf.all(tenantId, principalId).map(toSqliteCertificate),
        ),
      );
    },
    addCertificate(certificate) {
      return written('that certificate', () => {
        insertCertificate.run({
          ...certificate,
          issuedByGateway: certificate.issuedByGateway ? 1 : 0,
        });
      });
    },
    isRevoked(tenantId, issuerFingerprint, serial) {
      return Promise.resolve(
        reads.read(
          `revoked\0${tenantId}\0${issuerFingerprint}\0${serial}`,
          () => (revokedBySerial.get(tenantId, issuerFingerprint, serial)?.n ?? 0) > 0,
        ),
      );
    },
    revoke(tenantId, serial, at, audit) {
      return written('that revocation', () =>
        inTransaction(db, () => {
          const changes = revoke.run(at, tenantId, serial).changes;
          if (audit && changes > 0) commitAuditEntry(db, audit);
          return changes;
        }),
      );
    },
    revokedForCrl(tenantId) {
      return Promise.resolve(
        inTransaction(db, () => {
          const revoked = revokedOfGateway.all(tenantId).map(toSqliteCertificate);
          const crlNumber = nextCrlNumber.get(tenantId)?.last_number ?? 1;
          return { revoked, crlNumber };
        }),
      );
    },
    useAssertionId: assertionIds(db),
  };
}

const CLEAN_EVERY_MS = 60_000;

/**
 * Client assertion ids, each kept until its assertion expires. Using one is a single INSERT on
 * the primary key, atomic against a replay racing it from any connection. Expired ids are
 * deleted when a minute of the callers' clock has passed since the last time, or when that clock
 * went back, instead of in every authenticated request: an expired assertion is refused by its
 * own expiry (skew included), so an id kept a little longer changes nothing but the table's size.
 */
function assertionIds(db: SqliteDatabase): PkiStore['useAssertionId'] {
  const clean = db.prepare('DELETE FROM used_assertions WHERE expires_at < ?');
  const insert = db.prepare(`INSERT INTO used_assertions (tenant_id, issuer, jti, expires_at)
    VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  let cleanedAt = -Infinity;
  return (tenantId, issuer, jti, expiresAt, now) => {
    const at = Date.parse(now);
    // An unreadable time deletes nothing: compared as text it could match unexpired ids.
    if (Number.isFinite(at) && (at < cleanedAt || at - cleanedAt >= CLEAN_EVERY_MS)) {
      clean.run(new Date(at).toISOString());
      cleanedAt = at;
    }
    return Promise.resolve(insert.run(tenantId, issuer, jti, expiresAt).changes === 1);
  };
}
