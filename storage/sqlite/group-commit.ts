import { closeSync, fdatasync, openSync } from 'node:fs';
import type { SqliteDatabase } from './database.ts';

/**
 * Group commit for a server on the SQLite file: transactions commit with `synchronous=NORMAL`
 * (written to the WAL, not yet flushed), and nothing the gateway answers may depend on them until
 * {@link GroupCommit.durable} has flushed the WAL. One `fdatasync` then covers every commit made
 * before it started, however many requests wait on it, and it runs on libuv's thread pool, so the
 * event loop no longer stalls on the disk once or twice per exchange.
 *
 * Why this keeps `synchronous=FULL`'s promise: a transaction is durable once its WAL frames are
 * on stable storage, and Linux's fdatasync flushes a file's data whichever descriptor wrote it.
 * SQLite itself syncs the WAL before each checkpoint and the database after it, so what a
 * checkpoint moved out of the WAL is durable already. A process crash loses nothing either way
 * (the frames are in the page cache); only a power cut tells the two apart, and an answer is
 * never sent before the flush.
 */
export class GroupCommit {
  readonly #walFile: string;
  readonly #changes: () => number;
  readonly #sync: (fd: number) => Promise<void>;
  #fd: number | undefined;
  /** total_changes() that the last finished flush covered. */
  #flushed = 0;
  #flushing: Promise<void> | undefined;

  /** `sync` flushes a file's data; fdatasync unless a test counts the flushes. */
  constructor(db: SqliteDatabase, file: string, sync: (fd: number) => Promise<void> = dataSync) {
    this.#walFile = `${file}-wal`;
    this.#sync = sync;
    // total_changes() counts every row this connection changed, in any statement or
    // transaction, so no write path can forget to say it wrote.
    const statement = db.prepare('SELECT total_changes() AS n').pluck();
    this.#changes = () => statement.get() as number;
    this.#flushed = this.#changes();
  }

  /** Resolves once every change this connection committed so far is on stable storage. */
  async durable(): Promise<void> {
    const target = this.#changes();
    while (this.#flushed < target) {
      this.#flushing ??= this.#flush().finally(() => {
        this.#flushing = undefined;
      });
      await this.#flushing;
    }
  }

  async #flush(): Promise<void> {
    const upTo = this.#changes();
    this.#fd ??= openSync(this.#walFile, 'r');
    await this.#sync(this.#fd);
    this.#flushed = Math.max(this.#flushed, upTo);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

function dataSync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fdatasync(fd, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}
