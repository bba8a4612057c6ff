import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../audit/index.ts';
import type { PkiDeps } from '../certs/index.ts';
import { systemClock } from '../core/index.ts';
import { loadMasterKey, MASTER_KEY_WARNING } from '../storage/master-key-file.ts';
import { openStorage, type Storage } from '../storage/open.ts';
import { DATABASE_FILE } from '../storage/sqlite/index.ts';
import type { CliIo } from './io.ts';

/**
 * Storage and keys for one command, closed again whatever happens. Only `init` and `demo`
 * (create: true) make a data dir or a master key file, and a key file only while the data dir
 * holds no tenant: a new key beside keys wrapped under another would wrap new keys nobody can use
 * with the right one. Every other command fails on a missing data dir, so a mistyped --data
 * leaves nothing behind. With GATEWAY_DATABASE_URL set, commands work on that PostgreSQL database.
 */
/** A variable's value, or undefined when it is unset or blank. */
const nonEmpty = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

export async function withPki<T>(
  dataDir: string,
  io: CliIo,
  work: (deps: PkiDeps & { storage: Storage }) => Promise<T>,
  options: { create: boolean } = { create: false },
): Promise<T> {
  // GATEWAY_DATABASE_URL: the PostgreSQL database the gateway instances share, as for the server.
  const databaseUrl = nonEmpty(io.env['GATEWAY_DATABASE_URL']);
  // GATEWAY_D1_STATE: the local edge gateway's state dir (npm run dev:edge keeps it in data/edge).
  const d1State = nonEmpty(io.env['GATEWAY_D1_STATE']);
  const shared = databaseUrl ?? d1State;
  if (shared !== undefined && io.env['GATEWAY_MASTER_KEY'] === undefined)
    throw new Error(
      `${databaseUrl === undefined ? 'GATEWAY_D1_STATE' : 'GATEWAY_DATABASE_URL'} needs GATEWAY_MASTER_KEY: the key the gateway runs with`,
    );
  if (shared === undefined && !options.create && !existsSync(join(dataDir, DATABASE_FILE))) {
    throw new Error(`no gateway data in ${dataDir}: run init first, or pass --data`);
  }
  const opened = await openStorage({ dataDir, databaseUrl, d1State });
  const { storage } = opened;
  try {
    const fresh = options.create && (await storage.tenants.list()).length === 0;
    const master = await loadMasterKey(dataDir, io.env['GATEWAY_MASTER_KEY'], { create: fresh });
    if (master.source !== 'env')
      io.stderr.write(`consent-gateway: warning: ${MASTER_KEY_WARNING}\n`);
    return await work({
      pki: storage.pki,
      clock: systemClock,
      masterKey: master.key,
      storage,
      audit: new AuditLog(storage.audit, systemClock),
    });
  } finally {
    await opened.close();
  }
}
