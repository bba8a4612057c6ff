/** What the gateway records: every decision, metadata only. */
export const AUDIT_EVENTS = [
  'consent.requested',
  'consent.granted',
  'consent.declined',
  'consent.revoked',
  'consent.expired',
  'request.expired',
  'exchange.accepted',
  'exchange.refused',
  'exchange.delivered',
  'exchange.withheld',
  'exchange.acknowledged',
  'exchange.purged',
  'certificate.issued',
  'certificate.revoked',
  'key.rotated',
  'audit.read',
  'audit.exported',
  'subject.erased',
  /** The first request of a principal refused by its rate limit since it was last allowed. */
  'rate.limited',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/**
 * One audit entry as it is served and hashed: integers and strings only (no floats, so RFC 8785
 * canonical JSON is unambiguous), never a payload, name or identifier. The subject appears only as
 * `subjectRef`, derived from the per-subject key, so erasure (shredding that key) unlinks it.
 */
export interface AuditEntry {
  readonly seq: number;
  readonly tenant: string;
  readonly time: string;
  readonly event: AuditEvent;
  readonly actor: string;
  readonly outcome: 'ok' | 'refused';
  readonly sender?: string;
  readonly recipient?: string;
  readonly purpose?: string;
  readonly categories?: readonly string[];
  readonly consentId?: string;
  readonly consentVersion?: number;
  readonly requestId?: string;
  readonly exchangeId?: string;
  readonly policyVersion?: string;
  readonly legalBasis?: string;
  readonly subjectRef?: string;
  readonly ciphertextDigest?: string;
  readonly reasons?: readonly string[];
  /**
   * For a refusal whose reasons are the details of one consent-and-policy decision: the problem
   * code the sender was answered (`consent_missing`, `policy_denied`, `fields_not_covered`).
   */
  readonly code?: string;
  /** For a person's act on a consent: how it reached the gateway, and how sure it is who it was. */
  readonly channel?: string;
  readonly assurance?: string;
  readonly serial?: string;
  readonly kid?: string;
  /**
   * The type of the agency a `certificate.issued` entry registers, so the log alone tells which
   * office type an agency id stands for (monitoring groups by office type).
   */
  readonly agencyType?: string;
  /** The agencies a consent request names, on `consent.requested` (office pairs in monitoring). */
  readonly senders?: readonly string[];
  readonly recipients?: readonly string[];
}

export type AuditDraft = Omit<AuditEntry, 'seq' | 'tenant' | 'time'>;

/** A tenant's log head: everything an append and a tree head need, kept in one row. */
export interface AuditHead {
  readonly size: number;
  /** MTH of the first `size` entries (RFC 9162). */
  readonly root: Uint8Array;
  /** The complete subtrees along the right edge, largest first: one hash per 1 bit of `size`. */
  readonly frontier: readonly Uint8Array[];
}

/**
 * A head as a store holds it. Root and frontier are absent for an empty log and for a head
 * written before heads kept them; `currentHead` (head.ts) completes those from the stored nodes.
 */
export interface StoredHead {
  readonly size: number;
  readonly root?: Uint8Array;
  readonly frontier?: readonly Uint8Array[];
}

/** An entry with its place in the tree computed, ready to be committed with the change it records. */
export interface PreparedAppend {
  readonly tenantId: string;
  /** The tree size the nodes were computed for; the commit fails if another append came first. */
  readonly expectedSize: number;
  readonly entry: AuditEntry;
  readonly entryJson: string;
  readonly leafHash: Uint8Array;
  readonly nodes: readonly {
    readonly level: number;
    readonly index: number;
    readonly hash: Uint8Array;
  }[];
  /** The head after this append, which the commit writes (size = expectedSize + 1). */
  readonly head: AuditHead;
}

/** Thrown by a store when the tree grew between prepare and commit; the log retries. */
export class AuditRace extends Error {
  override readonly name = 'AuditRace';
}

export interface AuditQuery {
  readonly from?: string;
  readonly to?: string;
  readonly agency?: string;
  readonly event?: string;
  readonly channel?: string;
  readonly assurance?: string;
  readonly afterSeq: number;
  readonly limit: number;
}

/** The read side of the log and the commit of an entry that records nothing else. */
export interface AuditStore {
  /** The tenant's head as stored; undefined before its first entry. */
  head(tenantId: string): Promise<StoredHead | undefined>;
  getNode(tenantId: string, level: number, index: number): Promise<Uint8Array | undefined>;
  entries(tenantId: string, query: AuditQuery): Promise<AuditEntry[]>;
  entryJson(tenantId: string, seq: number): Promise<string | undefined>;
  /** Every entry that names the subject reference, oldest first (access reports, history). */
  entriesAbout(tenantId: string, subjectRef: string): Promise<AuditEntry[]>;
  /** Commits an entry on its own (for events whose change is the entry itself, e.g. audit.read). */
  commit(prepared: PreparedAppend): Promise<void>;
  /**
   * For a store several processes append to: runs `work` holding the tenant's log head, in one
   * transaction that every store write `work` makes joins, so appends are ordered across
   * processes and a rollback consumes no seq. A store with a single writer leaves it out; the
   * log then orders appends in process and retries when another process (the CLI) came first.
   */
  sequenced?<T>(tenantId: string, work: () => Promise<T>): Promise<T>;
}
