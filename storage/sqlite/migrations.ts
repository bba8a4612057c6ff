import type Database from 'better-sqlite3';

/** One forward step of the schema. Versions are consecutive integers starting at 1. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Brings the database to the newest version, each step in its own transaction together with its
 * row in `schema_migrations`, so a failed step leaves the database at the version before it.
 * A database newer than this code knows is refused: running old code on it could corrupt it.
 */
export function applyMigrations(db: Database.Database, steps: readonly Migration[]): number {
  steps.forEach((step, index) => {
    if (step.version !== index + 1) {
      throw new MigrationError(
        `migration ${step.name} has version ${step.version}, expected ${index + 1}`,
      );
    }
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const current = currentVersion(db);
  if (current > steps.length) {
    throw new MigrationError(
      `database schema is at version ${current}, newer than this gateway knows (${steps.length}); upgrade the gateway`,
    );
  }
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const step of steps.slice(current)) {
    db.transaction(() => {
      db.exec(step.sql);
      record.run(step.version, step.name, new Date().toISOString());
    }).immediate();
  }
  return currentVersion(db);
}

export function currentVersion(db: Database.Database): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as
    { version: number | null } | undefined;
  return row?.version ?? 0;
}
