import type { Storage } from '../ports.ts';
import { d1AuditStore } from './audit-store.ts';
import { d1ConsentStore } from './consent-store.ts';
import type { D1Database } from './d1.ts';
import { d1ExchangeStore } from './exchange-store.ts';
import { d1PkiStore } from './pki-store.ts';
import { d1TenantStore } from './tenant-store.ts';

/**
 * Every storage port over a D1 database whose schema is migrations/ (`wrangler d1 migrations
 * apply`). Nothing is opened or closed: the Worker's binding is the connection. Each change that
 * must land with its audit entry is one batch that guards itself in SQL (guards.ts).
 *
 * @example
 * ```ts
 * export default {
 *   fetch: (request: Request, env: { DB: D1Database }) =>
 *     createApp({ storage: openD1Storage(env.DB), ... }).fetch(request),
 * };
 * ```
 */
export function openD1Storage(db: D1Database): Storage {
  return {
    tenants: d1TenantStore(db),
    pki: d1PkiStore(db),
    consents: d1ConsentStore(db),
    audit: d1AuditStore(db),
    exchanges: d1ExchangeStore(db),
    async ping() {
      await db.prepare('SELECT 1').first();
    },
  };
}
