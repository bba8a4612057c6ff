import type * as x509 from '@peculiar/x509';
import type { AuditDraft, AuditLog } from '../audit/log.ts';
import type { PreparedAppend } from '../audit/ports.ts';
import { GatewayError, type Clock } from '../core/index.ts';
import { verifyCertificateChain } from './chain.ts';
import { createCrl } from './crl.ts';
import { parseEncryptionKey } from './encryption-key.ts';
import { certificateFingerprint, issueCertificate, PRINCIPAL_ID_PATTERN } from './issue.ts';
import { checkSubjectKey } from './key-policy.ts';
import { keyContext, unwrapPrivateKey } from './key-wrap.ts';
import { checkMasterKey } from './master-key-check.ts';
import { readPgpPublicKey } from './openpgp.ts';
import {
  AGENCY_TYPES,
  type AgencyType,
  type CertificateRecord,
  type PkiStore,
  type Principal,
  type PrincipalKind,
  type TrustAnchor,
} from './ports.ts';
import { newSigningKey } from './provision.ts';
import { normalizeSerial } from './serial.ts';
import { importAnchor, parseCertificate } from './x509.ts';

/** What the PKI operations need: storage, time and the key that unwraps the CA key. */
export interface PkiDeps {
  readonly pki: PkiStore;
  readonly clock: Clock;
  readonly masterKey: CryptoKey;
  /** Where issuance, revocation and rotation are recorded (in the same transaction). */
  readonly audit?: AuditLog;
}

/** Runs a PKI change with its audit entry when a log is given, or alone (tests of the PKI). */
function audited<T>(
  deps: Pick<PkiDeps, 'audit'>,
  tenantId: string,
  draft: AuditDraft,
  change: (prepared?: PreparedAppend) => Promise<T>,
): Promise<T> {
  return deps.audit ? deps.audit.record(tenantId, draft, change) : change();
}

export interface NewPrincipal {
  readonly tenantId: string;
  readonly id: string;
  readonly kind: PrincipalKind;
  /** Required for agencies, absent for DPOs and operators. */
  readonly agencyType?: string;
  readonly displayName?: string;
  /** A public JWK or SPKI PEM the gateway will encrypt to (agencies only). */
  readonly encryptionKey?: string;
  /** An armored OpenPGP public key for `openpgp` envelopes (agencies only). */
  readonly pgpPublicKey?: string;
  /** https URL (http only to loopback, for tests) the gateway notifies when a message waits. */
  readonly webhookUrl?: string;
  /** Postal address, one line, shown in consent notices as the controller's (agencies only). */
  readonly address?: string;
  /** E-mail, phone or postal contact of the data-protection officer (agencies only). */
  readonly dpoContact?: string;
}

export interface RegisteredCertificate {
  readonly pem: string;
  readonly serial: string;
  readonly fingerprint: string;
  readonly notAfter: string;
}

async function tenantCa(deps: PkiDeps, tenantId: string) {
  const [caKey] = await deps.pki.keys(tenantId, 'ca');
  if (!caKey) throw new GatewayError('not_found', { detail: `no tenant ${tenantId}` });
  const certificate = parseCertificate(caKey.publicMaterial);
  const privateKey = await unwrapPrivateKey(
    deps.masterKey,
    caKey.wrappedPrivate,
    keyContext(tenantId, 'ca', caKey.kid),
    { name: 'ECDSA', namedCurve: 'P-256' },
    ['sign'],
  );
  return { certificate, privateKey, fingerprint: caKey.kid };
}

async function principalFields(input: NewPrincipal, clock: Clock) {
  // The id ends up in certificates, URNs and assertions: the same rule on every path in.
  if (!PRINCIPAL_ID_PATTERN.test(input.id)) {
    throw new GatewayError('validation_failed', {
      detail: 'a principal id is 2–63 lower-case letters, digits, ".", "_" or "-"',
      errors: [
        { path: '/id', message: 'lower-case letters, digits, ".", "_", "-"; 2–63 characters' },
      ],
    });
  }
  if (input.kind === 'agency') {
    if (!(AGENCY_TYPES as readonly string[]).includes(input.agencyType ?? '')) {
      throw new GatewayError('validation_failed', {
        detail: `agency type must be one of ${AGENCY_TYPES.join(', ')}`,
        errors: [{ path: '/type', message: `one of ${AGENCY_TYPES.join(', ')}` }],
      });
    }
  } else if (
    input.agencyType !== undefined ||
    input.encryptionKey !== undefined ||
    input.pgpPublicKey !== undefined ||
    input.address !== undefined ||
    input.dpoContact !== undefined
  ) {
    throw new GatewayError('validation_failed', {
      detail:
        'only agencies have an agency type, an encryption key, an OpenPGP key, an address or a DPO contact',
    });
  }
  const encryptionKey =
    input.encryptionKey === undefined
      ? null
      : JSON.stringify(await parseEncryptionKey(input.encryptionKey));
  if (input.pgpPublicKey !== undefined) await readPgpPublicKey(input.pgpPublicKey);
  const displayName = (input.displayName ?? input.id).trim();
  if (displayName.length === 0 || displayName.length > 200) {
    throw new GatewayError('validation_failed', { detail: 'a display name is 1–200 characters' });
  }
  return {
    tenantId: input.tenantId,
    id: input.id,
    kind: input.kind,
    agencyType: input.kind === 'agency' ? (input.agencyType as AgencyType) : null,
    displayName,
    encryptionKey,
    pgpPublicKey: input.pgpPublicKey ?? null,
    webhookUrl: input.webhookUrl === undefined ? null : checkWebhookUrl(input.webhookUrl),
    address: input.address === undefined ? null : noticeLine(input.address, 'address', 300),
    dpoContact:
      input.dpoContact === undefined ? null : noticeLine(input.dpoContact, 'dpoContact', 200),
    createdAt: clock.now().toISOString(),
  };
}

