import type {
  CertificateRecord,
  KeyUse,
  Principal,
  StoredKey,
  TrustAnchor,
} from '../../certs/index.ts';

// The PKI's rows as SQLite and PostgreSQL both hand them over, and the records they map to.

export interface KeyRow {
  tenant_id: string;
  kid: string;
  use: KeyUse;
  public_material: string;
  /** The wrapped private key as JSON text, in both databases. */
  wrapped_private: string;
  status: 'active' | 'retired';
  created_at: string;
}
export interface AnchorRow {
  tenant_id: string;
  fingerprint: string;
  certificate_pem: string;
  source: 'tenant_ca' | 'imported';
  subject: string;
  created_at: string;
}
export interface PrincipalRow {
  tenant_id: string;
  id: string;
  kind: Principal['kind'];
  agency_type: Principal['agencyType'];
  display_name: string;
  encryption_key: string | null;
  pgp_public_key: string | null;
  webhook_url: string | null;
  address: string | null;
  dpo_contact: string | null;
  created_at: string;
}
export interface CertificateRow {
  fingerprint: string;
  tenant_id: string;
  principal_id: string;
  serial: string;
  issuer_fingerprint: string;
  certificate_pem: string;
  not_before: string;
  not_after: string;
  /** A boolean from PostgreSQL; SQLite stores 0/1, which its adapter turns into this first. */
  issued_by_gateway: boolean;
  created_at: string;
  revoked_at: string | null;
}

export const toKey = (row: KeyRow): StoredKey => ({
  tenantId: row.tenant_id,
  kid: row.kid,
  use: row.use,
  publicMaterial: row.public_material,
  wrappedPrivate: JSON.parse(row.wrapped_private) as StoredKey['wrappedPrivate'],
  status: row.status,
  createdAt: row.created_at,
});
export const keyRow = (key: StoredKey): KeyRow => ({
  tenant_id: key.tenantId,
  kid: key.kid,
  use: key.use,
  public_material: key.publicMaterial,
  wrapped_private: JSON.stringify(key.wrappedPrivate),
  status: key.status,
  created_at: key.createdAt,
});
export const toAnchor = (row: AnchorRow): TrustAnchor => ({
  tenantId: row.tenant_id,
  fingerprint: row.fingerprint,
  certificatePem: row.certificate_pem,
  source: row.source,
  subject: row.subject,
  createdAt: row.created_at,
});
export const toPrincipal = (row: PrincipalRow): Principal => ({
  tenantId: row.tenant_id,
  id: row.id,
  kind: row.kind,
  agencyType: row.agency_type,
  displayName: row.display_name,
  encryptionKey: row.encryption_key,
  pgpPublicKey: row.pgp_public_key,
  webhookUrl: row.webhook_url,
  address: row.address,
  dpoContact: row.dpo_contact,
  createdAt: row.created_at,
});
export const toCertificate = (row: CertificateRow): CertificateRecord => ({
  fingerprint: row.fingerprint,
  tenantId: row.tenant_id,
  principalId: row.principal_id,
  serial: row.serial,
  issuerFingerprint: row.issuer_fingerprint,
  certificatePem: row.certificate_pem,
  notBefore: row.not_before,
  notAfter: row.not_after,
  issuedByGateway: row.issued_by_gateway,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** The columns of a `principals` row, in the order of {@link principalValues}. */
export const PRINCIPAL_COLUMNS = `tenant_id, id, kind, agency_type, display_name, encryption_key,
  pgp_public_key, webhook_url, address, dpo_contact, created_at`;

/** The values of a new `principals` row, in the order of {@link PRINCIPAL_COLUMNS}. */
export const principalValues = (p: Principal) => [
  p.tenantId,
  p.id,
  p.kind,
  p.agencyType,
  p.displayName,
  p.encryptionKey,
  p.pgpPublicKey,
  p.webhookUrl,
  p.address,
  p.dpoContact,
  p.createdAt,
];

/** The columns of a `certificates` row; {@link certificateValues} fills all but `revoked_at`. */
export const CERTIFICATE_COLUMNS = `fingerprint, tenant_id, principal_id, serial,
  issuer_fingerprint, certificate_pem, not_before, not_after, issued_by_gateway, created_at,
  revoked_at`;

/**
 * The values of a new (unrevoked) `certificates` row, in the order of
 * {@link CERTIFICATE_COLUMNS}; `issuedByGateway` as the driver keeps it (a boolean for
 * PostgreSQL, 0/1 for SQLite and D1).
 */
export const certificateValues = <Flag>(c: CertificateRecord, issuedByGateway: Flag) => [
  c.fingerprint,
  c.tenantId,
  c.principalId,
  c.serial,
  c.issuerFingerprint,
  c.certificatePem,
  c.notBefore,
  c.notAfter,
  issuedByGateway,
  c.createdAt,
];
