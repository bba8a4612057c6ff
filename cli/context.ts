import { provisionTenant, type PkiDeps } from '../certs/index.ts';
import { systemClock } from '../core/index.ts';
import { loadMasterKey, MASTER_KEY_WARNING } from '../storage/master-key-file.ts';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import type { CliIo } from './io.ts';

export { provisionTenant };

/** Storage and keys for one command, closed again whatever happens. */
export async function withPki<T>(
  dataDir: string,
  io: CliIo,
  work: (deps: PkiDeps & { storage: SqliteStorage }) => Promise<T>,
): Promise<T> {
  const storage = openSqliteStorage(dataDir);
  try {
    const master = await loadMasterKey(dataDir, io.env['GATEWAY_MASTER_KEY']);
    if (master.source !== 'env')
      io.stderr.write(`consent-gateway: warning: ${MASTER_KEY_WARNING}\n`);
    return await work({ pki: storage.pki, clock: systemClock, masterKey: master.key, storage });
  } finally {
    storage.close();
  }
}
