import { join } from 'node:path';
import type { AuditStore } from '../../audit/index.ts';
import type { PkiStore } from '../../certs/index.ts';
import type { ConsentStore } from '../../consent/index.ts';
import type { ExchangeStore } from '../../exchange/index.ts';
import type { TenantStore } from '../../tenants/index.ts';
import { openSqlite, type SqliteDatabase } from './database.ts';
import { sqliteAuditStore } from './audit-store.ts';
import { sqliteConsentStore } from './consent-store.ts';
import { sqliteExchangeStore } from './exchange-store.ts';
import { sqlitePkiStore } from './pki-store.ts';
import { sqliteTenantStore } from './tenant-store.ts';

/** Every port the SQLite backend implements, over one database file. */
export interface SqliteStorage {
  readonly db: SqliteDatabase;
  readonly tenants: TenantStore;
  readonly pki: PkiStore;
  readonly consents: ConsentStore;
  readonly audit: AuditStore;
  readonly exchanges: ExchangeStore;
  /** Resolves when the database answers a query; rejects otherwise. */
  ping(): Promise<void>;
  close(): void;
}

export const DATABASE_FILE = 'gateway.db';

/** Opens (creating if needed) `<dataDir>/gateway.db` with all migrations applied. */
export function openSqliteStorage(dataDir: string): SqliteStorage {
  const db = openSqlite({ file: join(dataDir, DATABASE_FILE) });
  return {
    db,
    tenants: sqliteTenantStore(db),
    pki: sqlitePkiStore(db),
    consents: sqliteConsentStore(db),
    audit: sqliteAuditStore(db),
    exchanges: sqliteExchangeStore(db),
    ping() {
      try {
        db.prepare('SELECT 1').get();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}
