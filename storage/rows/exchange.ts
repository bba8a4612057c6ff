import type { MailboxMessage, WithholdingReason } from '../../exchange/index.ts';

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
