/**
 * `npm run bench`: what the gateway does with this machine, as a table; with `--json`, the same
 * figures as one JSON object on the last line. Asserts nothing: it is the measure.
 *
 * - exchanges per second over HTTP against a real `gateway/node.ts` process on SQLite, with load
 *   from another process, 4 KiB messages, warm-up first (`throughput.ts`, `load.ts`);
 * - the crypto floor: the same four crypto operations per exchange on all cores (`crypto-floor.ts`),
 *   with jose (the ratio's floor, measured before and after the HTTP rounds and averaged) and with
 *   the `node:crypto` engine the Node gateway runs with;
 * - p50/p99 latency in an open loop at half the peak;
 * - the gateway's peak RSS;
 * - at twice the peak, open loop: what is offered, answered 201 and shed (503 `overloaded`) per
 *   second, p99 of the 201s and the gateway's RSS; and at the peak for a minute (ten with
 *   BENCH_SOAK_MS=600000), whether its RSS and its live heap after full collections stay flat
 *   (`overload.ts`, `gc-trace.ts`);
 * - the longest event-loop block of the background sweep over 10⁶ stored exchanges (`stored.ts`,
 *   seeded by `population.ts`);
 * - a consent check and an inclusion proof at 10⁴ and 10⁶ stored entries (`stored.ts`,
 *   `inclusion-proofs.ts`);
 * - sends lost or duplicated when the gateway is killed midway and the sends retried
 *   (`kill-retry.ts`);
 * - the exchange on PostgreSQL with one and three instances (`postgres.ts`; BENCH_POSTGRES=0 skips);
 * - monitoring: folding a large municipality's year of log, and one protected report of a month
 *   and of the year (`monitoring.ts`; BENCH_MONITORING_ENTRIES, default 2·10⁵);
 * - last, what an exchange costs on Cloudflare (`edge-cost.ts`).
 *
 * Knobs for a short run: BENCH_WARMUP_MS, BENCH_MEASURE_MS, BENCH_PACED_WARMUP_MS,
 * BENCH_PACED_MS, BENCH_FLOOR_WARMUP_MS, BENCH_FLOOR_MS, BENCH_CONCURRENCY, BENCH_OVERLOAD_MS,
 * BENCH_SOAK_MS, BENCH_OVERLOAD_WARMUP_MS, BENCH_SWEEP_ROWS (e.g. 1e4), BENCH_LOOKUP_SIZES (e.g.
 * "1e4,1e5"), BENCH_KILL_SENDS, BENCH_EDGE_EXCHANGES. A smoke run of about two minutes:
 *
 *     BENCH_WARMUP_MS=2000 BENCH_MEASURE_MS=3000 BENCH_PACED_WARMUP_MS=1000 BENCH_PACED_MS=3000 \
 *     BENCH_FLOOR_MS=2000 BENCH_OVERLOAD_MS=5000 BENCH_SOAK_MS=10000 BENCH_SWEEP_ROWS=1e4 \
 *     BENCH_LOOKUP_SIZES=1e4,1e5 BENCH_KILL_SENDS=60 BENCH_EDGE_EXCHANGES=2 npm run bench -- --json
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { tempDir } from '../test/support/temp.ts';
import { printEdgeCost } from './edge-cost.ts';
import { stopAllGateways } from './gateway.ts';
import { measureInclusionProofs } from './inclusion-proofs.ts';
import { measureKillAndRetry } from './kill-retry.ts';
import { measureMonitoring } from './monitoring.ts';
import { measureOverload } from './overload.ts';
import { measurePostgres } from './postgres.ts';
import { measureStored, sizeKey } from './stored.ts';
import { measureThroughput } from './throughput.ts';
import { useNodeCrypto } from '../gateway/node-crypto.ts';

// What the gateway and the CLI install: the lookups measured in this process hash as they do.
useNodeCrypto();

const json = process.argv.includes('--json');
const startedAt = performance.now();
const load = () => loadavg().map((l) => Math.round(l * 100) / 100);
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  loadAvgStart: load(),
};

const dir = tempDir('cgw-bench-');
const interrupted = (signal: NodeJS.Signals) => {
  void stopAllGateways().finally(() => {
    dir.remove();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
};
process.once('SIGINT', interrupted).once('SIGTERM', interrupted);

const sizes = (process.env['BENCH_LOOKUP_SIZES'] ?? '1e4,1e6').split(',').map(Number);
const sweepRows = Number(process.env['BENCH_SWEEP_ROWS'] ?? 1e6);
const killSends = Number(process.env['BENCH_KILL_SENDS'] ?? 200);

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const roundAll = (figures: Record<string, number>) =>
  Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v, 1)]));
/** Rates, latencies and sizes to one decimal; counts as they are. */
const roundDetails = <T extends object>(figures: T): T =>
  Object.fromEntries(
    Object.entries(figures).map(([k, v]) => [k, typeof v === 'number' ? round(v, 1) : v]),
  ) as T;
