import type { WrappedKey } from '../../certs/index.ts';
import type { SubjectRecord } from '../../consent/index.ts';

/** A `subjects` row as SQLite, PostgreSQL and D1 all hold it: the wrapped key as JSON text. */
export interface SubjectRow {
  wrapped_key: string;
  created_at: string;
}

export const toSubject = (tenantId: string, pseudonym: string, row: SubjectRow): SubjectRecord => ({
  tenantId,
  pseudonym,
  wrappedKey: JSON.parse(row.wrapped_key) as WrappedKey,
  createdAt: row.created_at,
});