/**
 * Registers an agency, DPO or operator and issues its certificate from its CSR, signed by the
 * tenant's CA. Principal and certificate are stored in one transaction.
 */
export async function registerWithCsr(
  deps: PkiDeps,
  input: NewPrincipal & { readonly csrPem: string; readonly validityDays?: number },
): Promise<RegisteredCertificate> {
  const principal = await principalFields(input, deps.clock);
  const ca = await tenantCa(deps, input.tenantId);
  const issued = await issueCertificate({
    ca: { certificate: ca.certificate, privateKey: ca.privateKey },
    csrPem: input.csrPem,
    tenantId: input.tenantId,
    kind: input.kind,
    principalId: input.id,
    clock: deps.clock,
    ...(input.validityDays === undefined ? {} : { validityDays: input.validityDays }),
  });
  const record: CertificateRecord = {
    fingerprint: issued.fingerprint,
    tenantId: input.tenantId,
    principalId: input.id,
    serial: issued.serial,
    issuerFingerprint: ca.fingerprint,
    certificatePem: issued.pem,
    notBefore: issued.notBefore.toISOString(),
    notAfter: issued.notAfter.toISOString(),
    issuedByGateway: true,
    createdAt: principal.createdAt,
    revokedAt: null,
  };
  await audited(
    deps,
    input.tenantId,
    {
      event: 'certificate.issued',
      actor: 'operator',
      outcome: 'ok',
      serial: issued.serial,
      kid: issued.fingerprint,
      sender: input.id,
      ...agencyTypeOf(principal),
    },
    (prepared) => deps.pki.addPrincipal(principal, record, prepared),
  );
  return {
    pem: issued.pem,
    serial: issued.serial,
    fingerprint: issued.fingerprint,
    notAfter: issued.notAfter.toISOString(),
  };
}

/**
 * Registers an agency by a certificate it already holds, e.g. from the German administration PKI,
 * issued by a CA imported with `ca import`. The chain must hold now.
 */
export async function registerWithCertificate(
  deps: PkiDeps,
  input: NewPrincipal & { readonly certificatePem: string },
): Promise<RegisteredCertificate> {
  const principal = await principalFields(input, deps.clock);
  const certificate = parseCertificate(input.certificatePem);
  await checkSubjectKey(certificate.publicKey);
  const anchors = await deps.pki.anchors(input.tenantId);
  if (anchors.length === 0)
    throw new GatewayError('not_found', { detail: `no tenant ${input.tenantId}` });
  const { anchor } = await verifyCertificateChain({
    leaf: certificate,
    anchors: anchors.map((a) => parseCertificate(a.certificatePem)),
    at: deps.clock.now(),
    isRevoked: () => false,
  });
  const record: CertificateRecord = {
    fingerprint: await certificateFingerprint(certificate),
    tenantId: input.tenantId,
    principalId: input.id,
    serial: normalizeSerial(certificate.serialNumber),
    issuerFingerprint: await certificateFingerprint(anchor),
    certificatePem: certificate.toString('pem'),
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    issuedByGateway: false,
    createdAt: principal.createdAt,
    revokedAt: null,
  };
  await audited(
    deps,
    input.tenantId,
    {
      event: 'certificate.issued',
      actor: 'operator',
      outcome: 'ok',
      serial: record.serial,
      kid: record.fingerprint,
      sender: input.id,
      ...agencyTypeOf(principal),
    },
    (prepared) => deps.pki.addPrincipal(principal, record, prepared),
  );
  return {
    pem: record.certificatePem,
    serial: record.serial,
    fingerprint: record.fingerprint,
    notAfter: record.notAfter,
  };
}

