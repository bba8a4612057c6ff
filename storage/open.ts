import { openPostgresStorage } from './postgres/storage.ts';
import type { Storage } from './ports.ts';
import { openSqliteStorage } from './sqlite/index.ts';

export type { Storage } from './ports.ts';

/** The storage a Node process (gateway or CLI) runs on, and how to let go of it. */
export interface OpenedStorage {
  readonly kind: 'sqlite' | 'postgres';
  readonly storage: Storage;
  close(): Promise<void>;
}

/**
 * PostgreSQL when `databaseUrl` is set (several instances share it), else the embedded SQLite
 * file in `dataDir`. Either way the schema is brought up to date first.
 */
export async function openStorage(config: {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
}): Promise<OpenedStorage> {
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
