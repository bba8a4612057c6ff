import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp.ts';
import { openSqlite, type SqliteDatabase } from './database.ts';
import { UnchangedReads } from './unchanged-reads.ts';

let dir: ReturnType<typeof tempDir>;
let db: SqliteDatabase;
let other: SqliteDatabase;

beforeEach(() => {
  dir = tempDir();
  const file = `${dir.path}/gateway.db`;
  db = openSqlite({ file, durability: 'grouped' });
  // A second connection on the same file, as the CLI beside a running server.
  other = openSqlite({ file });
});
afterEach(() => {
  other.close();
  db.close();
  dir.remove();
});

/** Reads the tenants' names through `reads`, counting how often SQLite was asked. */
function names(reads: UnchangedReads) {
  let loads = 0;
  const statement = db.prepare<[], string>('SELECT id FROM tenants ORDER BY id').pluck();
  return {
    read: () =>
      reads.read('tenants', () => {
        loads++;
        return statement.all();
      }),
    loads: () => loads,
  };
}

const addTenant = (on: SqliteDatabase, id: string) =>
  on
    .prepare('INSERT INTO tenants (id, display_name, created_at) VALUES (?, ?, ?)')
    .run(id, id, '2026-12-05T10:00:00Z');

describe('UnchangedReads', () => {
  it('answers again from memory while nothing was committed', () => {
    const tenants = names(new UnchangedReads(db));
    addTenant(db, 'koeln');
    expect(tenants.read()).toEqual(['koeln']);
    expect(tenants.read()).toEqual(['koeln']);
    expect(tenants.loads()).toBe(1);
  });

  it('reads again once another connection committed', () => {
    const tenants = names(new UnchangedReads(db));
    expect(tenants.read()).toEqual([]);
    addTenant(other, 'dortmund');
    expect(tenants.read()).toEqual(['dortmund']);
    expect(tenants.loads()).toBe(2);
  });

  it('reads again after forget, which this connection calls when it wrote', () => {
    const reads = new UnchangedReads(db);
    const tenants = names(reads);
    expect(tenants.read()).toEqual([]);
    addTenant(db, 'koeln');
    // data_version counts only the other connections: without forget the old answer stays.
    expect(tenants.read()).toEqual([]);
    reads.forget();
    expect(tenants.read()).toEqual(['koeln']);
  });

  it('keeps nothing read inside a transaction, which may still roll back', () => {
    const tenants = names(new UnchangedReads(db));
    expect(() =>
      db.transaction(() => {
        addTenant(db, 'koeln');
        expect(tenants.read()).toEqual(['koeln']);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(tenants.read()).toEqual([]);
    expect(tenants.loads()).toBe(2);
  });

  it('keeps no miss, so made-up names never push out the answers kept', () => {
    const reads = new UnchangedReads(db, 2);
    let loads = 0;
    const read = (key: string, answer: string | undefined) =>
      reads.read(key, () => {
        loads++;
        return answer;
      });
    read('known', 'row');
    for (let i = 0; i < 10; i++) read(`made-up-${String(i)}`, undefined);
    read('made-up-0', undefined);
    expect(loads).toBe(12);
    expect(read('known', 'row')).toBe('row');
    expect(loads).toBe(12);
  });

  it('keeps at most max answers', () => {
    const reads = new UnchangedReads(db, 2);
    let loads = 0;
    const read = (key: string) =>
      reads.read(key, () => {
        loads++;
        return key;
      });
    for (const key of ['a', 'b', 'c', 'a']) read(key);
    // The third answer dropped the first two, so 'a' was read from SQLite again.
    expect(loads).toBe(4);
    read('a');
    expect(loads).toBe(4);
  });
});