/** Adds an external CA (PEM) as a trust anchor of the tenant. */
export async function importTrustAnchor(
  deps: Pick<PkiDeps, 'pki' | 'clock'>,
  tenantId: string,
  pem: string,
): Promise<TrustAnchor> {
  if ((await deps.pki.anchors(tenantId)).length === 0) {
    throw new GatewayError('not_found', { detail: `no tenant ${tenantId}` });
  }
  const certificate: x509.X509Certificate = await importAnchor(pem, deps.clock);
  const anchor: TrustAnchor = {
    tenantId,
    fingerprint: await certificateFingerprint(certificate),
    certificatePem: certificate.toString('pem'),
    source: 'imported',
    subject: certificate.subject,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.pki.addAnchor(anchor);
  return anchor;
}

/** Revokes every certificate of the tenant with that serial; effective for the next request. */
export async function revokeCertificate(
  deps: Pick<PkiDeps, 'pki' | 'clock' | 'audit'>,
  tenantId: string,
  serial: string,
): Promise<number> {
  const normalized = normalizeSerial(serial);
  const known = await deps.pki.certificatesBySerial(tenantId, normalized);
  if (known.length === 0) {
    throw new GatewayError('not_found', { detail: `no certificate with serial ${normalized}` });
  }
  if (known.every((cert) => cert.revokedAt !== null)) {
    throw new GatewayError('conflict', { detail: `certificate ${normalized} is revoked already` });
  }
  return audited(
    deps,
    tenantId,
    { event: 'certificate.revoked', actor: 'operator', outcome: 'ok', serial: normalized },
    (prepared) => deps.pki.revoke(tenantId, normalized, deps.clock.now().toISOString(), prepared),
  );
}

/** The tenant CA's current CRL (PEM), listing every certificate it issued and revoked. */
export async function currentCrl(deps: PkiDeps, tenantId: string): Promise<string> {
  const ca = await tenantCa(deps, tenantId);
  const { revoked, crlNumber } = await deps.pki.revokedForCrl(tenantId);
  const { pem } = await createCrl({
    ca: { certificate: ca.certificate, privateKey: ca.privateKey },
    revoked: revoked.map((cert) => ({
      serial: cert.serial,
      revokedAt: new Date(cert.revokedAt ?? 0),
    })),
    crlNumber,
    clock: deps.clock,
  });
  return pem;
}

/** The tenant CA certificate (PEM). */
export async function caCertificate(pki: PkiStore, tenantId: string): Promise<string> {
  const [caKey] = await pki.keys(tenantId, 'ca');
  if (!caKey) throw new GatewayError('not_found', { detail: `no tenant ${tenantId}` });
  return caKey.publicMaterial;
}

/**
 * Makes a new active signing key; the old one is retired but stays in the JWKS, so everything it
 * signed still verifies. Refuses, changing nothing, when the master key does not open the
 * tenant's current keys (`KeyUnwrapError` `wrong_master_key`): the new key would be wrapped under
 * a key the gateway does not run with, and every signature after it would fail.
 */
export async function rotateSigningKey(deps: PkiDeps, tenantId: string): Promise<string> {
  if ((await deps.pki.keys(tenantId, 'signing')).length === 0) {
    throw new GatewayError('not_found', { detail: `no tenant ${tenantId}` });
  }
  await checkMasterKey(deps, tenantId);
  const key = await newSigningKey({ tenantId, clock: deps.clock, masterKey: deps.masterKey });
  await audited(
    deps,
    tenantId,
    { event: 'key.rotated', actor: 'operator', outcome: 'ok', kid: key.kid },
    (prepared) => deps.pki.rotateKey(key, prepared),
  );
  return key.kid;
}

/** A webhook must be https; plain http is accepted only to loopback (local tests). */
function checkWebhookUrl(text: string): string {
  const refuse = () =>
    new GatewayError('validation_failed', {
      detail: 'a webhook is an https URL (http only to 127.0.0.1 or localhost)',
      errors: [{ path: '/webhook', message: 'https URL, no credentials or fragment' }],
    });
  if (!URL.canParse(text) || text.length > 500) throw refuse();
  const url = new URL(text);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.username !== '' || url.password !== '' || url.hash !== '') throw refuse();
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw refuse();
  return url.toString();
}

/**
 * An address or contact is printed in the consent notice the person signs: one line of 1–`max`
 * printable characters, no line breaks or bidi controls that could forge lines or reorder text.
 */
function noticeLine(text: string, field: 'address' | 'dpoContact', max: number): string {
  const value = text.normalize('NFC').trim();
  if (
    value.length === 0 ||
    value.length > max ||
    /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u.test(value)
  ) {
    throw new GatewayError('validation_failed', {
      detail: `${field === 'address' ? 'an address' : 'a DPO contact'} is one line of 1–${String(max)} printable characters`,
      errors: [{ path: `/${field}`, message: `one line, 1–${String(max)} printable characters` }],
    });
  }
  return value;
}

/** An agency's type for its `certificate.issued` entry; other principals have none. */
const agencyTypeOf = (principal: Principal) =>
  principal.agencyType === null ? {} : { agencyType: principal.agencyType };
