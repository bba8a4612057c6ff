import type { AuditStore } from '../audit/index.ts';
import type { PkiStore } from '../certs/index.ts';
import type { ConsentStore } from '../consent/index.ts';
import type { ExchangeStore } from '../exchange/index.ts';
import type { TenantStore } from '../tenants/index.ts';

/**
 * Every storage port, as each backend (SQLite, PostgreSQL, D1) provides them: what the app is
 * built on and what the storage conformance suite drives. The ports themselves are declared by
 * the domain modules that use them.
 */
export interface Storage {
  readonly tenants: TenantStore;
  readonly pki: PkiStore;
  readonly consents: ConsentStore;
  readonly audit: AuditStore;
  readonly exchanges: ExchangeStore;
  /** Resolves when storage answers a query; rejects otherwise. */
  ping(): Promise<void>;
}
