import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './database.ts';

/**
 * How many WAL frames the server's own connection lets pile up before it checkpoints itself.
 * SQLite's default, 1000, made it checkpoint every forty or so exchanges at the peak (each writes
 * about 27 frames), each time copying pages and syncing both files on the event loop. With the
 * thread below copying and syncing in the meantime, the server's own checkpoint is a backstop
 * that finds little left to copy; it comes about twice a second at the peak, and it is what lets
 * the WAL start over from its beginning (64 MB at most on disk).
 */
export const SERVER_CHECKPOINT_FRAMES = 16_000;

/** How often the thread checkpoints: what it leaves for the backstop is at most this much work. */
const EVERY_MS = 100;

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');

// Plain CommonJS, so the thread needs no TypeScript loader. A PASSIVE checkpoint never waits for
// the server's connection and never blocks it: it copies the frames no reader still needs and
// syncs the WAL before and the database after, as the server's own checkpoints did. A busy or
// failed round is left to the next one; the backstop on the server's connection raises what
// keeps failing where a request sees it.
const THREAD = `
const Database = require(${JSON.stringify(BETTER_SQLITE3)});
const { parentPort, workerData } = require('node:worker_threads');
const db = new Database(workerData.file, { timeout: 0 });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the thread; its connection closes after any checkpoint it is in the middle of. */
  stop(): void;
}

/**
 * Moves the WAL's checkpoints off the server's event loop: a thread with its own connection to
 * `file` checkpoints every {@link EVERY_MS} ms, and the server's connection `db` only at
 * {@link SERVER_CHECKPOINT_FRAMES}. At the peak this gave about a tenth more exchanges a second
 * and no longer a tail than before (docs/development.md, "Registry reads and checkpoints").
 */
export function startCheckpointer(db: SqliteDatabase, file: string): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${String(SERVER_CHECKPOINT_FRAMES)}`);
  const worker = new Worker(THREAD, { eval: true, workerData: { file, everyMs: EVERY_MS } });
  // Never what keeps the process alive: the server is.
  worker.unref();
  let stopping = false;
  // A thread that failed or died leaves the checkpoints to the server's connection, as SQLite
  // does by default.
  worker.once('exit', () => {
    if (!stopping && db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  worker.on('error', () => undefined);
  return {
    stop() {
      stopping = true;
      worker.postMessage('stop');
    },
  };
}
