import { afterAll, beforeAll } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../test/support/postgres.ts';
import { describeStorageConformance } from '../conformance/index.ts';
import { openPostgresStorage, type PostgresStorage } from './storage.ts';

/*
 * The storage contract against a real PostgreSQL server: a throwaway cluster (initdb, pg_ctl) in
 * a temp dir. One migrated database; before each test every table but the migration record is
 * emptied, which is much quicker than a database per test.
 */
let server: TestPostgres;
let storage: PostgresStorage;
/** A second pool on the same database, as a second gateway instance has. */
let other: PostgresStorage;

beforeAll(async () => {
  server = await startTestPostgres();
  const url = await server.createDatabase('conformance');
  storage = await openPostgresStorage(url);
  other = await openPostgresStorage(url);
}, 120_000);
afterAll(async () => {
  await other.close();
  await storage.close();
  server.stop();
});

describeStorageConformance('postgres', async () => {
  const tables = await storage.db.rows<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables
     WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
  );
  await storage.db.query(`TRUNCATE ${tables.map((t) => t.name).join(', ')} CASCADE`);
  return { storage, other, close: () => Promise.resolve() };
});
