import { afterEach, beforeEach, expect } from 'vitest';
import { AuditLog, AuditRace, type AuditDraft, type PreparedAppend } from '../../audit/index.ts';
import type {
  CertificateRecord,
  Principal,
  StoredKey,
  TenantKeyMaterial,
  WrappedKey,
} from '../../certs/index.ts';
import type { ConsentRecord, ConsentRequestRecord, PortalSession } from '../../consent/index.ts';
import { FixedClock, isGatewayError } from '../../core/index.ts';
import type { MailboxMessage } from '../../exchange/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import type { Storage as AllPorts } from '../ports.ts';

/** Every port a storage backend implements; what the conformance suite drives. */
export type Storage = Omit<AllPorts, 'ping'>;

/**
 * Opens empty storage (schema in place, no tenants) for one test; `close` releases it. `other`,
 * where a backend can have it, is a second connection to the same database, as a second gateway
 * instance or the CLI beside the server has: the suite then races writes across the two.
 */
export type OpenStorage = () => Promise<{
  storage: Storage;
  other?: Storage;
  close(): Promise<void>;
}>;

export const T0 = '2026-11-25T10:00:00.000Z';
export const LATER = '2026-11-25T10:05:00.000Z';
/** The two tenants every test starts with; `B` holds the same ids as `A` where a test needs it. */
export const A = 'koeln';
export const B = 'dortmund';

let serial = 0;
/** Unique, readable ids without randomness, so failures name what they concern. */
export const nextId = (prefix: string): string => `${prefix}_${String(++serial).padStart(5, '0')}`;

/**
 * A wrapped key as a store sees it: opaque. No crypto is needed to test storage, and each one is
 * distinct so a test can tell which was kept.
 */
export const wrappedKey = (): WrappedKey => ({
  alg: 'A256GCM',
  iv: 'AAAAAAAAAAAAAAAA',
  ciphertext: `${nextId('k').replace('_', 'x')}AAAAAAAAAAAAAAAAAAAAAA`,
});

export const storedKey = (tenantId: string, use: StoredKey['use'], createdAt = T0): StoredKey => ({
  tenantId,
  kid: nextId(`kid-${use}`),
  use,
  publicMaterial: `public ${use} of ${tenantId}`,
  wrappedPrivate: wrappedKey(),
  status: 'active',
  createdAt,
});

export function tenantKeys(tenantId: string, createdAt = T0): TenantKeyMaterial {
  return {
    ca: storedKey(tenantId, 'ca', createdAt),
    caAnchor: {
      tenantId,
      fingerprint: nextId('fp-ca'),
      certificatePem: `PEM of the CA of ${tenantId}`,
      source: 'tenant_ca',
      subject: `CN=${tenantId} CA`,
      createdAt,
    },
    signing: storedKey(tenantId, 'signing', createdAt),
    openpgp: storedKey(tenantId, 'openpgp', createdAt),
  };
}

export const tenant = (id: string, createdAt = T0): Tenant => ({
  id,
  displayName: `Stadt ${id}`,
  createdAt,
});

export function principal(tenantId: string, id: string, overrides: Partial<Principal> = {}) {
  const record: Principal = {
    tenantId,
    id,
    kind: 'agency',
    agencyType: 'immigration_office',
    displayName: id,
    encryptionKey: null,
    pgpPublicKey: null,
    webhookUrl: null,
    address: null,
    dpoContact: null,
    createdAt: T0,
    ...overrides,
  };
  return record;
}

export function certificate(
  tenantId: string,
  principalId: string,
  overrides: Partial<CertificateRecord> = {},
): CertificateRecord {
  return {
    fingerprint: nextId('fp'),
    tenantId,
    principalId,
    serial: nextId('serial').replace('_', '').toLowerCase(),
    issuerFingerprint: 'fp-issuer',
    certificatePem: `PEM of ${principalId}`,
    notBefore: T0,
    notAfter: '2027-11-25T10:00:00.000Z',
    issuedByGateway: true,
    createdAt: T0,
    revokedAt: null,
    ...overrides,
  };
}

