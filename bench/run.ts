/**
 * `npm run bench`: what the gateway does with this machine, as a table; with `--json`, the same
 * figures as one JSON object on the last line. Asserts nothing: it is the measure.
 *
 * - exchanges per second over HTTP against a real `gateway/node.ts` process on SQLite, with load
 *   from another process, 4 KiB messages, warm-up first (`throughput.ts`, `load.ts`);
 * - the crypto floor: the same four crypto operations per exchange on all cores (`crypto-floor.ts`);
 * - p50/p99 latency in an open loop at half the peak;
 * - the gateway's peak RSS;
 * - the longest event-loop block of the background sweep over 10⁶ stored exchanges (`sweep.ts`);
 * - a consent check and an inclusion proof at 10⁴ and 10⁶ stored entries (`lookups.ts`);
 * - sends lost or duplicated when the gateway is killed midway and the sends retried
 *   (`kill-retry.ts`);
 * - last, what an exchange costs on Cloudflare (`edge-cost.ts`).
 *
 * Knobs for a short run: BENCH_WARMUP_MS, BENCH_MEASURE_MS, BENCH_PACED_WARMUP_MS,
 * BENCH_PACED_MS, BENCH_FLOOR_MS, BENCH_CONCURRENCY, BENCH_SWEEP_ROWS, BENCH_LOOKUP_SIZES
 * (e.g. "1e4,1e5"), BENCH_KILL_SENDS.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { tempDir } from '../test/support/temp.ts';
import { printEdgeCost } from './edge-cost.ts';
import { stopAllGateways } from './gateway.ts';
import { measureInclusionProofs } from './inclusion-proofs.ts';
import { measureKillAndRetry } from './kill-retry.ts';
import { measureStored, sizeKey } from './stored.ts';
import { measureThroughput } from './throughput.ts';

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

const row = (name: string, value: string) => `${name.padEnd(52)}${value}\n`;
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

const roundAll = (figures: Record<string, number>) =>
  Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v, 1)]));

let figures: Record<string, unknown>;
try {
  const throughput = await measureThroughput(dir.path);
  const { load: http, floor } = throughput;
  figures = {
    exchangesPerSec: round(http.exchangesPerSec, 1),
    cryptoFloorPerSec: round(floor.perSec, 1),
    ratio: round(http.exchangesPerSec / floor.perSec, 3),
    p50Ms: round(http.p50Ms, 2),
    p99Ms: round(http.p99Ms, 2),
    pacedRatePerSec: round(http.pacedRatePerSec, 1),
    rssMB: round(throughput.rssMB, 1),
    refusedDuringPeak: http.otherStatuses,
  };
  const stored = await measureStored(dir.path, sizes, sweepRows);
  const proofs = await measureInclusionProofs(dir.path, sizes);
  process.stderr.write('bench: kill and retry\n');
  const killRetry = await measureKillAndRetry(dir.path, killSends);
  figures = {
    ...figures,
    [sweepRows === 1e6 ? 'sweepMsAt1e6' : `sweepMsAt${sizeKey(sweepRows)}`]: round(
      stored.sweep.longestBlockMs,
      1,
    ),
    sweepTotalMs: round(stored.sweep.totalMs, 1),
    consentCheckUs: roundAll(stored.consentCheckUs),
    inclusionProofUs: roundAll(proofs),
    lostOrDuplicated: killRetry.lost + killRetry.duplicated,
    killRetry,
    seedSeconds: round(stored.seedSeconds, 1),
  };
} finally {
  await stopAllGateways();
  dir.remove();
  process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
}

const result = {
  ...figures,
  machine: { ...machine, loadAvgEnd: load() },
  benchSeconds: round((performance.now() - startedAt) / 1000),
};
process.stdout.write(
  `\nconsent-gateway bench — ${machine.cpu}, ${String(machine.cores)} cores, node ${machine.node}\n` +
    `load average at start ${machine.loadAvgStart.join(' ')}, at end ${result.machine.loadAvgEnd.join(' ')}\n\n`,
);
for (const [name, value] of Object.entries(result)) {
  if (name !== 'machine') process.stdout.write(row(name, JSON.stringify(value)));
}
await printEdgeCost();
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
