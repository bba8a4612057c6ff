/**
 * The load generator, run as its own process (`node --import tsx bench/load.ts '<json>'`), so the
 * gateway's event loop does no client work. Every request is made before the window it is sent
 * in: assertions, signed messages and bodies are prepared in batches while no load runs.
 *
 * 1. Closed loop: `concurrency` clients each send their next request when the last one answered,
 *    `warmupMs` not counted, then `measureMs` counted: the peak rate.
 * 2. Open loop at half that peak: requests leave on a fixed schedule whatever the answers, and
 *    latency counts from the scheduled time (no coordinated omission): p50 and p99. `pacedMs: 0`
 *    skips it.
 *
 * Prints one JSON line (see {@link LoadResult}) on stdout; progress on stderr.
 *
 * With `mode: 'open-loop'` ({@link OpenLoopConfig}) it runs one open loop at a given rate for a
 * given time instead, counting 201, 503 `overloaded` and other answers, and samples the gateway's
 * RSS every second while it runs ({@link OpenLoopResult}). Up to a minute's requests are made
 * before the first is sent; longer runs make them in chunks of 10 s while the previous chunk is
 * sent, as client assertions live 2 minutes.
 */
import { readFileSync } from 'node:fs';
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

/** One open loop: `ratePerSec` requests a second for `ms`, as scheduled, whatever the answers. */
export interface OpenLoopConfig {
  readonly mode: 'open-loop';
  readonly baseUrl: string;
  readonly dataDir: string;
  readonly ratePerSec: number;
  readonly ms: number;
  /** The gateway process whose RssAnon is sampled every second from the first send to the last answer. */
  readonly rssPid: number;
}

export interface OpenLoopResult {
  readonly sent: number;
  /** From the first scheduled send to the last actual one, plus one interval. */
  readonly seconds: number;
  /** From the first scheduled send to the last answer. */
  readonly answeredSeconds: number;
  readonly created: number;
  /** 503 with code `overloaded`. */
  readonly shed: number;
  readonly otherStatuses: Record<string, number>;
  /** Latencies of the 201s, from the scheduled time. */
  readonly p50CreatedMs: number;
  readonly p99CreatedMs: number;
  /** How late the client sent its latest request against the schedule (its own bottleneck). */
  readonly maxSendLagMs: number;
  /** [seconds since the first send, MB] every second, the first before any send. */
  readonly rssMB: readonly (readonly [number, number])[];
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

const given = JSON.parse(process.argv[2] ?? '{}') as LoadConfig | OpenLoopConfig;
const config = given as LoadConfig;
const urls = (('mode' in given ? undefined : given.baseUrls) ?? [given.baseUrl]).map(
  (base) => new URL(base),
);
let sent = 0;
const agent = new Agent({ keepAlive: true, maxSockets: 512 });
const make = requestMaker(config.dataDir);
const log = (text: string) => process.stderr.write(`load: ${text}\n`);

/** Sends one prepared request; answers its status (0 when the connection failed). */
async function send(prepared: PreparedRequest): Promise<number> {
  return (await exchange(prepared)).status;
}

/**
 * Sends one prepared request; answers its status and whether a 503 was `overloaded`. With
 * `timeoutMs`, a request without an answer by then counts as status 0.
 */
function exchange(
  prepared: PreparedRequest,
  timeoutMs?: number,
): Promise<{ status: number; overloaded: boolean }> {
  const url = urls[sent++ % urls.length] ?? new URL(given.baseUrl);
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
        const status = res.statusCode ?? 0;
        let body = '';
        res
          .on('data', (chunk: Buffer) => {
            if (status === 503) body += chunk.toString('utf8');
          })
          .on('end', () => {
            resolve({ status, overloaded: status === 503 && body.includes('"code":"overloaded"') });
          });
      },
    );
    req.on('error', () => {
      resolve({ status: 0, overloaded: false });
    });
    if (timeoutMs !== undefined) {
      req.setTimeout(timeoutMs, () => {
        req.destroy();
      });
    }
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

