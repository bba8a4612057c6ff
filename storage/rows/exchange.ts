import type {
  MailboxMessage,
  WebhookNotification,
  WithholdingReason,
} from '../../exchange/index.ts';

/** A `mailbox_messages` row as both adapters read it (categories as JSON text in both). */
export interface MessageRow {
  id: string;
  tenant_id: string;
  sender: string;
  recipient: string;
  subject: string;
  consent_id: string;
  message_type: string;
  purpose: string;
  categories: string;
  envelope: 'jwe' | 'openpgp';
  ciphertext: string | null;
  ciphertext_digest: string;
  received_at: string;
  retain_until: string;
  state: MailboxMessage['state'];
  withheld_reason: WithholdingReason | null;
}

/** A `webhook_outbox` row as both adapters read it. */
export interface NotificationRow {
  id: string;
  tenant_id: string;
  recipient: string;
  url: string;
  body: string;
  attempts: number;
  next_attempt_at: string;
}

export const toMessage = (row: MessageRow): MailboxMessage => ({
  id: row.id,
  tenantId: row.tenant_id,
  sender: row.sender,
  recipient: row.recipient,
  subject: row.subject,
  consentId: row.consent_id,
  messageType: row.message_type,
  purpose: row.purpose,
  categories: JSON.parse(row.categories) as string[],
  envelope: row.envelope,
  ciphertext: row.ciphertext,
  ciphertextDigest: row.ciphertext_digest,
  receivedAt: row.received_at,
  retainUntil: row.retain_until,
  state: row.state,
  ...(row.withheld_reason === null ? {} : { withheldReason: row.withheld_reason }),
});

/** A message still waiting for its recipient: the states a move (fetch, purge, …) starts from. */
export const WAITING = "state IN ('queued', 'delivered')";

/**
 * Messages waiting per tenant and recipient. The condition is that of the partial index
 * mailbox_waiting_by_recipient, so the count reads only what waits. PostgreSQL answers COUNT as a
 * bigint string, hence `Number`.
 */
export const WAITING_COUNTS = `SELECT tenant_id, recipient, COUNT(*) AS messages
  FROM mailbox_messages WHERE ${WAITING} GROUP BY tenant_id, recipient`;

export interface WaitingCountRow {
  readonly tenant_id: string;
  readonly recipient: string;
  readonly messages: number | string;
}

export const toWaitingCount = (row: WaitingCountRow) => ({
  tenantId: row.tenant_id,
  recipient: row.recipient,
  messages: Number(row.messages),
});

/** The columns {@link messageValues} fills, in its order: all but withheld_reason. */
export const MESSAGE_INSERT_COLUMNS = `id, tenant_id, sender, recipient, subject, consent_id,
  message_type, purpose, categories, envelope, ciphertext, ciphertext_digest, received_at,
  retain_until, state`;

/** A new (waiting) message row's values, in the order of {@link MESSAGE_INSERT_COLUMNS}. */
export const messageValues = (m: MailboxMessage) => [
  m.id,
  m.tenantId,
  m.sender,
  m.recipient,
  m.subject,
  m.consentId,
  m.messageType,
  m.purpose,
  JSON.stringify(m.categories),
  m.envelope,
  m.ciphertext,
  m.ciphertextDigest,
  m.receivedAt,
  m.retainUntil,
  m.state,
];

/** A notification; `nextAttemptAt` is the lease a claim just set, where the row predates it. */
export const toNotification = (
  row: NotificationRow,
  nextAttemptAt = row.next_attempt_at,
): WebhookNotification => ({
  id: row.id,
  tenantId: row.tenant_id,
  recipient: row.recipient,
  url: row.url,
  body: row.body,
  attempts: row.attempts,
  nextAttemptAt,
});

/**
 * The states of `from` a transition may really move a message from. Only a waiting message
 * moves: withheld, acknowledged and purged are final, whatever `from` says, so a fetch racing a
 * revocation cannot undo its withholding. None left: the transition moves nothing.
 */
export const waitingOf = (from: readonly MailboxMessage['state'][]) =>
  from.filter((s) => s === 'queued' || s === 'delivered');

/** The columns {@link idempotencyValues} fills, in its order. */
export const IDEMPOTENCY_COLUMNS = 'tenant_id, sender, key, request_hash, response, created_at';

/** The values of the `idempotency_keys` row an accepted message records. */
export const idempotencyValues = (
  message: MailboxMessage,
  idempotency: { key: string; requestHash: string; response: string },
) => [
  message.tenantId,
  message.sender,
  idempotency.key,
  idempotency.requestHash,
  idempotency.response,
  message.receivedAt,
];
