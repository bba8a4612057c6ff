import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp.ts';
import { sqliteConsentStore } from './consent-store.ts';
import { openSqlite, type SqliteDatabase } from './database.ts';
import { sqliteExchangeStore } from './exchange-store.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
});

/** A database whose statements remember the SQL and parameters of every `all` they answer. */
function recordingDatabase(): { db: SqliteDatabase; queried: Map<string, unknown[]> } {
  const dir = tempDir();
  const db = openSqlite({ file: join(dir.path, 'g.db') });
  cleanup.push(() => {
    db.close();
    dir.remove();
  });
  const queried = new Map<string, unknown[]>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const all = statement.all.bind(statement);
    statement.all = (...params: unknown[]) => {
      queried.set(sql, params);
      return all(...params);
    };
    return statement;
  }) as typeof db.prepare;
  return { db, queried };
}

/** SQLite's plan of `sql`, one line per step. */
const planOf = (db: SqliteDatabase, sql: string, params: unknown[]) =>
  db
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((step) => step.detail);

const NOW = '2026-12-04T00:00:00.000Z';

describe('the sweep reads along indexes (SQLite query plans)', () => {
  it.each([
    ['dueForExpiry', ['consents_by_end', 'consent_requests_by_code_end']],
    ['dueForPurge', ['mailbox_waiting_by_retention']],
    ['waitingAfterConsentEnded', ['mailbox_waiting_by_arrival']],
  ] as const)('%s searches %j and scans no table, nor sorts', async (query, indexes) => {
    const { db, queried } = recordingDatabase();
    const consents = sqliteConsentStore(db);
    const exchanges = sqliteExchangeStore(db);
    queried.clear();
    if (query === 'dueForExpiry') await consents.dueForExpiry(NOW, 100);
    else await exchanges[query](NOW, 100);

    const plans = [...queried].map(([sql, params]) => planOf(db, sql, params).join('\n'));
    expect(plans).toHaveLength(indexes.length);
    for (const index of indexes) {
      expect(plans.some((plan) => plan.includes(`USING INDEX ${index} (`))).toBe(true);
    }
    for (const plan of plans) {
      expect(plan).not.toMatch(/^SCAN /m);
      expect(plan).not.toContain('TEMP B-TREE');
    }
  });
});
