import type { WrappedKey } from '../../certs/index.ts';
import type { ConsentStore } from '../../consent/index.ts';
import { toSubject, type SubjectRow } from '../rows/subjects.ts';
import type { D1Database } from './d1.ts';

type SubjectPart = Pick<ConsentStore, 'tenantSecret' | 'ensureSubject' | 'subject'>;

/**
 * Tenant secrets and subjects: the keys behind pseudonyms and codes, and each person as a
 * pseudonym with the per-subject key that erasure shreds. Both are created on first use; of
 * creators racing, `INSERT OR IGNORE` lets the first win and every one answers the row that won.
 */
export function d1Subjects(db: D1Database): SubjectPart {
  const secret = async (tenantId: string, name: string) => {
    const row = await db
      .prepare('SELECT wrapped FROM tenant_secrets WHERE tenant_id = ? AND name = ?')
      .bind(tenantId, name)
      .first<{ wrapped: string }>();
    return row ? (JSON.parse(row.wrapped) as WrappedKey) : undefined;
  };
  const subjectRow = (tenantId: string, pseudonym: string) =>
    db
      .prepare('SELECT wrapped_key, created_at FROM subjects WHERE tenant_id = ? AND pseudonym = ?')
      .bind(tenantId, pseudonym)
      .first<SubjectRow>();

  return {
    async tenantSecret(tenantId, name, create) {
      const existing = await secret(tenantId, name);
      if (existing) return existing;
      const wrapped = await create();
      await db
        .prepare(
          `INSERT OR IGNORE INTO tenant_secrets (tenant_id, name, wrapped, created_at)
           VALUES (?, ?, ?, ?)`,
        )
        .bind(tenantId, name, JSON.stringify(wrapped), new Date().toISOString())
        .run();
      const kept = await secret(tenantId, name);
      if (!kept) throw new Error('tenant secret could not be recorded');
      return kept;
    },
    async ensureSubject(tenantId, pseudonym, newKey, at) {
      let row = await subjectRow(tenantId, pseudonym);
      if (!row) {
        const wrapped = JSON.stringify(await newKey());
        await db
          .prepare(
            `INSERT OR IGNORE INTO subjects (tenant_id, pseudonym, wrapped_key, created_at)
             VALUES (?, ?, ?, ?)`,
          )
          .bind(tenantId, pseudonym, wrapped, at)
          .run();
        row = await subjectRow(tenantId, pseudonym);
      }
      if (!row) throw new Error('subject could not be recorded');
      return toSubject(tenantId, pseudonym, row);
    },
    async subject(tenantId, pseudonym) {
      const row = await subjectRow(tenantId, pseudonym);
      return row ? toSubject(tenantId, pseudonym, row) : undefined;
    },
  };
}
