import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyMigrations, type Migration } from './migrations.ts';
import { migrations } from './schema.ts';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  /** Path of the database file; its folder is created (mode 0700) if missing. */
  readonly file: string;
  /** The schema steps to apply; defaults to the gateway's own. */
  readonly migrations?: readonly Migration[];
  /**
   * 'grouped': commits do not flush the WAL themselves; the caller flushes through a
   * {@link GroupCommit} before it answers anyone (the server). Default 'each-commit' (the CLI).
   */
  readonly durability?: 'each-commit' | 'grouped';
}

/**
 * Opens the gateway's SQLite file and brings its schema up to date.
 *
 * Pragmas, and why:
 * - WAL lets readers (mailbox fetches, audit reads) run beside the single writer.
 * - synchronous=FULL: an audit entry or an accepted message that was acknowledged to an agency
 *   must survive a power cut, not only a crash. A server opens with durability 'grouped'
 *   (synchronous=NORMAL) and keeps the same promise by flushing the WAL before it answers (see
 *   group-commit.ts).
 * - secure_delete overwrites deleted rows, so purged ciphertext and shredded keys do not linger
 *   in free pages of the file.
 * - mmap_size (1 GiB) and cache_size (64 MiB): a consent check or an inclusion proof reads a few
 *   pages at random from a file that grows to gigabytes; read through the memory map they cost
 *   no system call each, so a lookup at 10⁶ stored entries costs about 1.3× one at 10⁴ instead
 *   of 1.5–2.4× (`npm run bench`). Mapped pages are the OS's page cache, not the process's heap.
 * - busy_timeout lets a second process (the CLI beside a running server) wait for the lock
 *   instead of failing at once.
 */
export function openSqlite(options: OpenOptions): SqliteDatabase {
  mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
  // Created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
  closeSync(openSync(options.file, 'a', 0o600));
  const db = new Database(options.file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'grouped' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    db.pragma('mmap_size = 1073741824');
    db.pragma('cache_size = -65536');
    db.pragma('busy_timeout = 5000');
    applyMigrations(db, options.migrations ?? migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs `work` in one write transaction (BEGIN IMMEDIATE, so it takes the write lock up front and
 * never fails half-way on a lock upgrade). Any throw rolls everything back.
 *
 * @example
 * ```ts
 * inTransaction(db, () => {
 *   insertConsentVersion.run(row);
 *   appendAuditEntry(row);
 * });
 * ```
 */
export function inTransaction<T>(db: SqliteDatabase, work: () => T): T {
  return db.transaction(work).immediate();
}
