import {
  AuditRace,
  packFrontier,
  type AuditEntry,
  type AuditStore,
  type PreparedAppend,
} from '../../audit/index.ts';
import type { Statement } from 'better-sqlite3';
import { AUDIT_ENTRY_COLUMNS, auditEntryValues, storedHead, type HeadRow } from '../rows/audit.ts';
import { inTransaction, type SqliteDatabase } from './database.ts';
import { guarded } from './guarded.ts';
import { BoundedMemo } from '../../certs/index.ts';

interface AppendStatements {
  readonly size: Statement<[string], { size: number }>;
  readonly entry: Statement;
  readonly node: Statement;
  readonly head: Statement;
}
const compiled = new WeakMap<SqliteDatabase, AppendStatements>();

/**
 * Tree nodes at this level and above (subtrees of 256 leaves or more) are kept once read: a log
 * of 10⁶ entries has about 8 000 of them, and an inclusion proof then reads the same few nodes
 * from the database at 10⁴ and at 10⁶ entries. Bounded across tenants.
 */
const UPPER_LEVEL = 8;
const UPPER_NODES = 100_000;

/** The statements an append runs, compiled once per database handle rather than per append. */
function appendStatements(db: SqliteDatabase): AppendStatements {
  let statements = compiled.get(db);
  if (statements === undefined) {
    statements = {
      size: db.prepare<[string], { size: number }>(
        'SELECT size FROM audit_heads WHERE tenant_id = ?',
      ),
      entry: db.prepare(
        `INSERT INTO audit_entries (${AUDIT_ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      node: db.prepare(
        'INSERT OR REPLACE INTO audit_nodes (tenant_id, level, idx, hash) VALUES (?, ?, ?, ?)',
      ),
      head: db.prepare(
        `INSERT INTO audit_heads (tenant_id, size, root, frontier) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id) DO UPDATE
         SET size = excluded.size, root = excluded.root, frontier = excluded.frontier`,
      ),
    };
    compiled.set(db, statements);
  }
  return statements;
}

/**
 * Writes a prepared audit entry and its tree nodes. Call it inside the transaction of the change
 * the entry records, so both land or neither does. Throws AuditRace if the tree grew since the
 * entry was prepared (another writer, e.g. the CLI beside the server); the log then prepares again.
 */
export function commitAuditEntry(db: SqliteDatabase, prepared: PreparedAppend): void {
  const statements = appendStatements(db);
  const head = statements.size.get(prepared.tenantId);
  if ((head?.size ?? 0) !== prepared.expectedSize) throw new AuditRace('audit tree moved on');
  statements.entry.run(...auditEntryValues(prepared));
  for (const n of prepared.nodes) statements.node.run(prepared.tenantId, n.level, n.index, n.hash);
  statements.head.run(
    prepared.tenantId,
    prepared.head.size,
    prepared.head.root,
    packFrontier(prepared.head.frontier),
  );
}

export function sqliteAuditStore(db: SqliteDatabase): AuditStore {
  const head = db.prepare<[string], HeadRow>(
    'SELECT size, root, frontier FROM audit_heads WHERE tenant_id = ?',
  );
  const node = db.prepare<[string, number, number], { hash: Buffer }>(
    'SELECT hash FROM audit_nodes WHERE tenant_id = ? AND level = ? AND idx = ?',
  );
  // A stored node never changes (it is the hash of a complete subtree), and the upper ones are
  // on every proof's path: read once, kept. Below UPPER_LEVEL a proof reads its own few.
  const upper = new BoundedMemo<Uint8Array>(UPPER_NODES);
  const one = db.prepare<[string, number], { entry: string }>(
    'SELECT entry FROM audit_entries WHERE tenant_id = ? AND seq = ?',
  );
  const bySubject = db.prepare<[string, string], { entry: string }>(
    'SELECT entry FROM audit_entries WHERE tenant_id = ? AND subject_ref = ? ORDER BY seq',
  );
  return {
    entriesAbout(tenantId, ref) {
      return Promise.resolve(
        bySubject.all(tenantId, ref).map((row) => JSON.parse(row.entry) as AuditEntry),
      );
    },
    head(tenantId) {
      return Promise.resolve(storedHead(head.get(tenantId)));
    },
    getNode(tenantId, level, index) {
      const key = level >= UPPER_LEVEL ? `${tenantId}/${String(level)}/${String(index)}` : '';
      const known = key === '' ? undefined : upper.get(key);
      if (known) return Promise.resolve(known);
      const row = node.get(tenantId, level, index);
      if (!row) return Promise.resolve(undefined);
      const hash = new Uint8Array(row.hash);
      if (key !== '') upper.set(key, hash);
      return Promise.resolve(hash);
    },
    entryJson(tenantId, seq) {
      return Promise.resolve(one.get(tenantId, seq)?.entry);
    },
    entries(tenantId, query) {
      const where = ['tenant_id = @tenant', 'seq > @after'];
      if (query.from !== undefined) where.push('time >= @from');
      if (query.to !== undefined) where.push('time < @to');
      if (query.event !== undefined) where.push('event = @event');
      // Rare filters for a DPO's question about how consents were given: no index needed.
      if (query.channel !== undefined) where.push("json_extract(entry, '$.channel') = @channel");
      if (query.assurance !== undefined)
        where.push("json_extract(entry, '$.assurance') = @assurance");
      if (query.agency !== undefined)
        where.push('(actor = @agency OR sender = @agency OR recipient = @agency)');
      const rows = db
        .prepare<[Record<string, unknown>], { entry: string }>(
          `SELECT entry FROM audit_entries WHERE ${where.join(' AND ')} ORDER BY seq LIMIT @limit`,
        )
        .all({
          tenant: tenantId,
          after: query.afterSeq,
          limit: query.limit,
          from: query.from ?? null,
          to: query.to ?? null,
          event: query.event ?? null,
          agency: query.agency ?? null,
          channel: query.channel ?? null,
          assurance: query.assurance ?? null,
        });
      return Promise.resolve(rows.map((row) => JSON.parse(row.entry) as AuditEntry));
    },
    commit(prepared) {
      return guarded('that audit entry', () => {
        inTransaction(db, () => {
          commitAuditEntry(db, prepared);
        });
      });
    },
  };
}
