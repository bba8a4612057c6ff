import {
  AuditRace,
  packFrontier,
  type AuditEntry,
  type AuditStore,
  type PreparedAppend,
} from '../../audit/index.ts';
import { AUDIT_ENTRY_COLUMNS, auditEntryValues, storedHead, type HeadRow } from '../rows/audit.ts';
import type { PgDatabase } from './database.ts';

/**
 * Writes a prepared audit entry, the tree nodes it completes and the new head size. Call it inside
 * the transaction of the change the entry records, so both land or neither does. Throws AuditRace
 * if the tree grew since the entry was prepared; under {@link AuditStore.sequenced} (how the log
 * appends here) the head is locked and checked before, so that cannot happen.
 */
export async function commitPgAuditEntry(db: PgDatabase, prepared: PreparedAppend): Promise<void> {
  await db.transaction(async () => {
    const size = await lockedHeadSize(db, prepared.tenantId);
    if (size !== prepared.expectedSize) throw new AuditRace('audit tree moved on');
    const values = auditEntryValues(prepared);
    await db.query(
      `INSERT INTO audit_entries (${AUDIT_ENTRY_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      // pg sends a Buffer as bytea; a plain Uint8Array it would send as an array.
      [...values.slice(0, -1), Buffer.from(prepared.leafHash)],
    );
    // One statement for all nodes; a node a crash left behind without its entry is overwritten.
    await db.query(
      `INSERT INTO audit_nodes (tenant_id, level, idx, hash)
       SELECT $1, n.level, n.idx, n.hash
       FROM unnest($2::int[], $3::bigint[], $4::bytea[]) AS n (level, idx, hash)
       ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hash = excluded.hash`,
      [
        prepared.tenantId,
        prepared.nodes.map((n) => n.level),
        prepared.nodes.map((n) => n.index),
        prepared.nodes.map((n) => Buffer.from(n.hash)),
      ],
    );
    await db.query(
      'UPDATE audit_heads SET size = $2, root = $3, frontier = $4 WHERE tenant_id = $1',
      [
        prepared.tenantId,
        prepared.head.size,
        Buffer.from(prepared.head.root),
        Buffer.from(packFrontier(prepared.head.frontier)),
      ],
    );
  });
}

/** The tenant's head size, its row locked until the transaction ends (created at 0 if new). */
async function lockedHeadSize(db: PgDatabase, tenantId: string): Promise<number> {
  await db.query(
    'INSERT INTO audit_heads (tenant_id, size) VALUES ($1, 0) ON CONFLICT (tenant_id) DO NOTHING',
    [tenantId],
  );
  const [head] = await db.rows<{ size: number }>(
    'SELECT size FROM audit_heads WHERE tenant_id = $1 FOR UPDATE',
    [tenantId],
  );
  return head?.size ?? 0;
}

const parse = (rows: readonly { entry: string }[]): AuditEntry[] =>
  rows.map((row) => JSON.parse(row.entry) as AuditEntry);

export function pgAuditStore(db: PgDatabase): AuditStore {
  return {
    async sequenced(tenantId, work) {
      return db.transaction(async () => {
        await lockedHeadSize(db, tenantId);
        return work();
      });
    },
    async entriesAbout(tenantId, ref) {
      return parse(
        await db.rows<{ entry: string }>(
          'SELECT entry FROM audit_entries WHERE tenant_id = $1 AND subject_ref = $2 ORDER BY seq',
          [tenantId, ref],
        ),
      );
    },
    async head(tenantId) {
      const [row] = await db.rows<HeadRow>(
        'SELECT size, root, frontier FROM audit_heads WHERE tenant_id = $1',
        [tenantId],
      );
      return storedHead(row);
    },
    async getNode(tenantId, level, index) {
      const [row] = await db.rows<{ hash: Buffer }>(
        'SELECT hash FROM audit_nodes WHERE tenant_id = $1 AND level = $2 AND idx = $3',
        [tenantId, level, index],
      );
      return row ? new Uint8Array(row.hash) : undefined;
    },
    async entryJson(tenantId, seq) {
      const [row] = await db.rows<{ entry: string }>(
        'SELECT entry FROM audit_entries WHERE tenant_id = $1 AND seq = $2',
        [tenantId, seq],
      );
      return row?.entry;
    },
    async entries(tenantId, query) {
      const values: unknown[] = [tenantId, query.afterSeq];
      const where = ['tenant_id = $1', 'seq > $2'];
      const add = (clause: (n: string) => string, value: unknown) => {
        values.push(value);
        where.push(clause(`$${values.length}`));
      };
      if (query.from !== undefined) add((n) => `time >= ${n}`, query.from);
      if (query.to !== undefined) add((n) => `time < ${n}`, query.to);
      if (query.event !== undefined) add((n) => `event = ${n}`, query.event);
      // Rare filters for a DPO's question about how consents were given: no index needed.
      if (query.channel !== undefined)
        add((n) => `(entry::jsonb ->> 'channel') = ${n}`, query.channel);
      if (query.assurance !== undefined)
        add((n) => `(entry::jsonb ->> 'assurance') = ${n}`, query.assurance);
      if (query.agency !== undefined)
        add((n) => `(actor = ${n} OR sender = ${n} OR recipient = ${n})`, query.agency);
      values.push(query.limit);
      return parse(
        await db.rows<{ entry: string }>(
          `SELECT entry FROM audit_entries WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${values.length}`,
          values,
        ),
      );
    },
    async commit(prepared) {
      await commitPgAuditEntry(db, prepared);
    },
  };
}
