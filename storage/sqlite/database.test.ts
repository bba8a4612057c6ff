import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../test/support/temp.ts';
import { inTransaction, openSqlite } from './database.ts';
import { currentVersion, MigrationError, type Migration } from './migrations.ts';
import { migrations } from './schema.ts';
import { openSqliteStorage } from './storage.ts';

const fresh = tempDirsPerTest();

const steps: Migration[] = [
  { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER) STRICT;' },
  { version: 2, name: 'two', sql: 'CREATE TABLE b (y TEXT) STRICT;' },
];

describe('openSqlite', () => {
  it('opens in WAL mode with full sync, foreign keys and secure delete', () => {
    const db = openSqlite({ file: join(fresh(), 'g.db') });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    db.close();
  });

  it('creates the data dir and the file readable by the owner only', () => {
    const dir = join(fresh(), 'nested', 'data');
    const file = join(dir, 'g.db');
    openSqlite({ file }).close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('applies every migration once and records it', () => {
    const file = join(fresh(), 'g.db');
    const db = openSqlite({ file, migrations: steps });
    expect(currentVersion(db)).toBe(2);
    const applied = db
      .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
      .all();
    expect(applied).toEqual([
      { version: 1, name: 'one' },
      { version: 2, name: 'two' },
    ]);
    db.close();
    // Reopening applies nothing again (a second CREATE TABLE would throw).
    const again = openSqlite({ file, migrations: steps });
    expect(currentVersion(again)).toBe(2);
    again.close();
  });

  it('applies only the steps a database lacks', () => {
    const file = join(fresh(), 'g.db');
    openSqlite({ file, migrations: steps.slice(0, 1) }).close();
    const db = openSqlite({ file, migrations: steps });
    expect(currentVersion(db)).toBe(2);
    db.close();
  });

  it('leaves the database at the last good version when a step fails', () => {
    const file = join(fresh(), 'g.db');
    const broken: Migration[] = [
      ...steps,
      {
        version: 3,
        name: 'broken',
        sql: 'CREATE TABLE c (z TEXT) STRICT; CREATE TABLE a (x INTEGER);',
      },
    ];
    expect(() => openSqlite({ file, migrations: broken })).toThrow(/already exists/);
    const db = new Database(file);
    expect(currentVersion(db)).toBe(2);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).not.toContain('c');
    db.close();
  });

  it('refuses a database whose schema is newer than the code', () => {
    const file = join(fresh(), 'g.db');
    openSqlite({ file, migrations: steps }).close();
    expect(() => openSqlite({ file, migrations: steps.slice(0, 1) })).toThrow(MigrationError);
    expect(() => openSqlite({ file, migrations: steps.slice(0, 1) })).toThrow(
      /newer than this gateway/,
    );
  });

  it('refuses migrations that are not numbered 1, 2, 3, …', () => {
    const file = join(fresh(), 'g.db');
    const gap: Migration[] = [
      { version: 1, name: 'one', sql: 'SELECT 1;' },
      { version: 3, name: 'three', sql: 'SELECT 1;' },
    ];
    expect(() => openSqlite({ file, migrations: gap })).toThrow(MigrationError);
  });

  it('numbers the gateway schema consecutively from 1', () => {
    expect(migrations.map((step) => step.version)).toEqual(migrations.map((_, i) => i + 1));
  });
});

describe('inTransaction', () => {
  it('commits all writes together', () => {
    const db = openSqlite({ file: join(fresh(), 'g.db'), migrations: steps });
    inTransaction(db, () => {
      db.prepare('INSERT INTO a VALUES (1)').run();
      db.prepare("INSERT INTO b VALUES ('x')").run();
    });
    expect(db.prepare('SELECT COUNT(*) FROM a').pluck().get()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM b').pluck().get()).toBe(1);
    db.close();
  });

  it('rolls back every write when the work throws half-way', () => {
    const db = openSqlite({ file: join(fresh(), 'g.db'), migrations: steps });
    expect(() =>
      inTransaction(db, () => {
        db.prepare('INSERT INTO a VALUES (1)').run();
        throw new Error('crash between two writes');
      }),
    ).toThrow('crash between two writes');
    expect(db.prepare('SELECT COUNT(*) FROM a').pluck().get()).toBe(0);
    db.close();
  });
});

describe('openSqliteStorage', () => {
  it('keeps its data in gateway.db inside the data dir and answers pings', async () => {
    const dir = fresh();
    const storage = openSqliteStorage(dir);
    expect(existsSync(join(dir, 'gateway.db'))).toBe(true);
    await expect(storage.ping()).resolves.toBeUndefined();
    storage.close();
    await expect(storage.ping()).rejects.toThrow();
  });
});

describe('the schema step that admits monitor principals', () => {
  it('keeps every principal and the certificates that name them', () => {
    const file = join(fresh(), 'g.db');
    openSqlite({ file, migrations: migrations.slice(0, 11) }).close();
    const before = new Database(file);
    before.exec(`
      INSERT INTO tenants (id, display_name, created_at) VALUES ('koeln', 'Köln', 't');
      INSERT INTO principals (tenant_id, id, kind, agency_type, display_name, created_at, address)
        VALUES ('koeln', 'abh-koeln', 'agency', 'immigration_office', 'ABH', 't', 'Ring 1');
      INSERT INTO certificates (fingerprint, tenant_id, principal_id, serial, issuer_fingerprint,
          certificate_pem, not_before, not_after, issued_by_gateway, created_at)
        VALUES ('fp', 'koeln', 'abh-koeln', '01', 'ca', 'pem', 'a', 'b', 1, 't');
    `);
    before.close();
    const db = openSqlite({ file, migrations });
    expect(currentVersion(db)).toBe(migrations.length);
    expect(db.prepare('SELECT id, address FROM principals').all()).toEqual([
      { id: 'abh-koeln', address: 'Ring 1' },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.prepare(
      "INSERT INTO principals (tenant_id, id, kind, display_name, created_at) VALUES ('koeln', 'lg', 'monitor', 'LG', 't')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO principals (tenant_id, id, kind, display_name, created_at) VALUES ('koeln', 'x', 'king', 'X', 't')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare("DELETE FROM principals WHERE id = 'abh-koeln'").run()).toThrow(
      /FOREIGN KEY/,
    );
    db.close();
  });
});
