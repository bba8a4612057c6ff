import type { PreparedAppend } from '../audit/index.ts';
import type { WrappedKey } from '../certs/index.ts';
import type { Assurance, Channel } from './assurance.ts';

/** A person as the gateway knows them: a keyed pseudonym, never the identifier itself. */
export interface SubjectRecord {
  readonly tenantId: string;
  /** base64url HMAC-SHA256 of the identifier under the tenant's pseudonym secret. */
  readonly pseudonym: string;
  /** Random per-subject key; shredding it unlinks the log from the person (erasure). */
  readonly wrappedKey: WrappedKey;
  readonly createdAt: string;
}

export type RequestState = 'pending' | 'approved' | 'declined' | 'expired';
export type ConsentState = 'active' | 'revoked' | 'expired';

/** What an agency asked the person for; immutable once recorded. */
export interface ConsentRequestRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly subject: string;
  readonly requestedBy: string;
  readonly senders: readonly string[];
  readonly recipients: readonly string[];
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly validUntil: string;
  readonly language: string;
  /** The exact text the person is shown, and its hash. */
  readonly noticeText: string;
  readonly noticeHash: string;
  /** Keyed hashes: the code and the second factor are never stored in clear. */
  readonly codeHash: string;
  readonly secondFactorHash: string;
  /**
   * Keyed hash of the normalised family name, given names and birth date the office recorded,
   * for matching an identity-verified sign-in; absent when the office recorded none.
   */
  readonly identityHash?: string;
  readonly codeExpiresAt: string;
  readonly createdAt: string;
}

/** A consent as granted; immutable. Its state lives in versions. */
export interface ConsentRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly subject: string;
  readonly requestId: string;
  readonly senders: readonly string[];
  readonly recipients: readonly string[];
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly validFrom: string;
  readonly validUntil: string;
  readonly language: string;
  readonly noticeHash: string;
  /** The exact notice text the person read, whose SHA-256 is `noticeHash`. */
  readonly noticeText?: string;
  /** How the grant reached the gateway, and how sure it is that the person gave it. */
  readonly channel: Channel;
  readonly assurance: Assurance;
  /** Keyed hash of the withdrawal code only the person was given; never the code itself. */
  readonly withdrawalCodeHash?: string;
  readonly receiptId: string;
  /** The signed receipt (compact JWS) the person was given, for download again. */
  readonly receipt: string;
  readonly createdAt: string;
}

/** One version of a request or a consent: every change is a new one, nothing is overwritten. */
export interface StateVersion<S extends string> {
  /** Global, increasing: the cursor of `/v1/consent-events`. */
  readonly seq: number;
  readonly refId: string;
  readonly version: number;
  readonly state: S;
  readonly at: string;
  /** `subject`, `system` or the agency id that caused it. */
  readonly actor: string;
  /** Through which channel and at which assurance the change was made; absent for `system`. */
  readonly channel?: Channel;
  readonly assurance?: Assurance;
}

/** A new version: who made it, and for a person's or an office's act, how. */
export interface NextVersion<S extends string> {
  readonly state: S;
  readonly at: string;
  readonly actor: string;
  readonly channel?: Channel;
  readonly assurance?: Assurance;
}

export interface ConsentWithState {
  readonly consent: ConsentRecord;
  readonly current: StateVersion<ConsentState>;
}

export interface RequestWithState {
  readonly request: ConsentRequestRecord;
  readonly current: StateVersion<RequestState>;
  readonly failedAttempts: number;
}

export interface ConsentEvent {
  readonly seq: number;
  readonly kind: 'request' | 'consent';
  readonly refId: string;
  readonly version: number;
  readonly state: string;
  readonly at: string;
  readonly actor: string;
  readonly purpose: string;
}

/**
 * What a portal session may reach. A one-time code opens its own request and the consent granted
 * from it; a withdrawal code opens its one consent; an identity-verified sign-in opens every
 * subject whose requests carry the same identity hash (resolved on each use, per tenant).
 */
export type PortalAccess =
  | {
      readonly kind: 'request';
      readonly tenantId: string;
      readonly subject: string;
      readonly requestId: string;
    }
  | {
      readonly kind: 'consent';
      readonly tenantId: string;
      readonly subject: string;
      readonly consentId: string;
    }
  | {
      readonly kind: 'person';
      readonly identities: readonly { readonly tenantId: string; readonly identityHash: string }[];
    };

export interface PortalSession {
  readonly tokenHash: string;
  readonly access: PortalAccess;
  readonly channel: 'portal-code' | 'portal-eid';
  readonly assurance: Assurance;
  readonly createdAt: string;
  readonly lastSeenAt: string;
}

