import { fstatSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../test/support/temp.ts';
import { openSqlite } from './database.ts';
import { GroupCommit } from './group-commit.ts';
import { openSqliteStorage } from './storage.ts';

const fresh = tempDirsPerTest();

/** A database in grouped mode and a flush that records what it was handed, then syncs nothing. */
function grouped(options: { failFirst?: boolean } = {}) {
  const file = join(fresh(), 'g.db');
  const db = openSqlite({ file, durability: 'grouped', migrations: [] });
  db.exec('CREATE TABLE t (x INTEGER) STRICT');
  const flushed: number[] = [];
  let fail = options.failFirst === true;
  const group = new GroupCommit(db, file, (fd) => {
    flushed.push(fstatSync(fd).size);
    if (fail) {
      fail = false;
      return Promise.reject(new Error('EIO'));
    }
    return new Promise((resolve) => setTimeout(resolve, 5));
  });
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  return { db, group, flushed, insert: (x: number) => insert.run(x) };
}

describe('group commit', () => {
  it('opens the server with synchronous=NORMAL and the CLI with FULL', () => {
    const dir = fresh();
    const server = openSqliteStorage(dir, { durability: 'grouped' });
    expect(server.db.pragma('synchronous', { simple: true })).toBe(1);
    const cli = openSqliteStorage(dir);
    expect(cli.db.pragma('synchronous', { simple: true })).toBe(2);
    cli.close();
    server.close();
  });

  it('flushes nothing when nothing was committed since the last flush', async () => {
    const { group, flushed, insert } = grouped();
    await group.durable();
    expect(flushed).toHaveLength(0);
    insert(1);
    await group.durable();
    await group.durable();
    expect(flushed).toHaveLength(1);
  });

  it('flushes the WAL holding the commit, once for everyone who waits at the same time', async () => {
    const { group, flushed, insert } = grouped();
    for (let i = 0; i < 20; i++) insert(i);
    await Promise.all(Array.from({ length: 20 }, () => group.durable()));
    expect(flushed).toHaveLength(1);
    // The descriptor is the WAL's, which holds the 20 commits' frames.
    expect(flushed[0]).toBeGreaterThan(0);
  });

  it('flushes again for a commit made while a flush was under way', async () => {
    const { group, flushed, insert } = grouped();
    insert(1);
    const first = group.durable();
    insert(2);
    const second = group.durable();
    await Promise.all([first, second]);
    expect(flushed).toHaveLength(2);
  });

  it('rejects when the flush fails, and flushes again on the next call', async () => {
    const { group, flushed, insert } = grouped({ failFirst: true });
    insert(1);
    await expect(group.durable()).rejects.toThrow('EIO');
    await group.durable();
    expect(flushed).toHaveLength(2);
  });

  it('flushes the real WAL file with fdatasync', async () => {
    const dir = fresh();
    const storage = openSqliteStorage(dir, { durability: 'grouped' });
    storage.db.exec('CREATE TABLE t (x INTEGER) STRICT; INSERT INTO t VALUES (1)');
    await expect(storage.durable()).resolves.toBeUndefined();
    storage.close();
  });
});
