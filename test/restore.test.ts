import Database from 'better-sqlite3';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_FILE, lockDataDir } from '../gateway/data-dir-lock.ts';
import { cliInProcess as cli } from './support/cli.ts';
import { randomMasterKeyHex } from './support/pki.ts';
import { tempDirsPerTest } from './support/temp.ts';

/*
 * `backup` and `restore` refusing: each refusal is one line, exit 1, and leaves the target file or
 * data dir without a database. (test/backup.test.ts takes a backup under load, restores it and
 * checks what the restored gateway serves.)
 */

const MASTER_KEY = randomMasterKeyHex();
const withKey = { GATEWAY_MASTER_KEY: MASTER_KEY };
const fresh = tempDirsPerTest();

/** A data dir with one tenant, and a backup of it, in a fresh work dir. */
async function backedUp(): Promise<{ data: string; file: string; work: string }> {
  const work = fresh();
  const data = join(work, 'data');
  const made = await cli(['--data', data, 'init', '--tenant', 'koeln'], withKey);
  expect(made.code, made.stderr).toBe(0);
  const file = join(work, 'koeln.backup');
  const backup = await cli(['--data', data, 'backup', '--out', file]);
  expect(backup.code, backup.stderr).toBe(0);
  return { data, file, work };
}

const oneLine = (text: string): void => {
  expect(text.trimEnd().split('\n')).toHaveLength(1);
};

/** Nothing in `dir` but the lock the restore held: no database, no staged copy. */
const leftEmpty = (dir: string): void => {
  expect(readdirSync(dir).filter((name) => name !== DATA_DIR_LOCK_FILE)).toEqual([]);
};

/** A copy of `file` with the first byte of the root page of `name` (its b-tree page type) broken. */
function withBrokenPage(file: string, name: string, out: string): void {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const rootPage = db
    .prepare('SELECT rootpage FROM sqlite_master WHERE name = ?')
    .pluck()
    .get(name) as number;
  db.close();
  expect(rootPage).toBeGreaterThan(1);
  const bytes = readFileSync(file);
  // Page 1 starts with the 100-byte file header; every other page with its b-tree header.
  bytes[(rootPage - 1) * pageSize] = 0xff;
  writeFileSync(out, bytes);
}

