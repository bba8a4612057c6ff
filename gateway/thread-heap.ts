import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread whose young generation is at most `semiSpaceMb` a half, whatever the
 * process was started with.
 *
 * Why: `npm start` gives V8 `--max-semi-space-size=64` for the event loop's many short-lived
 * objects (docs/operations.md). V8 flags belong to the process, and this one overrides a worker's
 * `resourceLimits`, so a thread gets the same 2 × 64 MB bound, and V8 grows a young generation a
 * step each time as many bytes have survived as it holds. The JOSE thread, whose objects die even
 * younger, grew a step every few minutes at the peak (8 → 16 MB in the first minute, 32 MB after
 * six and on towards 128): resident memory that rose for half an hour, for nothing.
 *
 * V8 reads the flag once, when a heap is made: it is lowered while the thread's heap is made (the
 * thread is online once its heap exists) and then given back its value, so the event loop's heap,
 * made at start, and threads made later keep theirs.
 */
export function startWithYoungGeneration(semiSpaceMb: number, start: () => Worker): Worker {
  const processMb = processSemiSpaceMb();
  if (processMb !== undefined && processMb <= semiSpaceMb) return start();
  setFlagsFromString(`--max-semi-space-size=${String(semiSpaceMb)}`);
  const restore = () => {
    setFlagsFromString(`--max-semi-space-size=${String(processMb ?? 0)}`);
  };
  let worker: Worker;
  try {
    worker = start();
  } catch (error) {
    restore();
    throw error;
  }
  // Only on the first of these: a later exit must not give the flag back while the heap of a
  // thread started after it (the next JOSE thread) is being made with the lowered one.
  let restored = false;
  const once = () => {
    if (restored) return;
    restored = true;
    restore();
  };
  worker.once('online', once);
  worker.once('error', once);
  worker.once('exit', once);
  return worker;
}

/**
 * The process's `--max-semi-space-size` in MB, from its command line or NODE_OPTIONS (the last
 * one given wins, as with V8); undefined when none was given (0 tells V8 to choose).
 */
function processSemiSpaceMb(): number | undefined {
  const options = (process.env['NODE_OPTIONS'] ?? '').split(/\s+/);
  let mb: number | undefined;
  for (const arg of [...options, ...process.execArgv]) {
    const match = /^--max[-_]semi[-_]space[-_]size=(\d+)$/.exec(arg);
    if (match) mb = Number(match[1]);
  }
  return mb;
}
