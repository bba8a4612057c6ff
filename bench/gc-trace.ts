/**
 * What the event loop's heap holds after each full collection, read from V8's `--trace-gc` lines
 * on the gateway's stdout. The soak needs it because resident memory alone cannot tell a leak from
 * V8 sizing its heap: at the peak the process's RssAnon swings by 70 MB or more as V8 grows and
 * shrinks the young generation and the old generation's free pages, while what survives a
 * mark-compact is what the gateway actually keeps.
 */
import type { Readable } from 'node:stream';

export interface FullGc {
  /** Milliseconds since the epoch when the bench read the line. */
  readonly atMs: number;
  /** MB still live after the collection. */
  readonly liveMB: number;
  /** MB V8 had committed for the heap after it. */
  readonly heapMB: number;
}

// `[pid:0xisolate]  1234 ms: Mark-Compact 63.0 (204.1) -> 36.4 (192.6) MB, ...`, with an optional
// `(reduce)` after the name; every thread has its own isolate and so its own prefix.
const FULL_GC =
  /^\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: Mark-Compact[^\d]*[\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/;

/**
 * Collects the full collections `stream` reports, per isolate. The event loop's isolate is the
 * one with the largest heap: the JOSE and checkpoint threads' heaps stay near 16 MB.
 */
export function watchFullGcs(stream: Readable, now: () => number = Date.now) {
  const byIsolate = new Map<string, FullGc[]>();
  let rest = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const match = FULL_GC.exec(line);
      if (match === null) continue;
      const [, isolate = '', live = '', heap = ''] = match;
      const gcs = byIsolate.get(isolate) ?? [];
      gcs.push({ atMs: now(), liveMB: Number(live), heapMB: Number(heap) });
      byIsolate.set(isolate, gcs);
    }
  });
  return {
    /** The event loop's full collections so far, oldest first. */
    eventLoop(): readonly FullGc[] {
      const largest = (gcs: readonly FullGc[]) => Math.max(...gcs.map((gc) => gc.heapMB));
      return [...byIsolate.values()].reduce<FullGc[]>(
        (best, gcs) => (best.length === 0 || largest(gcs) > largest(best) ? gcs : best),
        [],
      );
    },
  };
}