/**
 * The anonymous resident memory of `pid` in MB (RssAnon: heap, buffers, native allocations, what
 * a leak or a queue grows), NaN once it is gone. Not VmRSS: that also counts the pages of the
 * SQLite file the gateway reads through its memory map, which grow with the file, belong to the
 * OS's page cache and are given back under memory pressure.
 */
function rssMB(pid: number): number {
  try {
    const kb = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1];
    return kb === undefined ? NaN : Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

/** The requests of an open loop, made ahead of their turn (see the module comment). */
function supply(total: number, ratePerSec: number, ms: number) {
  const chunk = ms <= 60_000 ? total : Math.ceil(ratePerSec * 10);
  let made = 0;
  const next = () => {
    const count = Math.min(chunk, total - made);
    made += count;
    return prepare(make, count);
  };
  let upcoming = next();
  return async (): Promise<PreparedRequest[]> => {
    const batch = await upcoming;
    upcoming = made < total ? next() : Promise.resolve([]);
    return batch;
  };
}

async function openLoop(open: OpenLoopConfig): Promise<OpenLoopResult> {
  const total = Math.max(1, Math.round((open.ratePerSec * open.ms) / 1000));
  const nextBatch = supply(total, open.ratePerSec, open.ms);
  let batch = await nextBatch();
  let base = 0;
  const latencies: number[] = [];
  const others: Record<string, number> = {};
  let created = 0;
  let shed = 0;
  let maxSendLagMs = 0;
  const pending: Promise<void>[] = [];
  const rss: [number, number][] = [];
  const start = performance.now() + 50;
  const sample = () => rss.push([(performance.now() - start) / 1000, rssMB(open.rssPid)]);
  sample();
  const sampler = setInterval(sample, 1000);
  let lastSent = start;
  let lastAnswer = start;
  for (let i = 0; i < total; i++) {
    if (i - base >= batch.length) {
      base = i;
      batch = await nextBatch();
    }
    const prepared = batch[i - base];
    if (prepared === undefined) break;
    const due = start + (i * 1000) / open.ratePerSec;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    lastSent = performance.now();
    maxSendLagMs = Math.max(maxSendLagMs, lastSent - due);
    pending.push(
      // Bounded, so a gateway that stops answering cannot hold the bench forever.
      exchange(prepared, 30_000).then(({ status, overloaded }) => {
        lastAnswer = performance.now();
        if (status === 201) {
          created++;
          latencies.push(performance.now() - due);
        } else if (overloaded) shed++;
        else others[status] = (others[status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(pending);
  clearInterval(sampler);
  sample();
  latencies.sort((a, b) => a - b);
  return {
    sent: pending.length,
    seconds: (lastSent - start) / 1000 + 1 / open.ratePerSec,
    answeredSeconds: (lastAnswer - start) / 1000,
    created,
    shed,
    otherStatuses: others,
    p50CreatedMs: percentile(latencies, 50),
    p99CreatedMs: percentile(latencies, 99),
    maxSendLagMs,
    rssMB: rss,
  };
}

if ('mode' in given) {
  log(`open loop at ${given.ratePerSec.toFixed(0)}/s for ${String(given.ms)} ms`);
  const result = await openLoop(given);
  agent.destroy();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  log(`warming up ${String(config.warmupMs)} ms, ${String(config.concurrency)} clients`);
  const warmRate = await warmUp();
  const window = await peak(warmRate);
  if (window.exhausted) log('the prepared requests ran out: the window ended early');
  const peakRate = window.accepted / window.seconds;
  const pacedRate = Math.max(1, peakRate / 2);
  log(`peak ${peakRate.toFixed(0)}/s; open loop at ${pacedRate.toFixed(0)}/s`);
  const latencies = config.pacedMs > 0 ? await paced(pacedRate) : [];
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
}
