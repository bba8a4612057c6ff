import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The file in the data dir that the running gateway holds locked. */
export const DATA_DIR_LOCK_FILE = 'gateway.lock';

export interface DataDirLock {
  readonly file: string;
  /** Lets the next gateway start. Safe to call more than once; process exit does it too. */
  release(): void;
}

/** Thrown when another process serves the data dir; `code` is stable, the message is for people. */
export class DataDirLockedError extends Error {
  readonly code = 'ERR_DATA_DIR_LOCKED';
  override readonly name = 'DataDirLockedError';
  constructor(readonly dataDir: string) {
    super(
      `another gateway is already serving ${dataDir} (it holds ${join(dataDir, DATA_DIR_LOCK_FILE)}); stop it first or choose another GATEWAY_DATA_DIR`,
    );
  }
}

/**
 * Makes this process the only gateway serving `dataDir`, until it ends or calls `release()`.
 *
 * The lock is SQLite's own: `gateway.lock` is a small SQLite file opened with
 * `locking_mode=EXCLUSIVE` and written once, so the connection holds an exclusive lock for its
 * life. SQLite takes that lock from the operating system (fcntl on POSIX, LockFileEx on Windows),
 * and the operating system drops it when the process dies, SIGKILL included, so a crash never
 * leaves a stale lock behind. A PID file would need a liveness check that can be fooled by a
 * recycled PID; this cannot. CLI commands do not take the lock: they share the data dir with a
 * running gateway through SQLite's WAL.
 *
 * @example
 * const lock = lockDataDir(config.dataDir); // throws DataDirLockedError if a gateway runs there
 * // … serve …
 * lock.release();
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DATA_DIR_LOCK_FILE);
  // timeout 0: a held lock answers SQLITE_BUSY at once instead of waiting for it.
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec(
      'CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL);' +
        'DELETE FROM holder;',
    );
    db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(
      process.pid,
      new Date().toISOString(),
    );
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new DataDirLockedError(dataDir);
    throw error;
  }
  return {
    file,
    release() {
      if (db.open) db.close();
    },
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
