/**
 * The load loop every HTTP scenario of `npm run bench` shares: a fixed number of concurrent
 * clients, each sending its next request as soon as the last one answered, for a fixed time.
 */

export interface Scenario {
  readonly name: string;
  /** The request, or a function making a fresh one each time (a new assertion, a new key). */
  readonly init: RequestInit | (() => Promise<RequestInit>);
  readonly path: string;
  readonly expect: number;
}

export interface LoadOptions {
  /** Base URLs of the gateways; requests go to them in turn (round robin), as a load balancer. */
  readonly bases: readonly string[];
  readonly concurrency: number;
  readonly durationMs: number;
  /** Load sent first and not counted: JIT, connection pools and caches warm up. */
  readonly warmupMs?: number;
}

/** Width of the scenario column of the printed table. */
export const NAME_WIDTH = 46;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs the load once; answers each request's latency in ms and how many got another status. */
async function load(
  scenario: Scenario,
  options: LoadOptions,
  durationMs: number,
): Promise<{ latencies: number[]; wrong: number; seconds: number }> {
  const latencies: number[] = [];
  let wrong = 0;
  let next = 0;
  const end = performance.now() + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const base = options.bases[next++ % options.bases.length] ?? '';
      // Made before the clock starts: signing the assertion is the client's work, not the gateway's.
      const init = typeof scenario.init === 'function' ? await scenario.init() : scenario.init;
      const started = performance.now();
      const res = await fetch(base + scenario.path, init);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      if (res.status !== scenario.expect) wrong++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { latencies, wrong, seconds: (performance.now() - started) / 1000 };
}

/** Measures one scenario and prints its row: requests per second, p50 and p99 latency. */
export async function measure(scenario: Scenario, options: LoadOptions): Promise<void> {
  if (options.warmupMs) await load(scenario, options, options.warmupMs);
  const { latencies, wrong, seconds } = await load(scenario, options, options.durationMs);
  latencies.sort((a, b) => a - b);
  const row = [
    scenario.name.padEnd(NAME_WIDTH),
    `${Math.round(latencies.length / seconds)} req/s`.padStart(12),
    `p50 ${percentile(latencies, 50).toFixed(2)} ms`.padStart(17),
    `p99 ${percentile(latencies, 99).toFixed(2)} ms`.padStart(17),
    wrong > 0 ? `  ${wrong} unexpected statuses` : '',
  ];
  process.stdout.write(row.join('') + '\n');
}
