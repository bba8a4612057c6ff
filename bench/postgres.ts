/**
 * The exchange on PostgreSQL, as several instances run it (issue 13): one and three real gateway
 * processes on a throwaway cluster (fsync and synchronous commit on, as SQLite's synchronous=FULL),
 * the load from another process, round robin over the instances as a load balancer would send it.
 * Shorter windows than the SQLite round (BENCH_PG_WARMUP_MS, BENCH_PG_MEASURE_MS): it compares
 * deployments, while the SQLite round is the one the crypto floor is held against.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startTestPostgres } from '../test/support/postgres.ts';
import { grantConsent } from './exchange-request.ts';
import { startGateway, type GatewayInstance } from './gateway.ts';
import { runLoad } from './throughput.ts';

const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** Exchanges per second with 1 and 3 instances; every process and the cluster are stopped. */
export async function measurePostgres(dataRoot: string): Promise<Record<string, number>> {
  const postgres = await startTestPostgres();
  const rates: Record<string, number> = {};
  try {
    for (const count of [1, 3]) {
      process.stderr.write(`bench: PostgreSQL, ${String(count)} instance(s)\n`);
      const url = await postgres.createDatabase(`bench${String(count)}`);
      const dataDir = join(dataRoot, `postgres-${String(count)}`);
      const masterKey = randomBytes(32).toString('hex');
      const env = { GATEWAY_DATABASE_URL: url };
      // The first seeds the demo tenant and writes the agencies' keys; the others find it there.
      const instances: GatewayInstance[] = [await startGateway(dataDir, masterKey, env)];
      try {
        for (let i = 1; i < count; i++) instances.push(await startGateway(dataDir, masterKey, env));
        const first = instances[0];
        if (first === undefined) throw new Error('no instance');
        await grantConsent(dataDir, first.baseUrl);
        const load = await runLoad({
          baseUrl: first.baseUrl,
          baseUrls: instances.map((gw) => gw.baseUrl),
          dataDir,
          concurrency: knob('BENCH_CONCURRENCY', 32),
          warmupMs: knob('BENCH_PG_WARMUP_MS', 5000),
          measureMs: knob('BENCH_PG_MEASURE_MS', 10_000),
          pacedWarmupMs: 0,
          pacedMs: 0,
        });
        rates[`instances${String(count)}`] = load.exchangesPerSec;
      } finally {
        await Promise.all(instances.map((gw) => gw.stop()));
      }
    }
  } finally {
    postgres.stop();
  }
  return rates;
}
