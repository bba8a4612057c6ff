/**
 * How a change stays all-or-nothing on D1, which has no interactive transactions: a port method
 * cannot read, decide in JavaScript and then write under a lock. Every state change that must be
 * atomic (a change with its audit entry, a version appended only if the caller saw the newest)
 * is therefore ONE `db.batch([...])`, which D1 runs as one transaction, one batch at a time per
 * database; any statement that fails rolls the whole batch back.
 *
 * The batch guards itself in SQL. A guard is a statement that inserts its name into the table
 * `batch_guards` when the state the batch was prepared against no longer holds (the audit head
 * has another size, the version is no longer the newest, the message no longer waits). The insert
 * always fails: a trigger per guard raises with a message naming it (migrations/0005). So a
 * failed guard writes nothing, and the error says which guard it was, from which the store gives
 * the port's answer: `audit_race` is an AuditRace (the log prepares again), `no_change` is the
 * port's "nothing changed" (false, 0). A uniqueness violation is a GatewayError `conflict`, as on
 * SQLite and PostgreSQL.
 *
 * Why a guard table rather than the alternatives: `CASE WHEN … ELSE NULL END` into a NOT NULL
 * column also aborts, but hides the guard in a column's constraint and names a column, not a
 * reason; `json('…')` aborts with "malformed JSON" whatever the guard. A guard statement states
 * its condition once, in the batch's order, and its failure names itself. Guards come before the
 * writes they protect, so they judge the state as the batch found it.
 *
 * D1 reports errors only as message text (no code property), so that text is read here and
 * nowhere else.
 */
import { AuditRace } from '../../audit/index.ts';
import { GatewayError } from '../../core/index.ts';
import type { D1Database, D1PreparedStatement, D1Result, D1Value } from './d1.ts';

/** The guards migrations/0005 declares. */
export type Guard = 'audit_race' | 'no_change';

/**
 * A statement that fails the batch, naming `guard`, unless `condition` holds. A condition that is
 * NULL (a row the condition reads is missing) counts as failed: deny by default.
 *
 * @example
 * ```ts
 * guard(db, 'no_change', '(SELECT max(version) FROM consent_versions WHERE ref_id = ?) = ?', id, 1)
 * ```
 */
export function guard(
  db: D1Database,
  name: Guard,
  condition: string,
  ...values: D1Value[]
): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO batch_guards (guard) SELECT ? WHERE (${condition}) IS NOT TRUE`)
    .bind(name, ...values);
}

/** Names what a uniqueness violation concerns, from the table whose constraint failed. */
export type ConflictName = string | ((table: string) => string);

/** Answered instead of the results when the batch's `no_change` guard failed. */
export const NO_CHANGE = Symbol('no change');

/**
 * Runs the statements as one batch. Answers their results, or {@link NO_CHANGE} when a
 * `no_change` guard failed (nothing written).
 *
 * @throws AuditRace when the `audit_race` guard failed (nothing written).
 * @throws GatewayError `conflict` naming `what` when a UNIQUE or PRIMARY KEY constraint failed.
 */
export async function runBatch(
  db: D1Database,
  statements: D1PreparedStatement[],
  what: ConflictName,
): Promise<D1Result[] | typeof NO_CHANGE> {
  try {
    return await db.batch(statements);
  } catch (error) {
    const failed = failedGuard(error);
    if (failed === 'no_change') return NO_CHANGE;
    if (failed === 'audit_race') throw new AuditRace('audit tree moved on');
    throw asConflict(error, what);
  }
}

/** Runs one statement; a uniqueness violation is a `conflict` naming `what`. */
export async function runOne(
  statement: D1PreparedStatement,
  what: ConflictName,
): Promise<D1Result> {
  try {
    return await statement.run();
  } catch (error) {
    throw asConflict(error, what);
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : '');

function failedGuard(error: unknown): Guard | undefined {
  const name = /batch guard failed: (\w+)/.exec(messageOf(error))?.[1];
  return name === 'audit_race' || name === 'no_change' ? name : undefined;
}

/**
 * The gateway's `conflict` for a uniqueness violation ("UNIQUE constraint failed: table.column"
 * covers primary keys too); any other error as it was.
 */
function asConflict(error: unknown, what: ConflictName): Error {
  const table = /UNIQUE constraint failed: (\w+)\./.exec(messageOf(error))?.[1];
  if (table === undefined) return error instanceof Error ? error : new Error(String(error));
  const name = typeof what === 'string' ? what : what(table);
  return new GatewayError('conflict', { detail: `${name} exists already` });
}
