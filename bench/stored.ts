/**
 * What grows with the stored data: a consent check (consentsFor + decideConsent, as a send asks
 * it) at each population size, and the background sweep (`backgroundJobs(...).sweep()` from
 * gateway/jobs.ts, in process on the same SQLite file) at one size, with the longest event-loop
 * block it causes taken from a 1 ms interval's longest gap.
 * The population grows in one temp database from one size to the next (`population.ts`).
 */
import { join } from 'node:path';
import { importMasterKey } from '../certs/index.ts';
import { decideConsent } from '../consent/index.ts';
import { systemClock } from '../core/index.ts';
import { backgroundJobs } from '../gateway/jobs.ts';
import { createLogger } from '../gateway/logging.ts';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import { PURPOSE, seedPopulation, subjectOf, TENANT } from './population.ts';

export interface StoredFigures {
  /** Mean µs per consent check, by population size. */
  readonly consentCheckUs: Record<string, number>;
  /** Longest event-loop block during one sweep, in ms, and the sweep's wall time. */
  readonly sweep: {
    readonly rows: number;
    readonly longestBlockMs: number;
    readonly totalMs: number;
  };
  /** Seconds spent seeding, to show where the run's time went. */
  readonly seedSeconds: number;
}

/** `1e6` for 1000000, as the JSON keys name sizes. */
export const sizeKey = (n: number) => n.toExponential().replace('+', '');

async function consentCheckUs(storage: SqliteStorage, people: number): Promise<number> {
  const flow = {
    sender: 'jc',
    recipient: 'abh',
    purpose: PURPOSE,
    categories: ['employment_history'],
  };
  const checks = 20_000;
  const ask = async (i: number) => {
    // A different person each time, spread over the whole population.
    const subject = subjectOf((i * 7919) % people);
    const consents = await storage.consents.consentsFor(TENANT, subject, PURPOSE);
    if (!decideConsent(consents, flow, systemClock.now()).covered)
      throw new Error(`seeded consent of ${subject} does not cover its flow`);
  };
  for (let i = 0; i < 2000; i++) await ask(i);
  const started = performance.now();
  for (let i = 0; i < checks; i++) await ask(i);
  return ((performance.now() - started) * 1000) / checks;
}

/**
 * The longest time the event loop did not turn: the largest gap between ticks of a 1 ms interval,
 * less that 1 ms. (`monitorEventLoopDelay` reported 2 ms for a sweep that held the loop 227 ms.)
 */
function blockProbe(): { stop(): Promise<number> } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 1);
    last = now;
  }, 1);
  return {
    async stop() {
      // One more tick, so a block at the very end is counted.
      await new Promise((resolve) => setTimeout(resolve, 5));
      clearInterval(timer);
      return longest;
    },
  };
}

async function sweepOnce(storage: SqliteStorage, rows: number): Promise<StoredFigures['sweep']> {
  const jobs = backgroundJobs({
    storage,
    clock: systemClock,
    masterKey: await importMasterKey(crypto.getRandomValues(new Uint8Array(32))),
    logger: createLogger({ level: 'error', destination: process.stderr }),
    fetch,
  });
  // The first sweep prepares its statements; the figure is the one a server sees every minute.
  await jobs.sweep();
  const probe = blockProbe();
  const started = performance.now();
  await jobs.sweep();
  const totalMs = performance.now() - started;
  return { rows, longestBlockMs: await probe.stop(), totalMs };
}

/** Grows a population through `sizes` (and `sweepRows`), measuring at each. */
export async function measureStored(
  dataRoot: string,
  sizes: readonly number[],
  sweepRows: number,
): Promise<StoredFigures> {
  const storage = openSqliteStorage(join(dataRoot, 'stored'));
  const consentCheck: Record<string, number> = {};
  let sweep: StoredFigures['sweep'] = { rows: sweepRows, longestBlockMs: NaN, totalMs: NaN };
  let seeded = 0;
  let seedMs = 0;
  try {
    for (const size of [...new Set([...sizes, sweepRows])].sort((a, b) => a - b)) {
      process.stderr.write(`bench: seeding ${String(size)} stored exchanges\n`);
      const started = performance.now();
      for (let from = seeded; from < size; from += 50_000) {
        seedPopulation(storage.db, from, Math.min(size, from + 50_000));
      }
      storage.db.pragma('optimize');
      seedMs += performance.now() - started;
      seeded = size;
      if (sizes.includes(size)) consentCheck[sizeKey(size)] = await consentCheckUs(storage, size);
      if (size === sweepRows) sweep = await sweepOnce(storage, size);
    }
  } finally {
    storage.close();
  }
  return { consentCheckUs: consentCheck, sweep, seedSeconds: seedMs / 1000 };
}