const sweepKey = sweepRows === 1e6 ? 'sweepMsAt1e6' : `sweepMsAt${sizeKey(sweepRows)}`;

// The 1-minute load average every 15 s: the machine is shared, and the figures move with it.
const loadDuring: number[] = [];
const sampler = setInterval(() => loadDuring.push(round(loadavg()[0] ?? NaN, 2)), 15_000);

async function measureAll(): Promise<Record<string, unknown>> {
  const {
    load: http,
    floor,
    floorRuns,
    nodeFloor,
    rssMB,
    settings,
  } = await measureThroughput(dir.path);
  const overload = await measureOverload(dir.path, http.exchangesPerSec);
  const stored = await measureStored(dir.path, sizes, sweepRows);
  const proofs = await measureInclusionProofs(dir.path, sizes);
  process.stderr.write('bench: kill and retry\n');
  const killRetry = await measureKillAndRetry(dir.path, killSends);
  const postgres = process.env['BENCH_POSTGRES'] === '0' ? {} : await measurePostgres(dir.path);
  process.stderr.write('bench: monitoring\n');
  const monitoring = measureMonitoring(Number(process.env['BENCH_MONITORING_ENTRIES'] ?? 2e5));
  return {
    exchangesPerSec: round(http.exchangesPerSec, 1),
    cryptoFloorPerSec: round(floor.perSec, 1),
    ratio: round(http.exchangesPerSec / floor.perSec, 3),
    cryptoFloorNodePerSec: round(nodeFloor.perSec, 1),
    ratioToNodeFloor: round(http.exchangesPerSec / nodeFloor.perSec, 3),
    p50Ms: round(http.p50Ms, 2),
    p99Ms: round(http.p99Ms, 2),
    rssMB: round(rssMB, 1),
    [sweepKey]: round(stored.sweep.longestBlockMs, 1),
    consentCheckUs: roundAll(stored.consentCheckUs),
    inclusionProofUs: roundAll(proofs),
    lostOrDuplicated: killRetry.lost + killRetry.duplicated,
    overload: roundAll({ ...overload.overload }),
    soak: roundAll({ ...overload.soak }),
    monitoring: roundAll({ ...monitoring }),
    details: {
      http: {
        concurrency: settings.concurrency,
        warmupMs: settings.warmupMs,
        measureMs: settings.measureMs,
        pacedWarmupMs: settings.pacedWarmupMs,
        pacedMs: settings.pacedMs,
        pacedRatePerSec: round(http.pacedRatePerSec, 1),
        pacedCounted: http.pacedSent,
        refusedDuringPeak: http.otherStatuses,
      },
      cryptoFloorWorkers: floor.workers,
      cryptoFloorBeforeAfterPerSec: floorRuns.map((perSec) => round(perSec, 1)),
      sweep: { rows: sweepRows, wholeSweepMs: round(stored.sweep.totalMs, 1) },
      killRetry,
      seedSeconds: round(stored.seedSeconds, 1),
      postgresPerSec: roundAll(postgres),
      overload: {
        ...overload.details,
        peakPerSec: round(overload.details.peakPerSec, 1),
        overload: roundDetails(overload.details.overload),
        soak: roundDetails(overload.details.soak),
      },
    },
  };
}

