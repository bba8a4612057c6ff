import { unpackFrontier, type StoredHead } from '../../audit/index.ts';

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
