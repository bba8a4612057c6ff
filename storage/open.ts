import { openPostgresStorage } from './postgres/storage.ts';
import type { Storage } from './ports.ts';
import { openSqliteStorage } from './sqlite/index.ts';

export type { Storage } from './ports.ts';

/** The storage a Node process (gateway or CLI) runs on, and how to let go of it. */
export interface OpenedStorage {
  readonly kind: 'sqlite' | 'postgres' | 'd1';
  readonly storage: Storage;
  close(): Promise<void>;
}

/**
 * PostgreSQL when `databaseUrl` is set (several instances share it); the local edge gateway's D1
 * when `d1State` names its state dir (the CLI beside `npm run dev:edge`); else the embedded
 * SQLite file in `dataDir`. SQLite and PostgreSQL bring their schema up to date first.
 */
export async function openStorage(config: {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly d1State?: string | undefined;
  /** The server groups its SQLite commits' flushes and awaits `storage.durable()` to answer. */
  readonly groupCommit?: boolean;
}): Promise<OpenedStorage> {
  if (config.d1State !== undefined) {
    const { openLocalD1Storage } = await import('./d1-local.ts');
    return { kind: 'd1', ...(await openLocalD1Storage(config.d1State)) };
  }
  if (config.databaseUrl !== undefined) {
    const storage = await openPostgresStorage(config.databaseUrl);
    return { kind: 'postgres', storage, close: () => storage.close() };
  }
  const storage = openSqliteStorage(config.dataDir, {
    durability: config.groupCommit === true ? 'grouped' : 'each-commit',
  });
  return {
    kind: 'sqlite',
    storage,
    close: () => {
      storage.close();
      return Promise.resolve();
    },
  };
}
