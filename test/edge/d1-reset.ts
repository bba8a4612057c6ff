import type { D1Database } from '../../storage/d1/index.ts';

/**
 * Empties every table the migrations made, in one batch, keeping the schema: ~3 ms, against
 * ~20 ms to drop everything and migrate again. The append-only triggers of the audit log refuse
 * any DELETE, so they are dropped for the batch and created again from their own SQL as stored.
 * Foreign keys are checked at the end of the batch, so the order of the deletes does not matter.
 */
export async function emptyD1(db: D1Database): Promise<void> {
  const { results } = await db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master
       WHERE (type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'
         AND name <> 'd1_migrations')
         OR (type = 'trigger' AND sql LIKE '%BEFORE DELETE%')`,
    )
    .all<{ type: 'table' | 'trigger'; name: string; sql: string }>();
  const tables = results.filter((r) => r.type === 'table').map((r) => r.name);
  const triggers = results.filter((r) => r.type === 'trigger');
  await db.batch([
    db.prepare('PRAGMA defer_foreign_keys = on'),
    ...triggers.map((t) => db.prepare(`DROP TRIGGER "${t.name}"`)),
    ...tables.map((name) => db.prepare(`DELETE FROM "${name}"`)),
    ...triggers.map((t) => db.prepare(t.sql)),
  ]);
}
