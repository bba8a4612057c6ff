import type { PgDatabase } from './database.ts';

/** One forward step of the schema. Versions are consecutive integers starting at 1. */
export interface PgMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export class PgMigrationError extends Error {
  override readonly name = 'PgMigrationError';
}

/**
 * A fixed key for the advisory lock that serialises migrations: instances started together take
 * turns, and each after the first finds nothing left to do.
 */
const MIGRATION_LOCK = 7_254_001;

/**
 * Brings the database to the newest version. All pending steps run in one transaction holding a
 * transaction-scoped advisory lock, together with their rows in `schema_migrations`, so several
 * instances starting at once apply each step exactly once, and a failed step leaves the database
 * as it was. A database newer than this code knows is refused.
 */
export async function applyPgMigrations(
  db: PgDatabase,
  steps: readonly PgMigration[],
): Promise<number> {
  steps.forEach((step, index) => {
    if (step.version !== index + 1)
      throw new PgMigrationError(
        `migration ${step.name} has version ${step.version}, expected ${index + 1}`,
      );
  });
  return db.transaction(async () => {
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const [row] = await db.rows<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    const current = row?.version ?? 0;
    if (current > steps.length)
      throw new PgMigrationError(
        `database schema is at version ${current}, newer than this gateway knows (${steps.length}); upgrade the gateway`,
      );
    for (const step of steps.slice(current)) {
      await db.query(step.sql);
      await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        step.version,
        step.name,
      ]);
    }
    return steps.length;
  });
}
