/**
 * The load generator, run as its own process (`node --import tsx bench/load.ts '<json>'`), so the
 * gateway's event loop does no client work. Every request is made before the window it is sent
 * in: assertions, signed messages and bodies are prepared in batches while no load runs.
 *
 * 1. Closed loop: `concurrency` clients each send their next request when the last one answered,
 *    `warmupMs` not counted, then `measureMs` counted: the peak rate.
 * 2. Open loop at half that peak: requests leave on a fixed schedule whatever the answers, and
 *    latency counts from the scheduled time (no coordinated omission): p50 and p99.
 *
 * Prints one JSON line (see {@link LoadResult}) on stdout; progress on stderr.
 */
import { Agent, request } from 'node:http';
import { prepare, requestMaker, type PreparedRequest } from './exchange-request.ts';

export interface LoadConfig {
  readonly baseUrl: string;
  /** Several instances behind one address, as a load balancer sends: round robin over these. */
  readonly baseUrls?: readonly string[];
  readonly dataDir: string;
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly pacedWarmupMs: number;
  readonly pacedMs: number;
}

export interface LoadResult {
  readonly exchangesPerSec: number;
  readonly accepted: number;
  readonly otherStatuses: Record<string, number>;
  readonly pacedRatePerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly pacedSent: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
const urls = (config.baseUrls ?? [config.baseUrl]).map((base) => new URL(base));
let sent = 0;
const agent = new Agent({ keepAlive: true, maxSockets: 512 });
const make = requestMaker(config.dataDir);
const log = (text: string) => process.stderr.write(`load: ${text}\n`);

/** Sends one prepared request; answers its status (0 when the connection failed). */
function send(prepared: PreparedRequest): Promise<number> {
  const url = urls[sent++ % urls.length] ?? new URL(config.baseUrl);
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: '/v1/exchanges',
        method: 'POST',
        headers: prepared.headers,
        agent,
      },
      (res) => {
        res
          .on('data', () => undefined)
          .on('end', () => {
            resolve(res.statusCode ?? 0);
          });
      },
    );
    req.on('error', () => {
      resolve(0);
    });
    req.end(prepared.body);
  });
}

interface Window {
  accepted: number;
  others: Record<string, number>;
  seconds: number;
  exhausted: boolean;
}

/** Closed loop over `pool` for `ms`, or until the pool is used up. */
async function closedLoop(pool: PreparedRequest[], ms: number): Promise<Window> {
  const window: Window = { accepted: 0, others: {}, seconds: 0, exhausted: false };
  const end = performance.now() + ms;
  let next = 0;
  const client = async () => {
    while (performance.now() < end) {
      const prepared = pool[next++];
      if (prepared === undefined) {
        window.exhausted = true;
        return;
      }
      const status = await send(prepared);
      if (status === 201) window.accepted++;
      else window.others[status] = (window.others[status] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: config.concurrency }, client));
  window.seconds = (performance.now() - started) / 1000;
  return window;
}

/** Warm-up in rounds of fresh requests; answers the rate it saw, to size the measured pool. */
async function warmUp(): Promise<number> {
  let accepted = 0;
  let seconds = 0;
  while (seconds * 1000 < config.warmupMs) {
    const pool = await prepare(make, Math.max(500, Math.ceil((accepted / (seconds || 1)) * 3)));
    const window = await closedLoop(pool, config.warmupMs - seconds * 1000);
    accepted += window.accepted;
    seconds += window.seconds;
  }
  return accepted / seconds;
}

async function peak(warmRate: number): Promise<Window> {
  // Room for a peak twice the warm-up's; the window ends early (and says so) if that runs out.
  const pool = await prepare(
    make,
    Math.ceil(Math.max(warmRate, 50) * 2 * (config.measureMs / 1000)) + 200,
  );
  log(`measuring ${String(config.measureMs)} ms with ${String(pool.length)} prepared requests`);
  return closedLoop(pool, config.measureMs);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Open loop at `rate` per second; latencies of the requests scheduled after the warm-up. */
async function paced(rate: number): Promise<number[]> {
  const total = Math.ceil((rate * (config.pacedWarmupMs + config.pacedMs)) / 1000);
  const pool = await prepare(make, total);
  const counted = Math.floor((rate * config.pacedWarmupMs) / 1000);
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now() + 50;
  for (let i = 0; i < pool.length; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const prepared = pool[i];
    if (prepared === undefined) break;
    pending.push(
      send(prepared).then((status) => {
        if (i >= counted) latencies.push(status === 201 ? performance.now() - due : Infinity);
      }),
    );
  }
  await Promise.all(pending);
  return latencies.sort((a, b) => a - b);
}

log(`warming up ${String(config.warmupMs)} ms, ${String(config.concurrency)} clients`);
const warmRate = await warmUp();
const window = await peak(warmRate);
if (window.exhausted) log('the prepared requests ran out: the window ended early');
const peakRate = window.accepted / window.seconds;
const pacedRate = Math.max(1, peakRate / 2);
log(`peak ${peakRate.toFixed(0)}/s; open loop at ${pacedRate.toFixed(0)}/s`);
const latencies = await paced(pacedRate);
agent.destroy();
const result: LoadResult = {
  exchangesPerSec: peakRate,
  accepted: window.accepted,
  otherStatuses: window.others,
  pacedRatePerSec: pacedRate,
  p50Ms: percentile(latencies, 50),
  p99Ms: percentile(latencies, 99),
  pacedSent: latencies.length,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
