import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../test/support/temp.ts';
import { SERVER_CHECKPOINT_FRAMES, startCheckpointer } from './checkpointer.ts';
import { openSqlite } from './database.ts';
import { DATABASE_FILE, openSqliteStorage } from './storage.ts';

const fresh = tempDirsPerTest();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `read()` once it gives `wanted`, or its last answer after 10 s: the thread works on its own time. */
async function settled<T>(read: () => T, wanted: T): Promise<T> {
  let answer = read();
  for (let waited = 0; answer !== wanted && waited < 10_000; waited += 50) {
    await sleep(50);
    answer = read();
  }
  return answer;
}

/** Rows in a copy of the database file alone: what has been checkpointed out of the WAL. */
function checkpointedRows(dir: string): number {
  const copy = join(fresh(), 'copy.db');
  copyFileSync(join(dir, DATABASE_FILE), copy);
  const db = new Database(copy, { readonly: true });
  try {
    const exists = db
      .prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'probe'")
      .pluck()
      .get() as number;
    return exists === 0 ? 0 : (db.prepare('SELECT COUNT(*) FROM probe').pluck().get() as number);
  } finally {
    db.close();
  }
}

describe('checkpoints of a server', () => {
  it('leaves its own connection a backstop and the CLI SQLite default', () => {
    const dir = fresh();
    const server = openSqliteStorage(dir, { durability: 'grouped' });
    const cli = openSqliteStorage(dir);
    try {
      expect(server.db.pragma('wal_autocheckpoint', { simple: true })).toBe(
        SERVER_CHECKPOINT_FRAMES,
      );
      expect(cli.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      cli.close();
      server.close();
    }
  });

  it('copies what the server committed into the database file from a thread of its own', async () => {
    const dir = fresh();
    const server = openSqliteStorage(dir, { durability: 'grouped' });
    try {
      server.db.exec('CREATE TABLE probe (x INTEGER) STRICT');
      const insert = server.db.prepare('INSERT INTO probe (x) VALUES (?)');
      // Far fewer frames than the backstop: the server's connection never checkpoints here.
      for (let i = 0; i < 500; i++) insert.run(i);
      expect(await settled(() => checkpointedRows(dir), 500)).toBe(500);
    } finally {
      server.close();
    }
  });

  it('gives the checkpoints back to the server connection at 1000 frames when its thread dies', async () => {
    const db = openSqlite({ file: join(fresh(), 'g.db'), durability: 'grouped', migrations: [] });
    try {
      // A file the thread cannot open: it fails at its start, as a thread that dies would.
      startCheckpointer(db, join(fresh(), 'missing', 'nowhere', 'g.db'));
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(SERVER_CHECKPOINT_FRAMES);
      const frames = () => db.pragma('wal_autocheckpoint', { simple: true }) as number;
      expect(await settled(frames, 1000)).toBe(1000);
    } finally {
      db.close();
    }
  });

  it('starts no thread for the CLI, which checkpoints itself at 1000 frames as before', async () => {
    const dir = fresh();
    const cli = openSqliteStorage(dir);
    try {
      cli.db.exec('CREATE TABLE probe (x INTEGER) STRICT');
      const insert = cli.db.prepare('INSERT INTO probe (x) VALUES (?)');
      for (let i = 0; i < 500; i++) insert.run(i);
      await sleep(500);
      expect(checkpointedRows(dir)).toBe(0);
    } finally {
      cli.close();
    }
  });
});