/** The storage port of consent. Every method that changes state is one transaction. */
export interface ConsentStore {
  /** The tenant's secret of that name (wrapped), created on first use. */
  tenantSecret(
    tenantId: string,
    name: string,
    create: () => Promise<WrappedKey>,
  ): Promise<WrappedKey>;
  /** The subject by pseudonym, created with `newKey` if unknown. */
  ensureSubject(
    tenantId: string,
    pseudonym: string,
    newKey: () => Promise<WrappedKey>,
    at: string,
  ): Promise<SubjectRecord>;
  subject(tenantId: string, pseudonym: string): Promise<SubjectRecord | undefined>;

  /** Records a request with its first version (pending) and its audit entry. */
  addRequest(
    request: ConsentRequestRecord,
    parties: readonly string[],
    audit?: PreparedAppend,
  ): Promise<void>;
  request(tenantId: string, id: string): Promise<RequestWithState | undefined>;
  requestByCode(
    tenantId: string | undefined,
    codeHash: string,
  ): Promise<RequestWithState | undefined>;
  recordFailedAttempt(requestId: string, at: string): Promise<number>;
  /**
   * Counts a second-factor attempt *before* it is checked, in one transaction with the count, unless
   * `max` attempts are counted already: answers the attempt's handle, or undefined when locked.
   * Checking first and counting after would let parallel guesses all pass the lock.
   */
  reserveAttempt(requestId: string, at: string, max: number): Promise<number | undefined>;
  /** Takes back a reserved attempt that proved right, so only wrong ones count towards the lock. */
  releaseAttempt(attempt: number): Promise<void>;

  /**
   * Appends a version to the request if its current version is still `expectedVersion`
   * (optimistic: two decisions racing cannot both win); with `consent`, records the consent and its
   * first version (active) in the same transaction. Answers false if the request moved on.
   */
  decideRequest(
    requestId: string,
    expectedVersion: number,
    next: NextVersion<RequestState>,
    consent?: { record: ConsentRecord; parties: readonly string[] },
    audit?: PreparedAppend,
  ): Promise<boolean>;

  consent(tenantId: string, id: string): Promise<ConsentWithState | undefined>;
  /** The subject's consents for a purpose: the candidates of a consent check (indexed). */
  consentsFor(tenantId: string, subject: string, purpose: string): Promise<ConsentWithState[]>;
  consentsOfSubject(tenantId: string, subject: string): Promise<ConsentWithState[]>;
  /** Appends a version to the consent if its current version is `expectedVersion`. */
  changeConsent(
    consentId: string,
    expectedVersion: number,
    next: NextVersion<ConsentState>,
    audit?: PreparedAppend,
  ): Promise<boolean>;
  /**
   * Active consents whose validity has ended and pending requests whose code has expired, as of
   * `now`: what the expiry sweep turns into `expired` versions.
   */
  dueForExpiry(
    now: string,
    limit: number,
  ): Promise<{ consents: ConsentWithState[]; requests: RequestWithState[] }>;
  /** State changes concerning an agency after `sinceSeq`, oldest first. */
  eventsFor(
    tenantId: string,
    agencyId: string,
    sinceSeq: number,
    limit: number,
  ): Promise<ConsentEvent[]>;

  /**
   * Deletes everything that links the subject to the person: the pseudonym mapping and
   * per-subject key, requests, consents and their versions, sessions — with the audit entry, in
   * one transaction. The audit log keeps its entries, now unlinkable.
   */
  eraseSubject(tenantId: string, pseudonym: string, audit: PreparedAppend): Promise<void>;
  requestsOfSubject(tenantId: string, subject: string): Promise<RequestWithState[]>;
  /** The subjects whose requests carry this identity hash (an identity-verified sign-in). */
  subjectsByIdentity(tenantId: string, identityHash: string): Promise<string[]>;
  /** The consent whose withdrawal code has this keyed hash. */
  consentByWithdrawalCode(
    tenantId: string,
    withdrawalCodeHash: string,
  ): Promise<ConsentWithState | undefined>;

  addSession(session: PortalSession): Promise<void>;
  session(tokenHash: string): Promise<PortalSession | undefined>;
  touchSession(tokenHash: string, at: string): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;

  /** Records an identity-verified sign-in in flight (OpenID Connect state, nonce, PKCE). */
  addEidSignIn(signIn: EidSignIn): Promise<void>;
  /** Takes the sign-in in flight with this id hash: it is deleted, so it is used at most once. */
  takeEidSignIn(idHash: string): Promise<EidSignIn | undefined>;
}

/** An OpenID Connect authorization in flight, bound to the browser by a cookie's random id. */
export interface EidSignIn {
  readonly idHash: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Where the portal goes once signed in (a path under /portal), if not the overview. */
  readonly returnTo?: string;
  readonly createdAt: string;
}
