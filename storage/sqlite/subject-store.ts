import type { WrappedKey } from '../../certs/index.ts';
import type { ConsentStore } from '../../consent/index.ts';
import { toSubject, type SubjectRow } from '../rows/subjects.ts';
import type { SqliteDatabase } from './database.ts';

/**
 * Tenant secrets and subjects: the keys behind pseudonyms and codes, and each person as a
 * pseudonym with the per-subject key that erasure shreds.
 */
export function sqliteSubjects(
  db: SqliteDatabase,
): Pick<ConsentStore, 'tenantSecret' | 'ensureSubject' | 'subject'> {
  const secret = db.prepare<[string, string], { wrapped: string }>(
    'SELECT wrapped FROM tenant_secrets WHERE tenant_id = ? AND name = ?',
  );
  const insertSecret = db.prepare(
    'INSERT OR IGNORE INTO tenant_secrets (tenant_id, name, wrapped, created_at) VALUES (?, ?, ?, ?)',
  );
  const subjectRow = db.prepare<[string, string], SubjectRow>(
    'SELECT wrapped_key, created_at FROM subjects WHERE tenant_id = ? AND pseudonym = ?',
  );
  const insertSubject = db.prepare(
    'INSERT OR IGNORE INTO subjects (tenant_id, pseudonym, wrapped_key, created_at) VALUES (?, ?, ?, ?)',
  );

  return {
    async tenantSecret(tenantId, name, create) {
      const existing = secret.get(tenantId, name);
      if (existing) return JSON.parse(existing.wrapped) as WrappedKey;
      const wrapped = await create();
      // OR IGNORE + re-read: a concurrent creator wins, and both use its secret.
      insertSecret.run(tenantId, name, JSON.stringify(wrapped), new Date().toISOString());
      return JSON.parse(secret.get(tenantId, name)?.wrapped ?? 'null') as WrappedKey;
    },
    async ensureSubject(tenantId, pseudonym, newKey, at) {
      let row = subjectRow.get(tenantId, pseudonym);
      if (!row) {
        insertSubject.run(tenantId, pseudonym, JSON.stringify(await newKey()), at);
        row = subjectRow.get(tenantId, pseudonym);
      }
      if (!row) throw new Error('subject could not be recorded');
      return toSubject(tenantId, pseudonym, row);
    },
    subject(tenantId, pseudonym) {
      const row = subjectRow.get(tenantId, pseudonym);
      return Promise.resolve(row && toSubject(tenantId, pseudonym, row));
    },
  };
}
