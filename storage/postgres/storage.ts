import type { AuditStore } from '../../audit/index.ts';
import type { PkiStore } from '../../certs/index.ts';
import type { ConsentStore } from '../../consent/index.ts';
import type { ExchangeStore } from '../../exchange/index.ts';
import type { TenantStore } from '../../tenants/index.ts';
import { pgAuditStore } from './audit-store.ts';
import { pgConsentStore } from './consent-store.ts';
import { openPgDatabase, type PgDatabase } from './database.ts';
import { pgExchangeStore } from './exchange-store.ts';
import { applyPgMigrations } from './migrations.ts';
import { pgPkiStore } from './pki-store.ts';
import { pgMigrations } from './schema/index.ts';
import { pgTenantStore } from './tenant-store.ts';

/** Every port the PostgreSQL backend implements, over one database several instances share. */
export interface PostgresStorage {
  readonly db: PgDatabase;
  readonly tenants: TenantStore;
  readonly pki: PkiStore;
  readonly consents: ConsentStore;
  readonly audit: AuditStore;
  readonly exchanges: ExchangeStore;
  /** Resolves when the database answers a query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to `url` (`postgres://user@host:port/db`) and brings the schema up to date; instances
 * starting together apply each migration once (an advisory lock serialises them).
 */
export async function openPostgresStorage(
  url: string,
  options: { maxConnections?: number } = {},
): Promise<PostgresStorage> {
  const db = openPgDatabase(url, { max: options.maxConnections ?? 10 });
  try {
    await applyPgMigrations(db, pgMigrations);
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    db,
    tenants: pgTenantStore(db),
    pki: pgPkiStore(db),
    consents: pgConsentStore(db),
    audit: pgAuditStore(db),
    exchanges: pgExchangeStore(db),
    async ping() {
      await db.query('SELECT 1');
    },
    close: () => db.close(),
  };
}
