/**
 * The gateway under more load than it can serve, and at its peak for a long time (issue 15: "under
 * overload the server sheds load with 503 and Retry-After instead of growing", "memory flat over a
 * 10-minute run at peak"). Each round has a fresh `npm start` process on SQLite with the default
 * GATEWAY_MAX_INFLIGHT, warmed up by a short closed loop (`load.ts`), the load from another process:
 *
 * 1. overload: an open loop at twice the peak (BENCH_OVERLOAD_FACTOR) for BENCH_OVERLOAD_MS
 *    (20 s): requests offered per second of sending, answered 201 and shed (503 `overloaded`) per
 *    second from the first send to the last answer (a queue that drains after the sending stops
 *    counts against its rate), p99 of the 201s counted from their scheduled time, and the
 *    gateway's anonymous resident memory (RssAnon, see load.ts) every second;
 * 2. soak: an open loop at the peak for BENCH_SOAK_MS (60 s; 600000 for issue 15's ten minutes):
 *    the mean RssAnon over the first and the last minute (over the first and last half in runs shorter
 *    than two minutes) and the least-squares slope of all samples, in MB per minute; the same three
 *    for what the event loop's heap holds after each full collection (gc-trace.ts), which tells a
 *    leak from V8 sizing its heap.
 *
 * The peak is the throughput round's when `bench/run.ts` passes it; otherwise the warm-up measures
 * it (BENCH_OVERLOAD_WARMUP_MS, 3 s, then BENCH_OVERLOAD_PEAK_MS, 5 s). BENCH_OVERLOAD_MAX_INFLIGHT
 * sets GATEWAY_MAX_INFLIGHT for both rounds (10000 shows the gateway without shedding).
 *
 * Run alone: `node --import tsx bench/overload.ts [peakPerSec]` prints the figures as JSON.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../test/support/temp.ts';
import { grantConsent } from './exchange-request.ts';
import { startGateway, stopAllGateways, type GatewayInstance } from './gateway.ts';
import type { FullGc } from './gc-trace.ts';
import type { OpenLoopResult } from './load.ts';
import { runLoad } from './throughput.ts';

export interface OverloadFigures {
  readonly offeredPerSec: number;
  readonly acceptedPerSec: number;
  readonly shedPerSec: number;
  readonly p99AcceptedMs: number;
  readonly rssStartMB: number;
  readonly rssEndMB: number;
  readonly rssMaxMB: number;
}

export interface SoakFigures {
  readonly seconds: number;
  readonly rssFirstMinuteMB: number;
  readonly rssLastMinuteMB: number;
  readonly rssSlopeMBPerMin: number;
  readonly fullGcs: number;
  readonly liveHeapFirstMinuteMB: number;
  readonly liveHeapLastMinuteMB: number;
  readonly liveHeapSlopeMBPerMin: number;
}

export interface OverloadRounds {
  readonly overload: OverloadFigures;
  readonly soak: SoakFigures;
  readonly details: {
    readonly peakPerSec: number;
    readonly peakFrom: 'throughput round' | 'warm-up';
    readonly maxInflight: string;
    readonly overload: RoundDetails;
    readonly soak: RoundDetails & { readonly minuteSeconds: number; readonly rssMaxMB: number };
  };
}

interface RoundDetails {
  readonly ratePerSec: number;
  /** From the first send to the last answer. */
  readonly answeredSeconds: number;
  readonly sent: number;
  readonly created: number;
  readonly shed: number;
  readonly otherStatuses: Record<string, number>;
  readonly p50AcceptedMs: number;
  readonly maxSendLagMs: number;
}

const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/**
 * A fresh gateway with the consent the sends rest on, warmed up; and the peak the warm-up saw,
 * measured for `peakMs` (1 s when the peak is known and the window only ends the warm-up).
 */
async function warmGateway(
  dataDir: string,
  env: Record<string, string>,
  peakMs: number,
  options: { readonly traceGc?: boolean } = {},
): Promise<{ gateway: GatewayInstance; peakPerSec: number }> {
  const gateway = await startGateway(dataDir, randomBytes(32).toString('hex'), env, options);
  await grantConsent(dataDir, gateway.baseUrl);
  const warm = await runLoad({
    baseUrl: gateway.baseUrl,
    dataDir,
    concurrency: knob('BENCH_CONCURRENCY', 32),
    warmupMs: knob('BENCH_OVERLOAD_WARMUP_MS', 3000),
    measureMs: peakMs,
    pacedWarmupMs: 0,
    pacedMs: 0,
  });
  return { gateway, peakPerSec: warm.exchangesPerSec };
}

async function openLoop(
  gateway: GatewayInstance,
  dataDir: string,
  ratePerSec: number,
  ms: number,
): Promise<OpenLoopResult> {
  return runLoad({
    mode: 'open-loop',
    baseUrl: gateway.baseUrl,
    dataDir,
    ratePerSec,
    ms,
    rssPid: gateway.pid,
  });
}

function details(ratePerSec: number, run: OpenLoopResult): RoundDetails {
  return {
    ratePerSec,
    answeredSeconds: run.answeredSeconds,
    sent: run.sent,
    created: run.created,
    shed: run.shed,
    otherStatuses: run.otherStatuses,
    p50AcceptedMs: run.p50CreatedMs,
    maxSendLagMs: run.maxSendLagMs,
  };
}

