import type { ConsentRecord, ConsentRequestRecord, NextVersion } from '../../consent/index.ts';
import {
  CONSENT_COLUMNS,
  consentValues,
  REQUEST_COLUMNS,
  requestValues,
  VERSION_COLUMNS,
  versionValues,
} from '../rows/consent.ts';
import type { PgDatabase } from './database.ts';

/**
 * The class key (two-key form of `pg_advisory_xact_lock`) of the lock that orders a tenant's
 * consent versions. `consent_versions.seq` is the cursor of the agencies' event feed; drawn
 * without it, a version could commit after one with a higher seq that a reader has already
 * passed, and be missed for good. Under the lock, held to the end of the transaction, a tenant's
 * seqs commit in the order they were drawn. Under the audit log (`sequenced`), the tenant's audit
 * head is locked before this one, always in that order.
 */
const VERSION_ORDER_LOCK = 7_254_003;

/** Takes the lock that orders the tenant's consent versions, until the transaction ends. */
export async function lockVersionOrder(db: PgDatabase, tenantId: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [
    VERSION_ORDER_LOCK,
    tenantId,
  ]);
}

/**
 * The tenant of the request or consent with this id, with the lock on the order of that tenant's
 * versions taken; undefined (and no lock) if there is none.
 */
export async function lockTenantOf(
  db: PgDatabase,
  table: 'consent_requests' | 'consents',
  id: string,
): Promise<string | undefined> {
  // The table name is one of two constants, never a value from outside.
  const [row] = await db.rows<{ tenant_id: string }>(
    `SELECT tenant_id, pg_advisory_xact_lock($1::int, hashtext(tenant_id))::text AS locked
     FROM ${table} WHERE id = $2`,
    [VERSION_ORDER_LOCK, id],
  );
  return row?.tenant_id;
}

/** Records the first version of a new request or consent. Call it under {@link lockVersionOrder}. */
export async function insertFirstVersion(
  db: PgDatabase,
  tenantId: string,
  kind: 'request' | 'consent',
  refId: string,
  next: NextVersion<string>,
): Promise<void> {
  await db.query(
    `INSERT INTO consent_versions (${VERSION_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    versionValues(tenantId, kind, refId, 1, next),
  );
}

/**
 * Appends version `expectedVersion + 1` if `expectedVersion` is the newest, in one statement:
 * of writers racing on the same version, the unique (ref_id, version) lets one insert and the
 * others find the conflict (after waiting for the first to commit) and insert nothing.
 */
export async function appendIfCurrent(
  db: PgDatabase,
  tenantId: string,
  kind: 'request' | 'consent',
  refId: string,
  expectedVersion: number,
  next: NextVersion<string>,
): Promise<boolean> {
  const inserted = await db.query(
    `INSERT INTO consent_versions (${VERSION_COLUMNS})
     SELECT $1::text, $2::text, $3::text, $4::int + 1, $5::text, $6::text, $7::text, $8::text,
       $9::text
     WHERE (SELECT max(version) FROM consent_versions WHERE tenant_id = $1 AND ref_id = $3) = $4
     ON CONFLICT (ref_id, version) DO NOTHING
     RETURNING seq`,
    versionValues(tenantId, kind, refId, expectedVersion, next),
  );
  return inserted.rowCount === 1;
}

/** Records which agencies a request or consent concerns (each once). */
export async function insertParties(
  db: PgDatabase,
  tenantId: string,
  refId: string,
  parties: readonly string[],
): Promise<void> {
  await db.query(
    `INSERT INTO consent_parties (tenant_id, ref_id, agency_id)
     SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
    [tenantId, refId, parties],
  );
}

export async function insertRequest(db: PgDatabase, r: ConsentRequestRecord): Promise<void> {
  await db.query(
    `INSERT INTO consent_requests (${REQUEST_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    requestValues(r, r),
  );
}

export async function insertConsent(db: PgDatabase, c: ConsentRecord): Promise<void> {
  await db.query(
    `INSERT INTO consents (${CONSENT_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
       $19)`,
    consentValues(c, c),
  );
}
