import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { describeStorageConformance } from '../conformance/index.ts';
import { DATABASE_FILE, openSqliteStorage } from './storage.ts';

/**
 * Every test gets its own database file. Migrating one takes ~10 ms and each commit waits for
 * fsync (synchronous=FULL), so the files live on tmpfs where there is one, and each is a copy of
 * one migrated template.
 */
const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
let template: string;

beforeAll(() => {
  template = mkdtempSync(join(base, 'cgw-conformance-'));
  openSqliteStorage(template).close();
});
afterAll(() => {
  rmSync(template, { recursive: true, force: true });
});

describeStorageConformance('sqlite', () => {
  const dir = mkdtempSync(join(base, 'cgw-conformance-'));
  copyFileSync(join(template, DATABASE_FILE), join(dir, DATABASE_FILE));
  const storage = openSqliteStorage(dir);
  // A second connection to the same file, as the CLI has beside the running gateway.
  const other = openSqliteStorage(dir);
  return Promise.resolve({
    storage,
    other,
    close: () => {
      other.close();
      storage.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
