import { unpackFrontier, type PreparedAppend, type StoredHead } from '../../audit/index.ts';

/** An audit head row as SQLite, PostgreSQL and D1 hold it: root and frontier as bytes. */
export interface HeadRow {
  readonly size: number;
  /** D1 hands bytes back as an array of numbers, SQLite and PostgreSQL as a Buffer. */
  readonly root: ArrayLike<number> | ArrayBuffer | null;
  readonly frontier: ArrayLike<number> | ArrayBuffer | null;
}

/** A head row as the port gives it; one written before heads kept root and frontier has size only. */
export function storedHead(row: HeadRow | undefined): StoredHead | undefined {
  if (row === undefined) return undefined;
  return row.root === null || row.frontier === null
    ? { size: row.size }
    : {
        size: row.size,
        root: Uint8Array.from(new Uint8Array(row.root)),
        frontier: unpackFrontier(new Uint8Array(row.frontier)),
      };
}

/** The columns of an audit entry row, in the order of {@link auditEntryValues}. */
export const AUDIT_ENTRY_COLUMNS =
  'tenant_id, seq, time, event, actor, sender, recipient, subject_ref, entry, leaf_hash';

/**
 * An audit entry row's values: the indexed fields the DPO's searches use, the canonical JSON that
 * is served and hashed, and its leaf hash.
 */
export function auditEntryValues(prepared: PreparedAppend) {
  const e = prepared.entry;
  return [
    e.tenant,
    e.seq,
    e.time,
    e.event,
    e.actor,
    e.sender ?? null,
    e.recipient ?? null,
    e.subjectRef ?? null,
    prepared.entryJson,
    prepared.leafHash,
  ] as const;
}
