import {
  packFrontier,
  type AuditEntry,
  type AuditStore,
  type PreparedAppend,
} from '../../audit/index.ts';
import { AUDIT_ENTRY_COLUMNS, auditEntryValues, storedHead, type HeadRow } from '../rows/audit.ts';
import type { D1Database, D1PreparedStatement, D1Value } from './d1.ts';
import { guard, runBatch } from './guards.ts';

/**
 * The statements that commit a prepared audit entry: the guard that the tenant's head still has
 * the size the entry was prepared for (else AuditRace), the entry, the tree nodes it completes
 * and the head after it. Append them to the batch of the change the entry records, after the
 * change's own statements, so both land or neither does. Appends are ordered by this guard
 * alone; a later issue puts a Durable Object per tenant in front as the single writer, which
 * turns races into waits instead of retries.
 */
export function auditStatements(db: D1Database, prepared: PreparedAppend): D1PreparedStatement[] {
  return [
    guard(
      db,
      'audit_race',
      'coalesce((SELECT size FROM audit_heads WHERE tenant_id = ?), 0) = ?',
      prepared.tenantId,
      prepared.expectedSize,
    ),
    db
      .prepare(
        `INSERT INTO audit_entries (${AUDIT_ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(...auditEntryValues(prepared)),
    // A node a crash left behind without its entry cannot exist here (batches are atomic), but
    // REPLACE keeps the statement the same as on SQLite.
    ...prepared.nodes.map((n) =>
      db
        .prepare(
          'INSERT OR REPLACE INTO audit_nodes (tenant_id, level, idx, hash) VALUES (?, ?, ?, ?)',
        )
        .bind(prepared.tenantId, n.level, n.index, n.hash),
    ),
    db
      .prepare(
        `INSERT INTO audit_heads (tenant_id, size, root, frontier) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id) DO UPDATE
         SET size = excluded.size, root = excluded.root, frontier = excluded.frontier`,
      )
      .bind(
        prepared.tenantId,
        prepared.head.size,
        prepared.head.root,
        packFrontier(prepared.head.frontier),
      ),
  ];
}

const parse = (rows: readonly { entry: string }[]): AuditEntry[] =>
  rows.map((row) => JSON.parse(row.entry) as AuditEntry);

/** The AuditStore over D1. No `sequenced`: appends are ordered by the head guard. */
export function d1AuditStore(db: D1Database): AuditStore {
  const entryRows = async (sql: string, ...values: D1Value[]) =>
    parse(
      (
        await db
          .prepare(sql)
          .bind(...values)
          .all<{ entry: string }>()
      ).results,
    );

  return {
    async head(tenantId) {
      const row = await db
        .prepare('SELECT size, root, frontier FROM audit_heads WHERE tenant_id = ?')
        .bind(tenantId)
        .first<HeadRow>();
      return storedHead(row ?? undefined);
    },
    async getNode(tenantId, level, index) {
      const row = await db
        .prepare('SELECT hash FROM audit_nodes WHERE tenant_id = ? AND level = ? AND idx = ?')
        .bind(tenantId, level, index)
        .first<{ hash: number[] }>();
      return row ? new Uint8Array(row.hash) : undefined;
    },
    async entryJson(tenantId, seq) {
      const row = await db
        .prepare('SELECT entry FROM audit_entries WHERE tenant_id = ? AND seq = ?')
        .bind(tenantId, seq)
        .first<{ entry: string }>();
      return row?.entry;
    },
    entriesAbout(tenantId, ref) {
      return entryRows(
        'SELECT entry FROM audit_entries WHERE tenant_id = ? AND subject_ref = ? ORDER BY seq',
        tenantId,
        ref,
      );
    },
    entries(tenantId, query) {
      const where = ['tenant_id = ?', 'seq > ?'];
      const values: D1Value[] = [tenantId, query.afterSeq];
      const add = (clause: string, ...more: D1Value[]) => {
        where.push(clause);
        values.push(...more);
      };
      if (query.from !== undefined) add('time >= ?', query.from);
      if (query.to !== undefined) add('time < ?', query.to);
      if (query.event !== undefined) add('event = ?', query.event);
      // Rare filters for a DPO's question about how consents were given: no index needed.
      if (query.channel !== undefined) add("json_extract(entry, '$.channel') = ?", query.channel);
      if (query.assurance !== undefined)
        add("json_extract(entry, '$.assurance') = ?", query.assurance);
      if (query.agency !== undefined)
        add('(actor = ? OR sender = ? OR recipient = ?)', query.agency, query.agency, query.agency);
      return entryRows(
        `SELECT entry FROM audit_entries WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
        ...values,
        query.limit,
      );
    },
    async commit(prepared) {
      await runBatch(db, auditStatements(db, prepared), 'that audit entry');
    },
  };
}
