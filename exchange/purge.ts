import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../core/index.ts';
import type { ConsentStore } from '../consent/index.ts';
import { subjectRefOf } from './mailbox.ts';
import type { ExchangeStore } from './ports.ts';

/**
 * Messages nobody fetched within the retention the policy gives the recipient are purged: the
 * ciphertext is deleted and the purge audited. Answers how many.
 */
export async function purgeExpiredMessages(
  deps: {
    exchanges: ExchangeStore;
    audit: AuditLog;
    clock: Clock;
    consents: ConsentStore;
    masterKey: CryptoKey;
  },
  batch = 500,
): Promise<number> {
  const due = await deps.exchanges.dueForPurge(deps.clock.now().toISOString(), batch);
  let purged = 0;
  for (const message of due) {
    const done = await deps.audit.record(
      message.tenantId,
      {
        ...(await subjectRefOf(deps, message)),
        event: 'exchange.purged',
        actor: 'system',
        outcome: 'ok',
        exchangeId: message.id,
        sender: message.sender,
        recipient: message.recipient,
        purpose: message.purpose,
      },
      (prepared) =>
        deps.exchanges.transition(message.id, ['queued', 'delivered'], 'purged', prepared),
    );
    if (done) purged++;
  }
  return purged;
}
