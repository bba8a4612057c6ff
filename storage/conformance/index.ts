import { describe } from 'vitest';
import { describeAudit } from './audit.ts';
import { describeConsentDecisions } from './consent.ts';
import { describeConsentQueries } from './consent-queries.ts';
import { describeExchangeWrites } from './exchange.ts';
import { describeExchangeQueries } from './exchange-queries.ts';
import { describeInstances } from './instances.ts';
import { describePki } from './pki.ts';
import { describeSessions } from './sessions.ts';
import { describeSubjects } from './subjects.ts';
import { describeTenants } from './tenants.ts';
import { conformanceWorld, type OpenStorage } from './world.ts';

export type { Storage, OpenStorage } from './world.ts';

/**
 * States every storage port's contract as tests, through the ports alone (no SQL), so each
 * backend proves it keeps the promises the domain relies on: a state change lands with its audit
 * entry or not at all, optimistic versions let one of racing writers win, a uniqueness violation
 * is a `conflict`, cursors page without gaps or repeats, nothing is found across tenants, the
 * background jobs' queries answer what is due, and erasure removes what it promises.
 *
 * `open` is called before every test and must answer empty storage (schema in place, no
 * tenants); `close` is called after it. Racing writes are started together on the one storage
 * `open` answered: an adapter over a connection pool runs them truly in parallel, the SQLite one
 * one after another; where `open` also answers a second connection, writes race across both. The suite imports only vitest and the domain modules, so it runs on Node and
 * inside workerd alike.
 *
 * @example
 * ```ts
 * describeStorageConformance('sqlite', async () => {
 *   const dir = tempDir();
 *   const storage = openSqliteStorage(dir.path);
 *   return { storage, close: async () => { storage.close(); dir.remove(); } };
 * });
 * ```
 */
export function describeStorageConformance(name: string, open: OpenStorage): void {
  describe(`${name} storage conformance`, () => {
    const world = conformanceWorld(open);
    describeTenants(world);
    describePki(world);
    describeConsentDecisions(world);
    describeConsentQueries(world);
    describeSubjects(world);
    describeSessions(world);
    describeAudit(world);
    describeExchangeWrites(world);
    describeExchangeQueries(world);
    describeInstances(world);
  });
}
