import type { GatewayStorage } from '../app.ts';
import type { StorageGauges } from './port.ts';

/**
 * Reads the audit log size per tenant and the waiting messages per tenant and recipient agency
 * type. Agency ids are summed away here, so nothing below the agency type leaves this function.
 */
export async function storageGauges(
  storage: Pick<GatewayStorage, 'tenants' | 'audit' | 'pki' | 'exchanges'>,
): Promise<StorageGauges> {
  const auditEntries: { tenantId: string; entries: number }[] = [];
  const waitingMessages: { tenantId: string; agencyType: string; messages: number }[] = [];
  const counts = await storage.exchanges.waitingCounts();
  for (const tenant of await storage.tenants.list()) {
    const head = await storage.audit.head(tenant.id);
    auditEntries.push({ tenantId: tenant.id, entries: head?.size ?? 0 });
    const typeOf = new Map<string, string>();
    // Every type with an agency is a series, at 0 when nothing waits, so a graph shows the zero.
    const byType = new Map<string, number>();
    for (const principal of await storage.pki.principals(tenant.id)) {
      if (principal.kind !== 'agency') continue;
      typeOf.set(principal.id, principal.agencyType ?? 'unknown');
      byType.set(principal.agencyType ?? 'unknown', 0);
    }
    for (const { tenantId, recipient, messages } of counts) {
      if (tenantId !== tenant.id) continue;
      // A recipient no longer registered still has mail waiting; it counts, typed `unknown`.
      const type = typeOf.get(recipient) ?? 'unknown';
      byType.set(type, (byType.get(type) ?? 0) + messages);
    }
    for (const [agencyType, messages] of byType) {
      waitingMessages.push({ tenantId: tenant.id, agencyType, messages });
    }
  }
  return { auditEntries, waitingMessages };
}