const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/** Least-squares slope of `y` over `x`. */
function slope(points: readonly (readonly [number, number])[]): number {
  const mx = mean(points.map(([x]) => x));
  const my = mean(points.map(([, y]) => y));
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

/**
 * Both rounds, each on its own fresh gateway under `dataRoot`; every process is stopped. Pass the
 * throughput round's peak, or the warm-up measures one.
 */
export async function measureOverload(
  dataRoot: string,
  knownPeakPerSec?: number,
): Promise<OverloadRounds> {
  const maxInflight = process.env['BENCH_OVERLOAD_MAX_INFLIGHT'];
  const env: Record<string, string> =
    maxInflight === undefined ? {} : { GATEWAY_MAX_INFLIGHT: maxInflight };
  const factor = knob('BENCH_OVERLOAD_FACTOR', 2);

  process.stderr.write('bench: overload\n');
  const overloadDir = join(dataRoot, 'overload');
  const first = await warmGateway(
    overloadDir,
    env,
    knownPeakPerSec === undefined ? knob('BENCH_OVERLOAD_PEAK_MS', 5000) : 1000,
  );
  const peakPerSec = knownPeakPerSec ?? first.peakPerSec;
  const overloadRate = peakPerSec * factor;
  let overload: OpenLoopResult;
  try {
    overload = await openLoop(
      first.gateway,
      overloadDir,
      overloadRate,
      knob('BENCH_OVERLOAD_MS', 20_000),
    );
  } finally {
    await first.gateway.stop();
  }

  const overloadRss = overload.rssMB.map(([, mb]) => mb);
  const soak = await soakAtPeak(join(dataRoot, 'soak'), env, peakPerSec);
  return {
    overload: {
      offeredPerSec: overload.sent / overload.seconds,
      acceptedPerSec: overload.created / overload.answeredSeconds,
      shedPerSec: overload.shed / overload.answeredSeconds,
      p99AcceptedMs: overload.p99CreatedMs,
      rssStartMB: overloadRss[0] ?? NaN,
      rssEndMB: overloadRss.at(-1) ?? NaN,
      rssMaxMB: Math.max(...overloadRss.filter(Number.isFinite)),
    },
    soak: soak.figures,
    details: {
      peakPerSec,
      peakFrom: knownPeakPerSec === undefined ? 'warm-up' : 'throughput round',
      maxInflight: maxInflight ?? 'default',
      overload: details(overloadRate, overload),
      soak: soak.details,
    },
  };
}

/**
 * The mean of `samples` (seconds, MB) over the first and the last `minute` seconds of `seconds`,
 * and their least-squares slope in MB per minute.
 */
function trend(samples: readonly (readonly [number, number])[], seconds: number, minute: number) {
  const over = (from: number, to: number) =>
    mean(samples.filter(([t]) => t >= from && t <= to).map(([, mb]) => mb));
  return {
    first: over(0, minute),
    last: over(seconds - minute, Infinity),
    slope: slope(samples.map(([t, mb]) => [t / 60, mb])),
  };
}

/** The soak round on a fresh gateway of its own, which reports its collections (gc-trace.ts). */
async function soakAtPeak(
  dir: string,
  env: Record<string, string>,
  peakPerSec: number,
): Promise<{ figures: SoakFigures; details: OverloadRounds['details']['soak'] }> {
  process.stderr.write('bench: soak at the peak\n');
  const { gateway } = await warmGateway(dir, env, 1000, { traceGc: true });
  let soak: OpenLoopResult;
  let fullGcs: readonly FullGc[];
  // The collections are timed by this process's clock, the RSS samples by the load generator's
  // (which starts sending a moment later): each series is cut into minutes by its own.
  let gcSeconds: number;
  const startedAt = Date.now();
  try {
    soak = await openLoop(gateway, dir, peakPerSec, knob('BENCH_SOAK_MS', 60_000));
    // Taken before the stop: collections while the process shuts down are not the soak's.
    fullGcs = gateway.fullGcs();
    gcSeconds = (Date.now() - startedAt) / 1000;
  } finally {
    await gateway.stop();
  }
  const seconds = soak.seconds;
  const minute = Math.min(60, seconds / 2);
  const rss = soak.rssMB.filter(([, mb]) => Number.isFinite(mb));
  const gcs = fullGcs
    .map(({ atMs, liveMB }) => [(atMs - startedAt) / 1000, liveMB] as const)
    .filter(([t]) => t >= 0);
  const rssTrend = trend(rss, seconds, minute);
  const liveTrend = trend(gcs, gcSeconds, minute);
  return {
    figures: {
      seconds,
      rssFirstMinuteMB: rssTrend.first,
      rssLastMinuteMB: rssTrend.last,
      rssSlopeMBPerMin: rssTrend.slope,
      fullGcs: gcs.length,
      liveHeapFirstMinuteMB: liveTrend.first,
      liveHeapLastMinuteMB: liveTrend.last,
      liveHeapSlopeMBPerMin: liveTrend.slope,
    },
    details: {
      ...details(peakPerSec, soak),
      minuteSeconds: minute,
      rssMaxMB: Math.max(...rss.map(([, mb]) => mb)),
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = tempDir('cgw-bench-overload-');
  const peak = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  try {
    process.stdout.write(`${JSON.stringify(await measureOverload(dir.path, peak))}\n`);
  } finally {
    await stopAllGateways();
    dir.remove();
  }
}
