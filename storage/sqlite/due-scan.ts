import type { Statement } from 'better-sqlite3';

/** One row a due scan looked at: its place in the index's order, and whether it is due. */
export interface ScannedRow {
  readonly key: string;
  readonly id: string;
  readonly tenant_id: string;
  readonly due: 0 | 1;
}

/** Rows a scan reads between two turns of the event loop; about 5 ms on one core. */
export const SCAN_CHUNK = 500;

/** What a chunk's statement is given: the scan's time and where the previous chunk ended. */
export interface DueChunkParams {
  readonly now: string;
  readonly afterKey: string;
  readonly afterId: string;
  readonly size: number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The first `limit` due rows of an index range, read `SCAN_CHUNK` rows at a time with a turn of
 * the event loop between chunks, so a sweep over a large range never holds the loop: better-sqlite3
 * is synchronous, and a range whose rows are mostly not due (waiting messages whose consent still
 * stands, consents already expired) would otherwise be read in one go. `chunk` reads the rows
 * after (`afterKey`, `afterId`) in (key, id) order, `SCAN_CHUNK` of them, whether due or not.
 * Each chunk is its own read; what changes between chunks is settled by the conditional transition
 * the sweep makes for each row.
 */
export async function dueInChunks(
  chunk: Statement<[DueChunkParams], ScannedRow>,
  now: string,
  limit: number,
): Promise<ScannedRow[]> {
  const due: ScannedRow[] = [];
  let after = { key: '', id: '' };
  for (;;) {
    const rows = chunk.all({ now, afterKey: after.key, afterId: after.id, size: SCAN_CHUNK });
    for (const row of rows) if (row.due === 1 && due.length < limit) due.push(row);
    const last = rows.at(-1);
    if (!last || due.length >= limit || rows.length < SCAN_CHUNK) return due;
    after = last;
    await nextTurn();
  }
}
