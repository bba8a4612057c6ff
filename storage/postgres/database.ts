import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { GatewayError } from '../../core/index.ts';

export type Row = Record<string, unknown>;

/** What a query answers: its rows, and how many rows it changed (for writes). */
export interface QueryAnswer<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
}

/**
 * A pool of connections to the gateway's PostgreSQL database, and the transaction the current
 * async context runs in. A store method that writes opens {@link PgDatabase.transaction}; called
 * inside another one (a change together with its audit entry, or inside the audit log's lock on a
 * tenant's head), it joins it through a savepoint, so a refusal inside can be caught without
 * aborting the outer transaction.
 */
export interface PgDatabase {
  /** A query on this context's transaction, or on any pooled connection outside one. */
  query<R = Row>(text: string, values?: readonly unknown[]): Promise<QueryAnswer<R>>;
  /** Rows of a query, as `query(...).rows`. */
  rows<R = Row>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /** Runs `work` in one transaction (or a savepoint inside the current one); any throw undoes it. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Whether this async context is inside a transaction. */
  inTransaction(): boolean;
  close(): Promise<void>;
}

/**
 * bigint (counts, sequence numbers, sizes) as a JavaScript number, not pg's default string: every
 * such value the gateway keeps stays far below 2^53.
 */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

interface Context {
  readonly client: pg.PoolClient;
  savepoints: number;
}

/** Opens a pool on `url` (postgres://…, or a socket folder as `host` query parameter). */
export function openPgDatabase(url: string, options: { max?: number } = {}): PgDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max: options.max ?? 10,
    // A statement that waits this long for a lock is a bug or an outage; fail instead of hanging.
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 60_000,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const context = new AsyncLocalStorage<Context>();

  const query = async <R>(text: string, values?: readonly unknown[]): Promise<QueryAnswer<R>> => {
    const on = context.getStore()?.client ?? pool;
    const result = await on.query(text, values as unknown[] | undefined);
    return { rows: result.rows as R[], rowCount: result.rowCount };
  };

  async function transaction<T>(work: () => Promise<T>): Promise<T> {
    const outer = context.getStore();
    if (outer) return savepoint(outer, work);
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await context.run({ client, savepoints: 0 }, work);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  return {
    query,
    async rows<R>(text: string, values?: readonly unknown[]) {
      return (await query<R>(text, values)).rows;
    },
    transaction,
    inTransaction: () => context.getStore() !== undefined,
    close: () => pool.end(),
  };
}

async function savepoint<T>(outer: Context, work: () => Promise<T>): Promise<T> {
  const name = `sp${++outer.savepoints}`;
  await outer.client.query(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    await outer.client.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await outer.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}

/** PostgreSQL's SQLSTATE for a unique or primary key violation. */
const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION;
}

/**
 * Runs a write and turns a uniqueness violation into `conflict` naming `what`, as the ports
 * declare (the SQLite adapter's `guarded` does the same).
 */
export async function conflictAs<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new GatewayError('conflict', { detail: `${what} exists already` });
    throw error;
  }
}
