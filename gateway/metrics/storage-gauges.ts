import type { GatewayStorage } from '../app.ts';
import type { StorageGauges } from './port.ts';

/** Mailbox page size while counting; the port has no count query, so the scrape pages through. */
const PAGE = 500;

/**
 * Reads the audit log size per tenant and the waiting messages per tenant and recipient agency
 * type. Agency ids are summed away here, so nothing below the agency type leaves this function.
 */
export async function storageGauges(
  storage: Pick<GatewayStorage, 'tenants' | 'audit' | 'pki' | 'exchanges'>,
): Promise<StorageGauges> {
  const auditEntries: { tenantId: string; entries: number }[] = [];
  const waitingMessages: { tenantId: string; agencyType: string; messages: number }[] = [];
  for (const tenant of await storage.tenants.list()) {
    const head = await storage.audit.head(tenant.id);
    auditEntries.push({ tenantId: tenant.id, entries: head?.size ?? 0 });
    const byType = new Map<string, number>();
    for (const principal of await storage.pki.principals(tenant.id)) {
      if (principal.kind !== 'agency') continue;
      const type = principal.agencyType ?? 'unknown';
      const waiting = await countWaiting(storage, tenant.id, principal.id);
      byType.set(type, (byType.get(type) ?? 0) + waiting);
    }
    for (const [agencyType, messages] of byType) {
      waitingMessages.push({ tenantId: tenant.id, agencyType, messages });
    }
  }
  return { auditEntries, waitingMessages };
}

async function countWaiting(
  storage: Pick<GatewayStorage, 'exchanges'>,
  tenantId: string,
  recipient: string,
): Promise<number> {
  let count = 0;
  let after: { receivedAt: string; id: string } | undefined;
  for (;;) {
    const page = await storage.exchanges.waiting(tenantId, recipient, after, PAGE);
    count += page.length;
    const last = page.at(-1);
    if (page.length < PAGE || last === undefined) return count;
    after = { receivedAt: last.receivedAt, id: last.id };
  }
}
