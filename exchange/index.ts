export type {
  ExchangeStore,
  MailboxMessage,
  MessageState,
  IdempotentResponse,
  MailboxPosition,
  WebhookNotification,
  WithholdingReason,
} from './ports.ts';
export {
  deliverNotifications,
  backoffMs,
  NOTIFICATION_TYP,
  MAX_ATTEMPTS,
  LEASE_MS,
} from './webhooks.ts';
export { sendExchange, recordRefusedRequest, ExchangeInput, ATTESTATION_TYP } from './send.ts';
export type { ExchangeDeps, Accepted } from './send.ts';
export {
  waitingMessages,
  fetchMessage,
  acknowledgeMessage,
  withholdMessagesOf,
  withholdEndedConsents,
} from './mailbox.ts';
export type { WithholdDeps } from './mailbox.ts';
export { sealForRecipient } from './envelope.ts';
export { purgeExpiredMessages } from './purge.ts';