export function requestRecord(
  subject: string,
  overrides: Partial<ConsentRequestRecord> = {},
): ConsentRequestRecord {
  return {
    id: nextId('cr'),
    tenantId: A,
    subject,
    requestedBy: 'abh-koeln',
    senders: ['abh-koeln'],
    recipients: ['jc-koeln'],
    purpose: 'labour_market_integration',
    categories: ['residence_status', 'employment_permission'],
    validUntil: '2027-03-31T21:59:59.000Z',
    language: 'de',
    noticeText: 'Ich willige ein …',
    noticeHash: 'nh',
    codeHash: nextId('code'),
    secondFactorHash: nextId('sf'),
    codeExpiresAt: '2026-12-09T10:00:00.000Z',
    createdAt: T0,
    ...overrides,
  };
}

export function consentRecord(
  request: ConsentRequestRecord,
  overrides: Partial<ConsentRecord> = {},
): ConsentRecord {
  return {
    id: nextId('cs'),
    tenantId: request.tenantId,
    subject: request.subject,
    requestId: request.id,
    senders: request.senders,
    recipients: request.recipients,
    purpose: request.purpose,
    categories: request.categories,
    validFrom: T0,
    validUntil: request.validUntil,
    language: request.language,
    noticeHash: request.noticeHash,
    channel: 'portal-code',
    assurance: 'low',
    receiptId: nextId('rc'),
    receipt: 'eyJ.receipt.sig',
    createdAt: T0,
    ...overrides,
  };
}

export const partiesOf = (r: ConsentRequestRecord): string[] => [
  ...new Set([r.requestedBy, ...r.senders, ...r.recipients]),
];

export function message(
  consent: Pick<ConsentRecord, 'id' | 'tenantId' | 'subject'>,
  overrides: Partial<MailboxMessage> = {},
): MailboxMessage {
  return {
    id: nextId('ex'),
    tenantId: consent.tenantId,
    sender: 'abh-koeln',
    recipient: 'jc-koeln',
    subject: consent.subject,
    consentId: consent.id,
    messageType: 'residence_status.notice',
    purpose: 'labour_market_integration',
    categories: ['residence_status'],
    envelope: 'jwe',
    ciphertext: 'eyJ.ciphertext',
    ciphertextDigest: 'digest',
    receivedAt: T0,
    retainUntil: '2027-11-25T10:00:00.000Z',
    state: 'queued',
    ...overrides,
  };
}

export function session(overrides: Partial<PortalSession> = {}): PortalSession {
  return {
    tokenHash: nextId('th'),
    access: { kind: 'request', tenantId: A, subject: 'ps_1', requestId: 'cr_1' },
    channel: 'portal-code',
    assurance: 'low',
    createdAt: T0,
    lastSeenAt: T0,
    ...overrides,
  };
}

/** An audit draft that names what it records, so entries can be told apart. */
export const draft = (actor = 'abh-koeln'): AuditDraft => ({
  event: 'consent.requested',
  actor,
  outcome: 'ok',
});

/** What `work` failed with, or undefined if it did not fail. */
export async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return error ?? new Error('rejected without a reason');
  }
}

/** Asserts that a uniqueness violation surfaced as the gateway's `conflict`, not a driver error. */
export function expectConflict(failure: unknown): void {
  expect(isGatewayError(failure), `expected a GatewayError, got ${String(failure)}`).toBe(true);
  expect(failure).toMatchObject({ code: 'conflict' });
}

/** Asserts that a commit was refused because the audit tree moved on since it was prepared. */
export function expectAuditRace(failure: unknown): void {
  expect(failure, `expected an AuditRace, got ${String(failure)}`).toBeInstanceOf(AuditRace);
}

/**
 * The storage of the running test, with tenants `koeln` and `dortmund` created through the PKI
 * port, an audit log over it, and builders that go through the ports only.
 */
