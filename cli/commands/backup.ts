import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkMasterKey } from '../../certs/index.ts';
import { DataDirLockedError, lockDataDir } from '../../gateway/data-dir-lock.ts';
import { loadMasterKey, MASTER_KEY_FILE } from '../../storage/master-key-file.ts';
import {
  backupDatabase,
  BackupRefusal,
  restoreDatabase,
  type BackupSummary,
} from '../../storage/sqlite/index.ts';
import { masterKeySetting } from '../context.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIo } from '../io.ts';

/**
 * `backup --out FILE`: a consistent copy of DIR/gateway.db, taken while the gateway runs (SQLite's
 * online backup API), owner-only, never over an existing file. Prints one line: size, tenants and
 * each tenant's audit tree size, so the operator can later compare a restored gateway's tree head.
 */
export async function backupCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string' }, data: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (values.out === undefined || positionals.length > 0)
    throw new UsageError('backup needs --out FILE and nothing else');
  const dir = values.data ?? dataDir;
  const shared = sharedDatabase(io, 'backup');
  if (shared !== undefined) return refuse(io, 'backup', shared);
  try {
    const summary = await backupDatabase(dir, values.out);
    io.stdout.write(
      `backup written to ${values.out}: ${describe(summary)}; ` +
        'the master key is not in it: keep it apart from the backup, it opens every key inside\n',
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof BackupRefusal) return refuse(io, 'backup', error.message);
    throw error;
  }
}

/**
 * `restore FILE`: puts a backup into an empty data dir, holding the dir's lock meanwhile so no
 * gateway starts on a half-restored database. The master key is not in a backup, so the restore
 * needs it (GATEWAY_MASTER_KEY or GATEWAY_MASTER_KEY_FILE, or DIR/master.key put there beforehand) and proves that it opens
 * the restored keys: a restore the gateway could not start on would only fail later, at start-up.
 */
export async function restoreCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { data: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError('restore needs exactly one backup FILE');
  const dir = values.data ?? dataDir;
  const shared = sharedDatabase(io, 'restore');
  if (shared !== undefined) return refuse(io, 'restore', shared);
  const setting = await masterKeySetting(io.env);
  const keySource =
    setting?.from ??
    (existsSync(join(dir, MASTER_KEY_FILE)) ? join(dir, MASTER_KEY_FILE) : undefined);
  if (keySource === undefined) {
    return refuse(
      io,
      'restore',
      `the master key is not in the backup: set GATEWAY_MASTER_KEY (or GATEWAY_MASTER_KEY_FILE) or put ${MASTER_KEY_FILE} in ${dir} first`,
    );
  }
  let lock;
  try {
    lock = lockDataDir(dir);
  } catch (error) {
    if (error instanceof DataDirLockedError)
      return refuse(io, 'restore', `a gateway is serving ${dir}; stop it first`);
    throw error;
  }
  try {
    const { key } = await loadMasterKey(dir, setting?.value, { create: false });
    const summary = await restoreDatabase(file, dir, (pki) =>
      checkMasterKey({ pki, masterKey: key }),
    );
    io.stdout.write(
      `restored ${file} into ${dir}: ${describe(summary)}, schema ${summary.schemaVersion}, ` +
        `integrity ${summary.integrity}; the master key is not in a backup: ${keySource} opens the restored keys\n`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof BackupRefusal) return refuse(io, 'restore', error.message);
    // SQLite stops reading a broken page before PRAGMA integrity_check can list it: the same refusal.
    if (isDamaged(error))
      return refuse(io, 'restore', `${file} is damaged (${error.message}); nothing was restored`);
    throw error;
  } finally {
    lock.release();
  }
}

/** PostgreSQL and D1 have their own tools; this command copies only the embedded SQLite file. */
function sharedDatabase(io: CliIo, verb: 'backup' | 'restore'): string | undefined {
  const set = (name: string) => (io.env[name]?.trim() ?? '') !== '';
  if (set('GATEWAY_DATABASE_URL')) {
    return verb === 'backup'
      ? 'GATEWAY_DATABASE_URL is set: back up PostgreSQL with pg_dump'
      : 'GATEWAY_DATABASE_URL is set: restore PostgreSQL with pg_restore or psql';
  }
  if (set('GATEWAY_D1_STATE')) {
    return `GATEWAY_D1_STATE is set: use wrangler d1 ${verb === 'backup' ? 'export' : 'execute --file'}`;
  }
  return undefined;
}

function describe(summary: BackupSummary): string {
  const tenants = summary.tenants.map((t) => `${t.id} (audit tree size ${t.auditSize})`);
  const plural = summary.tenants.length === 1 ? '' : 's';
  return `${summary.bytes} bytes, ${summary.tenants.length} tenant${plural}${tenants.length > 0 ? `: ${tenants.join(', ')}` : ''}`;
}

/** SQLite's answer to a file whose pages do not hold what their headers say. */
function isDamaged(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    error instanceof Error &&
    typeof code === 'string' &&
    (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
  );
}

/** One line, whatever the reason holds: SQLite's integrity report comes with line breaks. */
function refuse(io: CliIo, verb: string, reason: string): number {
  const line = reason.trim().replace(/\s*\n\s*/g, '; ');
  io.stderr.write(`consent-gateway: ${verb} refused: ${line}\n`);
  return EXIT_FAILED;
}
