import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditLog } from '../audit/index.ts';
import type { PkiDeps } from '../certs/index.ts';
import { systemClock } from '../core/index.ts';
import { readMasterKeyFile } from '../gateway/config.ts';
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

/** The master key as GATEWAY_MASTER_KEY holds it, and the variable it came from. */
export interface MasterKeySetting {
  readonly value: string;
  readonly from: 'GATEWAY_MASTER_KEY' | 'GATEWAY_MASTER_KEY_FILE';
}

/**
 * The master key the environment gives, read as the gateway reads it: GATEWAY_MASTER_KEY, or the
 * file GATEWAY_MASTER_KEY_FILE names (a systemd credential, a mounted secret), so an operator runs
 * the CLI with the settings the gateway runs with. Undefined when neither is set.
 *
 * @throws Error when both are set, or when the file cannot be read or holds no key (one line,
 *   never the file's content).
 */
export async function masterKeySetting(env: CliIo['env']): Promise<MasterKeySetting | undefined> {
  const value = nonEmpty(env['GATEWAY_MASTER_KEY']);
  const file = nonEmpty(env['GATEWAY_MASTER_KEY_FILE']);
  if (value !== undefined && file !== undefined)
    throw new Error('GATEWAY_MASTER_KEY_FILE must not be set together with GATEWAY_MASTER_KEY');
  if (value !== undefined) return { value, from: 'GATEWAY_MASTER_KEY' };
  if (file === undefined) return undefined;
  const read = await readMasterKeyFile(file, (path) => readFile(path, 'utf8'));
  return { value: read, from: 'GATEWAY_MASTER_KEY_FILE' };
}

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
  const setting = await masterKeySetting(io.env);
  if (shared !== undefined && setting === undefined)
    throw new Error(
      `${databaseUrl === undefined ? 'GATEWAY_D1_STATE' : 'GATEWAY_DATABASE_URL'} needs GATEWAY_MASTER_KEY (or GATEWAY_MASTER_KEY_FILE): the key the gateway runs with`,
    );
  if (shared === undefined && !options.create && !existsSync(join(dataDir, DATABASE_FILE))) {
    throw new Error(`no gateway data in ${dataDir}: run init first, or pass --data`);
  }
  const opened = await openStorage({ dataDir, databaseUrl, d1State });
  const { storage } = opened;
  try {
    const fresh = options.create && (await storage.tenants.list()).length === 0;
    const master = await loadMasterKey(dataDir, setting?.value, { create: fresh });
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