function printTable(result: Record<string, unknown>, seconds: number): void {
  const f = result as {
    exchangesPerSec: number;
    cryptoFloorPerSec: number;
    ratio: number;
    cryptoFloorNodePerSec: number;
    ratioToNodeFloor: number;
    p50Ms: number;
    p99Ms: number;
    rssMB: number;
    consentCheckUs: Record<string, number>;
    inclusionProofUs: Record<string, number>;
    lostOrDuplicated: number;
    overload: Record<string, number>;
    soak: Record<string, number>;
    monitoring: Record<string, number>;
    details: {
      http: { concurrency: number; warmupMs: number; measureMs: number; pacedRatePerSec: number };
      cryptoFloorWorkers: number;
      cryptoFloorBeforeAfterPerSec: [number, number];
      sweep: { wholeSweepMs: number };
      killRetry: { sends: number; retried: number };
      postgresPerSec: Record<string, number>;
      overload: {
        peakPerSec: number;
        overload: { ratePerSec: number };
        soak: { ratePerSec: number };
      };
    };
  };
  const { http, sweep, killRetry } = f.details;
  const [floorBefore, floorAfter] = f.details.cryptoFloorBeforeAfterPerSec;
  const bySize = (figures: Record<string, number>, unit: string) =>
    Object.entries(figures)
      .map(([size, value]) => `${String(value)} ${unit} at ${size}`)
      .join(', ');
  const rows: [string, string][] = [
    [
      'exchanges over HTTP (1 process, SQLite, 4 KiB)',
      `${String(f.exchangesPerSec)}/s  (${String(http.concurrency)} clients, ${String(http.measureMs / 1000)} s after ${String(http.warmupMs / 1000)} s warm-up)`,
    ],
    [
      `crypto floor (jose, ${String(f.details.cryptoFloorWorkers)} worker threads)`,
      `${String(f.cryptoFloorPerSec)}/s  (mean of ${String(floorBefore)}/s before and ${String(floorAfter)}/s after the HTTP rounds)`,
    ],
    ['ratio', String(f.ratio)],
    [
      'crypto floor with node:crypto, as the Node gateway signs and seals; ratio to it',
      `${String(f.cryptoFloorNodePerSec)}/s; ${String(f.ratioToNodeFloor)}`,
    ],
    [
      `latency at half the peak (${String(http.pacedRatePerSec)}/s, open loop)`,
      `p50 ${String(f.p50Ms)} ms, p99 ${String(f.p99Ms)} ms`,
    ],
    ['gateway peak RSS', `${String(f.rssMB)} MB`],
    [
      `at twice the peak (${String(f.details.overload.overload.ratePerSec)}/s offered, open loop)`,
      `${String(f.overload['acceptedPerSec'])}/s answered 201, ${String(f.overload['shedPerSec'])}/s shed (503), p99 of the 201s ${String(f.overload['p99AcceptedMs'])} ms`,
    ],
    [
      'gateway RSS at twice the peak: start / end / max',
      `${String(f.overload['rssStartMB'])} / ${String(f.overload['rssEndMB'])} / ${String(f.overload['rssMaxMB'])} MB`,
    ],
    [
      `RSS at the peak for ${String(f.soak['seconds'])} s (${String(f.details.overload.soak.ratePerSec)}/s)`,
      `first minute ${String(f.soak['rssFirstMinuteMB'])} MB, last ${String(f.soak['rssLastMinuteMB'])} MB, slope ${String(f.soak['rssSlopeMBPerMin'])} MB/min`,
    ],
    [
      `live heap after each full GC in that soak (${String(f.soak['fullGcs'])} of them)`,
      // A short soak (BENCH_SOAK_MS) may see no full collection in one of its halves.
      !Number.isFinite(f.soak['liveHeapFirstMinuteMB']) ||
      !Number.isFinite(f.soak['liveHeapLastMinuteMB'])
        ? 'too few to compare; a longer BENCH_SOAK_MS has more'
        : `first minute ${String(f.soak['liveHeapFirstMinuteMB'])} MB, last ${String(f.soak['liveHeapLastMinuteMB'])} MB, slope ${String(f.soak['liveHeapSlopeMBPerMin'])} MB/min`,
    ],
    [
      `sweep: longest event-loop block (${sizeKey(sweepRows)} stored)`,
      `${String(result[sweepKey])} ms  (whole sweep ${String(sweep.wholeSweepMs)} ms)`,
    ],
    ['consent check (consentsFor + decideConsent)', bySize(f.consentCheckUs, 'µs')],
    ['inclusion proof (SQLite audit store)', bySize(f.inclusionProofUs, 'µs')],
    [
      'kill and retry: lost + duplicated',
      `${String(f.lostOrDuplicated)}  (${String(killRetry.sends)} sends, ${String(killRetry.retried)} retried)`,
    ],
    [
      `monitoring: fold / report of a month / of the year (${String(f.monitoring['entries'])} entries)`,
      `${String(f.monitoring['foldPerSec'])} entries/s, ${String(f.monitoring['reportMonthMs'])} ms, ${String(f.monitoring['reportYearMs'])} ms`,
    ],
    ...Object.entries(f.details.postgresPerSec).map(([instances, rate]): [string, string] => [
      `exchanges, PostgreSQL, ${instances.replace('instances', '')} instance(s) round robin`,
      `${String(rate)}/s`,
    ]),
  ];
  process.stdout.write(
    `\nconsent-gateway bench — ${machine.cpu}, ${String(machine.cores)} cores, node ${machine.node}\n` +
      `load average ${machine.loadAvgStart.join(' ')} at start, ${load().join(' ')} at end; ` +
      `${String(Math.round(seconds))} s\n\n` +
      rows.map(([name, value]) => `${name.padEnd(56)}${value}\n`).join(''),
  );
}

let figures: Record<string, unknown>;
try {
  figures = await measureAll();
} finally {
  await stopAllGateways();
  dir.remove();
  process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
}
printTable(figures, (performance.now() - startedAt) / 1000);
await printEdgeCost();
clearInterval(sampler);
const result = {
  ...figures,
  machine: { ...machine, loadAvgDuring: loadDuring, loadAvgEnd: load() },
  benchSeconds: round((performance.now() - startedAt) / 1000),
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
