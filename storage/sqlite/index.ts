export { openSqliteStorage, DATABASE_FILE } from './storage.ts';
export type { SqliteStorage } from './storage.ts';
export { openSqlite, inTransaction } from './database.ts';
export type { SqliteDatabase, OpenOptions } from './database.ts';
export { applyMigrations, currentVersion, MigrationError } from './migrations.ts';
export type { Migration } from './migrations.ts';
export { backupDatabase, restoreDatabase, BackupRefusal } from './backup.ts';
export type { BackupRefusalCode, BackupSummary, RestoreSummary } from './backup.ts';
