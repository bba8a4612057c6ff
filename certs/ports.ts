import type { Tenant } from '../tenants/index.ts';
import type { PreparedAppend } from '../audit/ports.ts';
import type { WrappedKey } from './key-wrap.ts';

/** What a gateway key is for. */
export type KeyUse = 'ca' | 'signing' | 'openpgp';

/** Who a certificate belongs to: an agency system, a data-protection officer, an operator. */
export type PrincipalKind = 'agency' | 'dpo' | 'operator' | 'monitor';

// Agency types belong to the shared vocabulary; re-exported for the PKI's callers.
export { AGENCY_TYPES } from '../policies/vocabulary.ts';
import type { AgencyType } from '../policies/vocabulary.ts';
export type { AgencyType };

/** One key of a tenant's gateway: public part in clear, private part wrapped. */
export interface StoredKey {
  readonly tenantId: string;
  readonly kid: string;
  readonly use: KeyUse;
  /** PEM certificate (ca), public JWK as JSON (signing), armored OpenPGP public key (openpgp). */
  readonly publicMaterial: string;
  readonly wrappedPrivate: WrappedKey;
  readonly status: 'active' | 'retired';
  readonly createdAt: string;
}

export interface TrustAnchor {
  readonly tenantId: string;
  readonly fingerprint: string;
  readonly certificatePem: string;
  readonly source: 'tenant_ca' | 'imported';
  readonly subject: string;
  readonly createdAt: string;
}

export interface Principal {
  readonly tenantId: string;
  readonly id: string;
  readonly kind: PrincipalKind;
  readonly agencyType: AgencyType | null;
  readonly displayName: string;
  /** Public JWK (JSON) the gateway encrypts to; absent: the certificate's key. */
  readonly encryptionKey: string | null;
  readonly pgpPublicKey: string | null;
  /** Where the gateway notifies the agency that a message waits (metadata only). */
  readonly webhookUrl: string | null;
  /** Postal address of an agency as controller (Art. 13(1)(a) GDPR); null if not registered. */
  readonly address: string | null;
  /** How to reach the agency's data-protection officer (Art. 13(1)(b) GDPR); null if not registered. */
  readonly dpoContact: string | null;
  readonly createdAt: string;
}

export interface CertificateRecord {
  /** base64url SHA-256 of the DER: the `kid` and `x5t#S256` an assertion may name. */
  readonly fingerprint: string;
  readonly tenantId: string;
  readonly principalId: string;
  /** Normalised hex: lower case, no leading zeros. */
  readonly serial: string;
  readonly issuerFingerprint: string;
  readonly certificatePem: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuedByGateway: boolean;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** A tenant's keys as `init` creates them, stored together with the tenant in one transaction. */
export interface TenantKeyMaterial {
  readonly ca: StoredKey;
  readonly caAnchor: TrustAnchor;
  readonly signing: StoredKey;
  readonly openpgp: StoredKey;
}

/**
 * The storage port of the PKI. Each method that changes state is one transaction in the adapter.
 */
export interface PkiStore {
  /** Records a new tenant together with its CA, signing and OpenPGP keys; `conflict` if taken. */
  createTenant(tenant: Tenant, keys: TenantKeyMaterial): Promise<void>;
  /** The tenant's keys of one use: the active one first, then retired ones, newest first. */
  keys(tenantId: string, use: KeyUse): Promise<StoredKey[]>;
  /** Every tenant's signing keys, for the JWKS. */
  allSigningKeys(): Promise<StoredKey[]>;
  /** Adds a new active key of its use and retires the one active before. */
  rotateKey(key: StoredKey, audit?: PreparedAppend): Promise<void>;

  anchors(tenantId: string): Promise<TrustAnchor[]>;
  /** Throws `conflict` if the anchor is there already. */
  addAnchor(anchor: TrustAnchor): Promise<void>;

  principal(tenantId: string, id: string): Promise<Principal | undefined>;
  principals(tenantId: string): Promise<Principal[]>;
  /** Records a principal with its first certificate; `conflict` if the id is taken. */
  addPrincipal(
    principal: Principal,
    certificate: CertificateRecord,
    audit?: PreparedAppend,
  ): Promise<void>;

  certificateByFingerprint(fingerprint: string): Promise<CertificateRecord | undefined>;
  certificatesBySerial(tenantId: string, serial: string): Promise<CertificateRecord[]>;
  certificatesOf(tenantId: string, principalId: string): Promise<CertificateRecord[]>;
  /** Registers another certificate for an existing principal (renewal, `agency add --cert`). */
  addCertificate(certificate: CertificateRecord): Promise<void>;
  /**
   * Is a certificate of this issuer with this serial revoked? Never older than the last revocation
   * any process committed.
   */
  isRevoked(tenantId: string, issuerFingerprint: string, serial: string): Promise<boolean>;
  /** Marks every certificate of the tenant with that serial revoked; answers how many. */
  revoke(tenantId: string, serial: string, at: string, audit?: PreparedAppend): Promise<number>;
  /** Revoked certificates issued by the gateway's CA, for the CRL, and the next CRL number. */
  revokedForCrl(tenantId: string): Promise<{ revoked: CertificateRecord[]; crlNumber: number }>;

  /**
   * Records a client assertion's `jti` until it expires; answers false if it was seen before.
   * Expired entries are cleaned on the way, now and then (every call, or once a minute).
   */
  useAssertionId(
    tenantId: string,
    issuer: string,
    jti: string,
    expiresAt: string,
    now: string,
  ): Promise<boolean>;
}
