import { join } from 'node:path';
import type { AuditStore } from '../../audit/index.ts';
import type { PkiStore } from '../../certs/index.ts';
import type { ConsentStore } from '../../consent/index.ts';
import type { ExchangeStore } from '../../exchange/index.ts';
import type { TenantStore } from '../../tenants/index.ts';
import { openSqlite, type SqliteDatabase } from './database.ts';
import { startCheckpointer } from './checkpointer.ts';
import { GroupCommit } from './group-commit.ts';
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
  /**
   * Resolves once everything committed so far is on stable storage: at once when opened with
   * durability 'each-commit' (every commit flushed itself), else after a shared WAL flush.
   */
  durable(): Promise<void>;
  close(): void;
}

export const DATABASE_FILE = 'gateway.db';

/**
 * Opens (creating if needed) `<dataDir>/gateway.db` with all migrations applied. A server passes
 * durability 'grouped' and awaits `durable()` before each answer (group commit), and its WAL is
 * checkpointed by a thread of its own (checkpointer.ts); a CLI command keeps the default, where
 * every commit flushes itself.
 */
export function openSqliteStorage(
  dataDir: string,
  options: { durability?: 'each-commit' | 'grouped' } = {},
): SqliteStorage {
  const file = join(dataDir, DATABASE_FILE);
  const db = openSqlite({ file, ...options });
  const grouped = options.durability === 'grouped';
  const group = grouped ? new GroupCommit(db, file) : undefined;
  // A server's event loop should not copy pages and sync files every few dozen exchanges.
  const checkpointer = grouped ? startCheckpointer(db, file) : undefined;
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
    durable: () => group?.durable() ?? Promise.resolve(),
    close() {
      checkpointer?.stop();
      group?.close();
      if (db.open) db.close();
    },
  };
}
