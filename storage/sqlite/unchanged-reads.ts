import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';

/**
 * Answers to reads, kept while no connection has committed anything to the database since they
 * were read. Every exchange reads the same few registry rows (its sender's principal and
 * certificate, the recipient's, the tenant's trust anchors and signing key, the revocation of a
 * serial); read from SQLite and mapped each time they were a tenth of the event loop's work at
 * the peak, for rows that change a few times a year.
 *
 * Why nothing stale is ever answered: SQLite's `data_version` changes whenever another connection
 * (the CLI revoking a certificate beside the server, another process of a cluster) commits, and
 * it is read before each answer; this connection's own writes call {@link forget}. Reads inside an
 * open transaction go to SQLite and are not kept, as that transaction may still roll back.
 */
export class UnchangedReads {
  readonly #db: SqliteDatabase;
  readonly #dataVersion: Statement<[], number>;
  readonly #answers = new Map<string, unknown>();
  readonly #max: number;
  #seen: number | undefined;

  /** `max` bounds how many answers are kept; past it they are all dropped and read again. */
  constructor(db: SqliteDatabase, max = 4096) {
    this.#db = db;
    this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.#max = max;
  }

  /**
   * The kept answer under `key`, else `load()`'s, kept unless it is undefined: a miss is read
   * again each time, so that unknown names a client sends (a made-up `kid`) never push out what
   * every exchange needs. `key` must name the query and its values.
   */
  read<T>(key: string, load: () => T): T {
    if (this.#db.inTransaction) return load();
    const version = this.#dataVersion.get();
    if (version !== this.#seen) {
      this.#answers.clear();
      this.#seen = version;
    }
    if (this.#answers.has(key)) return this.#answers.get(key) as T;
    const answer = load();
    if (answer === undefined) return answer;
    if (this.#answers.size >= this.#max) this.#answers.clear();
    this.#answers.set(key, answer);
    return answer;
  }

  /** Drops every kept answer: this connection wrote (data_version counts only the others). */
  forget(): void {
    this.#answers.clear();
  }
}