describe('restore refuses', () => {
  it('to go into a data dir that holds a gateway database', async () => {
    const { data, file } = await backedUp();
    const before = readFileSync(join(data, 'gateway.db'));
    const result = await cli(['--data', data, 'restore', file], withKey);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/restore refused: .* already holds a gateway database/);
    oneLine(result.stderr);
    expect(readFileSync(join(data, 'gateway.db')).equals(before)).toBe(true);
  });

  it('to go into a data dir a gateway serves', async () => {
    const { file, work } = await backedUp();
    const target = join(work, 'served');
    const lock = lockDataDir(target);
    try {
      const result = await cli(['--data', target, 'restore', file], withKey);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/restore refused: a gateway is serving .*served/);
      oneLine(result.stderr);
    } finally {
      lock.release();
    }
    expect(existsSync(join(target, 'gateway.db'))).toBe(false);
  });

  it('a file that is not a gateway database, or one newer than this gateway', async () => {
    const work = fresh();
    const target = join(work, 'target');
    const text = join(work, 'notes.txt');
    writeFileSync(text, 'not a database at all');
    const foreign = join(work, 'other.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE things (id INTEGER)');
    other.close();
    const { file } = await backedUp();
    const newer = join(work, 'newer.backup');
    copyFileSync(file, newer);
    const db = new Database(newer);
    db.prepare("INSERT INTO schema_migrations VALUES (9999, 'future', '2099-01-01')").run();
    db.close();
    const cases: [string, RegExp][] = [
      [text, /not a SQLite database/],
      [foreign, /not a gateway database \(no schema_migrations\)/],
      [newer, /schema version 9999, newer than this gateway knows/],
      [join(work, 'missing'), /is not a file/],
    ];
    for (const [input, reason] of cases) {
      const result = await cli(['--data', target, 'restore', input], withKey);
      expect(result.code, input).toBe(1);
      expect(result.stderr).toMatch(/^consent-gateway: restore refused: /);
      expect(result.stderr).toMatch(reason);
      oneLine(result.stderr);
      expect(existsSync(join(target, 'gateway.db'))).toBe(false);
    }
  });

  it('without the master key, or with one that does not open the keys', async () => {
    const { file, work } = await backedUp();
    const target = join(work, 'target');
    const none = await cli(['--data', target, 'restore', file]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/restore refused: the master key is not in the backup/);
    oneLine(none.stderr);
    const wrong = await cli(['--data', target, 'restore', file], {
      GATEWAY_MASTER_KEY: randomMasterKeyHex(),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/restore refused: the master key does not open/);
    oneLine(wrong.stderr);
    expect(existsSync(join(target, 'gateway.db'))).toBe(false);

    // The right key as a file the operator put into the empty dir: the restore goes through.
    mkdirSync(target, { recursive: true, mode: 0o700 });
    writeFileSync(join(target, 'master.key'), `${MASTER_KEY}\n`, { mode: 0o600 });
    const right = await cli(['--data', target, 'restore', file]);
    expect(right.code, right.stderr).toBe(0);
    expect(right.stdout).toMatch(/koeln \(audit tree size \d+\).*integrity ok/);
    expect(right.stdout).toContain('master.key opens the restored keys');
  });

  it('a backup damaged after it was taken, in one line, and leaves the data dir empty', async () => {
    const { file, work } = await backedUp();
    const target = join(work, 'target');
    const attempt = async (input: string) => {
      const result = await cli(['--data', target, 'restore', input], withKey);
      expect(result.code, result.stdout).toBe(1);
      expect(result.stdout).toBe('');
      oneLine(result.stderr);
      leftEmpty(target);
      return result.stderr;
    };
    // A broken index: the data reads, PRAGMA integrity_check names the tree.
    const index = join(work, 'index.backup');
    withBrokenPage(file, 'audit_entries_by_time', index);
    expect(await attempt(index)).toMatch(
      /^consent-gateway: restore refused: integrity check failed: .*Tree \d+ page \d+/,
    );
    // A broken table: SQLite stops at the page before the check can list it.
    const table = join(work, 'table.backup');
    withBrokenPage(file, 'audit_entries', table);
    expect(await attempt(table)).toBe(
      `consent-gateway: restore refused: ${table} is damaged (database disk image is malformed); nothing was restored\n`,
    );
    // Cut off in the middle, as a copy that did not finish.
    const cut = join(work, 'cut.backup');
    copyFileSync(file, cut);
    truncateSync(cut, Math.floor(statSync(file).size / 2));
    expect(await attempt(cut)).toMatch(/^consent-gateway: restore refused: /);

    // The intact backup still restores into that same dir.
    const intact = await cli(['--data', target, 'restore', file], withKey);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toContain('integrity ok');
  });

  it('nothing when the master key comes from GATEWAY_MASTER_KEY_FILE', async () => {
    const { file, work } = await backedUp();
    const credential = join(work, 'credential');
    writeFileSync(credential, `${MASTER_KEY}\n`, { mode: 0o600 });
    const target = join(work, 'target');
    const result = await cli(['--data', target, 'restore', file], {
      GATEWAY_MASTER_KEY_FILE: credential,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('GATEWAY_MASTER_KEY_FILE opens the restored keys');
    expect(existsSync(join(target, 'master.key'))).toBe(false);
  });
});

describe('backup refuses', () => {
  it('to overwrite an existing file', async () => {
    const { data, work } = await backedUp();
    const out = join(work, 'taken');
    writeFileSync(out, 'keep me');
    const result = await cli(['--data', data, 'backup', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^consent-gateway: backup refused: .*taken exists/);
    oneLine(result.stderr);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
  });

  it('on PostgreSQL, pointing to pg_dump', async () => {
    const { data, file, work } = await backedUp();
    const pg = { GATEWAY_DATABASE_URL: 'postgres://gateway@localhost/gateway', ...withKey };
    const out = join(work, 'pg.backup');
    const backup = await cli(['--data', data, 'backup', '--out', out], pg);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toMatch(/^consent-gateway: backup refused: .*pg_dump/);
    oneLine(backup.stderr);
    expect(existsSync(out)).toBe(false);
    const restore = await cli(['--data', join(work, 'target'), 'restore', file], pg);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/restore refused: .*pg_restore/);
    oneLine(restore.stderr);
  });
});
