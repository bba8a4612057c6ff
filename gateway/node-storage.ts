import { openPostgresStorage } from '../storage/postgres/storage.ts';
import { openSqliteStorage } from '../storage/sqlite/index.ts';
import type { GatewayStorage } from './app.ts';

/** The storage a Node gateway runs on, and how to let go of it. */
export interface NodeStorage {
  readonly kind: 'sqlite' | 'postgres';
  readonly storage: GatewayStorage;
  close(): Promise<void>;
}

/**
 * PostgreSQL when `databaseUrl` is set (several instances share it), else the embedded SQLite
 * file in `dataDir`. Either way the schema is brought up to date first.
 */
export async function openNodeStorage(config: {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
}): Promise<NodeStorage> {
  if (config.databaseUrl !== undefined) {
    const storage = await openPostgresStorage(config.databaseUrl);
    return { kind: 'postgres', storage, close: () => storage.close() };
  }
  const storage = openSqliteStorage(config.dataDir);
  return {
    kind: 'sqlite',
    storage,
    close: () => {
      storage.close();
      return Promise.resolve();
    },
  };
}
