import type { PreparedAppend } from '../audit/index.ts';

export type MessageState = 'queued' | 'delivered' | 'acknowledged' | 'withheld' | 'purged';

/** Why a message was withheld; a fetch or acknowledgement of it answers 410 with this code. */
export type WithholdingReason = 'consent_revoked' | 'consent_expired';

/** Where a mailbox page ends: the next page starts after this message in (receivedAt, id) order. */
export interface MailboxPosition {
  readonly receivedAt: string;
  readonly id: string;
}

/** A message waiting for its recipient: metadata and ciphertext, never plaintext. */
export interface MailboxMessage {
  readonly id: string;
  readonly tenantId: string;
  readonly sender: string;
  readonly recipient: string;
  /** The subject's pseudonym, for the consent re-check on fetch. */
  readonly subject: string;
  readonly consentId: string;
  readonly messageType: string;
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly envelope: 'jwe' | 'openpgp';
  readonly ciphertext: string | null;
  readonly ciphertextDigest: string;
  readonly receivedAt: string;
  readonly retainUntil: string;
  readonly state: MessageState;
  /** Set once the message is withheld; absent for messages withheld before it was kept. */
  readonly withheldReason?: WithholdingReason;
}

/** A notification to an agency's webhook that a message waits; no content, no subject. */
export interface WebhookNotification {
  readonly id: string;
  readonly tenantId: string;
  readonly recipient: string;
  readonly url: string;
  /** JSON of { messageId, sender, messageType, purpose, receivedAt }. */
  readonly body: string;
  readonly attempts: number;
  readonly nextAttemptAt: string;
}

export interface IdempotentResponse {
  readonly requestHash: string;
  readonly response: string;
}

/** The storage port of the exchange; each state change is one transaction with its audit entry. */
export interface ExchangeStore {
  idempotent(
    tenantId: string,
    sender: string,
    key: string,
  ): Promise<IdempotentResponse | undefined>;
  /** Queues the message with its audit entry and, when given, the idempotency record. */
  accept(
    message: MailboxMessage,
    audit: PreparedAppend,
    idempotency?: { key: string; requestHash: string; response: string },
    notification?: WebhookNotification,
  ): Promise<void>;
  /**
   * Claims up to `limit` pending notifications due at `now`, the earliest due first, by moving
   * their `nextAttemptAt` to `leaseUntil` in one atomic step. A claimed notification is due for no
   * other claimer until its lease ends, so instances delivering at once never POST it twice; one
   * whose claimer died is claimed again after the lease. Answers them as claimed (`nextAttemptAt`
   * is `leaseUntil`).
   */
  claimNotifications(
    now: string,
    leaseUntil: string,
    limit: number,
  ): Promise<WebhookNotification[]>;
  /** Records a delivery attempt: delivered, or the next try (or failed for good). */
  notificationAttempt(
    id: string,
    outcome: { delivered: true } | { delivered: false; nextAttemptAt: string | null },
  ): Promise<void>;
  message(tenantId: string, id: string): Promise<MailboxMessage | undefined>;
  /** The recipient's waiting messages in (receivedAt, id) order, after `after` when given. */
  waiting(
    tenantId: string,
    recipient: string,
    after: MailboxPosition | undefined,
    limit: number,
  ): Promise<MailboxMessage[]>;
  /**
   * How many messages wait (queued or delivered) for each recipient, across tenants: for the
   * operator's mailbox-depth gauge, read along the index of waiting messages, so its cost follows
   * what waits and not what was ever sent. Recipients with nothing waiting are absent.
   */
  waitingCounts(): Promise<{ tenantId: string; recipient: string; messages: number }[]>;
  /** The messages still waiting (queued or delivered) under one consent, oldest first. */
  waitingUnderConsent(tenantId: string, consentId: string): Promise<MailboxMessage[]>;
  /**
   * Messages still waiting whose consent is no longer active at `now` — revoked, expired, past
   * its `validUntil`, or gone with the subject's erasure — oldest first. A pre-selection: the
   * consent decision confirms each and names the reason.
   */
  waitingAfterConsentEnded(now: string, limit: number): Promise<MailboxMessage[]>;
  /** Messages still waiting after their retention ended, oldest first. */
  dueForPurge(now: string, limit: number): Promise<MailboxMessage[]>;
  /**
   * Moves the message from one of `from` to `state` (deleting its ciphertext unless delivered)
   * with its audit entry, in one transaction. Only a waiting (queued or delivered) message moves;
   * false, and nothing written, if it was in no state of `from` or no longer waiting.
   */
  transition(
    id: string,
    from: readonly MessageState[],
    state: MessageState,
    audit: PreparedAppend,
  ): Promise<boolean>;
  /**
   * Withholds a waiting (queued or delivered) message: state `withheld`, ciphertext deleted, the
   * reason kept, with its audit entry. False, and nothing written, if it was no longer waiting.
   */
  withhold(id: string, reason: WithholdingReason, audit: PreparedAppend): Promise<boolean>;
}
