import type { WrappedKey } from '../../certs/index.ts';
import type { ConsentStore } from '../../consent/index.ts';
import { toSubject, type SubjectRow } from '../rows/subjects.ts';
import type { PgDatabase } from './database.ts';

type SubjectPart = Pick<ConsentStore, 'tenantSecret' | 'ensureSubject' | 'subject'>;

/**
 * Tenant secrets and subjects: the keys behind pseudonyms and codes, and each person as a
 * pseudonym with the per-subject key that erasure shreds. Both are created on first use; of
 * creators racing on several instances, `ON CONFLICT DO NOTHING` lets the first insert win (the
 * others wait for it on the primary key) and every one answers the row that won.
 */
export function pgSubjects(db: PgDatabase): SubjectPart {
  const secret = async (tenantId: string, name: string) => {
    const [row] = await db.rows<{ wrapped: string }>(
      'SELECT wrapped FROM tenant_secrets WHERE tenant_id = $1 AND name = $2',
      [tenantId, name],
    );
    return row && (JSON.parse(row.wrapped) as WrappedKey);
  };
  const subjectRow = async (tenantId: string, pseudonym: string) => {
    const [row] = await db.rows<SubjectRow>(
      'SELECT wrapped_key, created_at FROM subjects WHERE tenant_id = $1 AND pseudonym = $2',
      [tenantId, pseudonym],
    );
    return row;
  };

  return {
    async tenantSecret(tenantId, name, create) {
      const existing = await secret(tenantId, name);
      if (existing) return existing;
      const wrapped = await create();
      await db.query(
        `INSERT INTO tenant_secrets (tenant_id, name, wrapped, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, name) DO NOTHING`,
        [tenantId, name, JSON.stringify(wrapped), new Date().toISOString()],
      );
      const kept = await secret(tenantId, name);
      if (!kept) throw new Error('tenant secret could not be recorded');
      return kept;
    },
    async ensureSubject(tenantId, pseudonym, newKey, at) {
      let row = await subjectRow(tenantId, pseudonym);
      if (!row) {
        const wrapped = JSON.stringify(await newKey());
        await db.query(
          `INSERT INTO subjects (tenant_id, pseudonym, wrapped_key, created_at)
           VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, pseudonym) DO NOTHING`,
          [tenantId, pseudonym, wrapped, at],
        );
        row = await subjectRow(tenantId, pseudonym);
      }
      if (!row) throw new Error('subject could not be recorded');
      return toSubject(tenantId, pseudonym, row);
    },
    async subject(tenantId, pseudonym) {
      const row = await subjectRow(tenantId, pseudonym);
      return row && toSubject(tenantId, pseudonym, row);
    },
  };
}