export class ConformanceWorld {
  #opened: Awaited<ReturnType<OpenStorage>> | undefined;
  #log: AuditLog | undefined;
  #clock = new FixedClock(T0);

  /** The audit log's clock, back at T0 for every test. */
  get clock(): FixedClock {
    return this.#clock;
  }

  get storage(): Storage {
    if (!this.#opened) throw new Error('no storage open: use the world inside a test');
    return this.#opened.storage;
  }

  /** A second connection to the same database, if the backend gave one. */
  get other(): Storage | undefined {
    return this.#opened?.other;
  }

  get log(): AuditLog {
    if (!this.#log) throw new Error('no storage open: use the world inside a test');
    return this.#log;
  }

  async open(open: OpenStorage): Promise<void> {
    this.#opened = await open();
    this.#clock = new FixedClock(T0);
    this.#log = new AuditLog(this.storage.audit, this.#clock);
    await this.storage.pki.createTenant(tenant(A), tenantKeys(A));
    await this.storage.pki.createTenant(tenant(B), tenantKeys(B));
  }

  async close(): Promise<void> {
    const opened = this.#opened;
    this.#opened = undefined;
    this.#log = undefined;
    await opened?.close();
  }

  async subject(tenantId = A): Promise<string> {
    const pseudonym = nextId('ps');
    await this.storage.consents.ensureSubject(
      tenantId,
      pseudonym,
      () => Promise.resolve(wrappedKey()),
      T0,
    );
    return pseudonym;
  }

  async pendingRequest(
    overrides: Partial<ConsentRequestRecord> = {},
  ): Promise<ConsentRequestRecord> {
    const subject = overrides.subject ?? (await this.subject(overrides.tenantId));
    const request = requestRecord(subject, overrides);
    await this.storage.consents.addRequest(request, partiesOf(request));
    return request;
  }

  /** A granted request: approved (version 2) together with its consent (version 1, active). */
  async grantedConsent(
    overrides: Partial<ConsentRequestRecord> = {},
    consentOverrides: Partial<ConsentRecord> = {},
  ): Promise<{ request: ConsentRequestRecord; consent: ConsentRecord }> {
    const request = await this.pendingRequest(overrides);
    const consent = consentRecord(request, consentOverrides);
    const decided = await this.storage.consents.decideRequest(
      request.id,
      1,
      { state: 'approved', at: consent.createdAt, actor: 'subject' },
      { record: consent, parties: partiesOf(request) },
    );
    if (!decided) throw new Error('the grant was not recorded');
    return { request, consent };
  }

  /** A message accepted under the consent, with its audit entry. */
  async accepted(
    consent: Pick<ConsentRecord, 'id' | 'tenantId' | 'subject'>,
    overrides: Partial<MailboxMessage> = {},
  ): Promise<MailboxMessage> {
    const m = message(consent, overrides);
    await this.log.record(m.tenantId, draft(m.sender), (prepared) =>
      this.storage.exchanges.accept(m, prepared),
    );
    return m;
  }

  /**
   * An audit entry prepared for the tenant's log and then overtaken by another append: a store
   * must refuse to commit it (AuditRace), and with it the change it was to record.
   */
  async staleAppend(tenantId = A): Promise<PreparedAppend> {
    const stale = await this.log.prepare(tenantId, draft('stale'));
    await this.log.append(tenantId, draft('overtaking'));
    return stale;
  }

  async auditSize(tenantId = A): Promise<number> {
    return (await this.storage.audit.head(tenantId))?.size ?? 0;
  }
}

/** Registers opening fresh storage before and closing it after each test of the enclosing block. */
export function conformanceWorld(open: OpenStorage): ConformanceWorld {
  const world = new ConformanceWorld();
  beforeEach(async () => {
    await world.open(open);
  });
  afterEach(async () => {
    await world.close();
  });
  return world;
}
