import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PkiStore } from '../../certs/index.ts';
import { openSqlite } from './database.ts';
import { currentVersion } from './migrations.ts';
import { sqlitePkiStore } from './pki-store.ts';
import { migrations } from './schema.ts';
import { DATABASE_FILE } from './storage.ts';

/** Why a backup or restore refused; `code` is stable, the message is one line for people. */
export type BackupRefusalCode =
  | 'ERR_BACKUP_EXISTS'
  | 'ERR_NO_DATABASE'
  | 'ERR_NOT_GATEWAY_DATABASE'
  | 'ERR_SCHEMA_TOO_NEW'
  | 'ERR_DATA_DIR_NOT_EMPTY'
  | 'ERR_INTEGRITY';

export class BackupRefusal extends Error {
  override readonly name = 'BackupRefusal';
  constructor(
    readonly code: BackupRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/** What a backup file holds, for the one line the CLI prints. */
export interface BackupSummary {
  readonly bytes: number;
  readonly schemaVersion: number;
  readonly tenants: readonly { readonly id: string; readonly auditSize: number }[];
}

/** Pages per backup step: all of them, so one step is one read transaction (see below). */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies `<dataDir>/gateway.db` to `out` with SQLite's online backup API while a gateway may be
 * writing to it, and answers what the copy holds.
 *
 * The copy is made in one step: in WAL mode that step is a single read transaction, which never
 * blocks the gateway's writer and sees one committed state, so the audit heads, entries and
 * mailbox in the copy belong together. Copying in small steps would restart on every commit the
 * gateway makes meanwhile, and under steady load might never finish. `out` is created owner-only
 * and exclusively (an existing file is never overwritten); a failed backup removes it again. The
 * copy is switched to rollback journalling, so the backup is one self-contained file.
 *
 * @throws BackupRefusal `ERR_BACKUP_EXISTS`, `ERR_NO_DATABASE`, `ERR_NOT_GATEWAY_DATABASE`
 */
export async function backupDatabase(dataDir: string, out: string): Promise<BackupSummary> {
  const source = join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) {
    throw new BackupRefusal('ERR_NO_DATABASE', `no gateway database in ${dataDir}`);
  }
  if (existsSync(out)) {
    throw new BackupRefusal('ERR_BACKUP_EXISTS', `${out} exists; a backup never overwrites a file`);
  }
  // readonly: a backup must never change the database it copies, not even by migrating it.
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    gatewaySchemaVersion(db, source);
    createOwnerOnly(out);
    try {
      await db.backup(out, { progress: () => ALL_PAGES });
      const copy = new Database(out, { fileMustExist: true });
      try {
        copy.pragma('journal_mode = DELETE');
        return { bytes: statSync(out).size, ...describe(copy) };
      } finally {
        copy.close();
      }
    } catch (error) {
      rmSync(out, { force: true });
      throw error;
    }
  } finally {
    db.close();
  }
}

/** What {@link restoreDatabase} did, for the one line the CLI prints. */
export interface RestoreSummary extends BackupSummary {
  readonly integrity: 'ok';
}

/**
 * Puts the backup `file` into `dataDir`, which must hold no gateway database. The caller holds
 * the data dir's lock (gateway/data-dir-lock.ts) around it, so no gateway starts there meanwhile.
 *
 * The file must be a gateway database (it has `schema_migrations`) no newer than this code. It is
 * copied through the backup API to a temporary name, brought to the current schema as a start
 * would, checked with `PRAGMA integrity_check`, and handed to `checkKeys` (the master key check);
 * only when all of that held is it renamed to `gateway.db`. Any failure leaves no database behind,
 * so a second attempt starts from the same empty dir.
 *
 * @throws BackupRefusal for each refusal above; whatever `checkKeys` throws.
 */
export async function restoreDatabase(
  file: string,
  dataDir: string,
  checkKeys: (pki: PkiStore) => Promise<void>,
): Promise<RestoreSummary> {
  const source = openBackup(file);
  try {
    const target = join(dataDir, DATABASE_FILE);
    if (existsSync(target) || existsSync(`${target}-wal`)) {
      throw new BackupRefusal(
        'ERR_DATA_DIR_NOT_EMPTY',
        `${dataDir} already holds a gateway database; restore only into an empty data dir`,
      );
    }
    // A staging file left by a restore that was killed is ours to replace (we hold the lock).
    const staging = `${target}.restoring`;
    removeDatabaseFiles(staging);
    createOwnerOnly(staging);
    try {
      await source.backup(staging, { progress: () => ALL_PAGES });
      const summary = await checkStaged(staging, checkKeys);
      renameSync(staging, target);
      return summary;
    } finally {
      removeDatabaseFiles(staging);
    }
  } finally {
    source.close();
  }
}

/** Migrates, checks and describes the staged copy, and leaves it as one file. */
async function checkStaged(
  staging: string,
  checkKeys: (pki: PkiStore) => Promise<void>,
): Promise<RestoreSummary> {
  const db = openSqlite({ file: staging });
  try {
    const problems = db.pragma('integrity_check', { simple: false }) as {
      integrity_check: string;
    }[];
    const first = problems[0]?.integrity_check;
    if (problems.length !== 1 || first !== 'ok') {
      throw new BackupRefusal(
        'ERR_INTEGRITY',
        `integrity check failed: ${problems.map((row) => row.integrity_check).join('; ')}`,
      );
    }
    await checkKeys(sqlitePkiStore(db));
    // Back from WAL, so the rename below moves everything; the gateway turns WAL on again.
    db.pragma('journal_mode = DELETE');
    return { bytes: statSync(staging).size, ...describe(db), integrity: 'ok' };
  } finally {
    db.close();
  }
}

/** Opens a backup read-only after checking that it is a gateway database this code can run. */
function openBackup(file: string): Database.Database {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new BackupRefusal('ERR_NOT_GATEWAY_DATABASE', `${file} is not a file`);
  }
  if (!hasSqliteHeader(file)) {
    throw new BackupRefusal('ERR_NOT_GATEWAY_DATABASE', `${file} is not a SQLite database`);
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    gatewaySchemaVersion(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The schema version, refusing a database that is not the gateway's or newer than this code. */
function gatewaySchemaVersion(db: Database.Database, file: string): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) {
    throw new BackupRefusal(
      'ERR_NOT_GATEWAY_DATABASE',
      `${file} is not a gateway database (no schema_migrations)`,
    );
  }
  const version = currentVersion(db);
  if (version > migrations.length) {
    throw new BackupRefusal(
      'ERR_SCHEMA_TOO_NEW',
      `${file} has schema version ${version}, newer than this gateway knows (${migrations.length}); upgrade the gateway first`,
    );
  }
  return version;
}

function describe(db: Database.Database): Omit<BackupSummary, 'bytes'> {
  const tenants = db
    .prepare(
      `SELECT t.id AS id, COALESCE(h.size, 0) AS auditSize
       FROM tenants t LEFT JOIN audit_heads h ON h.tenant_id = t.id ORDER BY t.id`,
    )
    .all() as { id: string; auditSize: number }[];
  return { schemaVersion: currentVersion(db), tenants };
}

/** 'wx': fails on an existing file, so two runs never write one file; 0600 before any byte. */
function createOwnerOnly(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new BackupRefusal(
        'ERR_BACKUP_EXISTS',
        `${file} exists; a backup never overwrites a file`,
      );
    }
    throw error;
  }
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    rmSync(`${file}${suffix}`, { force: true });
}

const SQLITE_HEADER = 'SQLite format 3\0';

function hasSqliteHeader(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, header, 0, header.length, 0);
    return read === header.length && header.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}
