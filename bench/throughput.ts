/**
 * Exchanges per second end to end: one gateway process on its embedded SQLite, the load from
 * another process (`load.ts`), and the crypto floor measured on the same machine in the same run,
 * while the gateway idles. jose's floor is measured just before and just after the HTTP rounds and
 * the two averaged: on a shared machine its speed moves while the HTTP rounds run (984 and 1449/s
 * in two runs a quarter of an hour apart), and a single floor moved the ratio with it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { projectRoot } from '../test/support/process.ts';
import { measureCryptoFloor, type CryptoFloor } from './crypto-floor.ts';
import { grantConsent } from './exchange-request.ts';
import { startGateway } from './gateway.ts';
import type { LoadConfig, LoadResult, OpenLoopConfig, OpenLoopResult } from './load.ts';

export interface Throughput {
  readonly load: LoadResult;
  /** With jose (the floor the ratio is taken against): the mean of `floorRuns`. */
  readonly floor: CryptoFloor;
  /** jose's floor before and after the HTTP rounds. */
  readonly floorRuns: readonly [number, number];
  /** With the `node:crypto` engine the Node gateway runs with. */
  readonly nodeFloor: CryptoFloor;
  readonly rssMB: number;
  readonly settings: LoadConfig;
}

const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** Runs `bench/load.ts` with `config`; answers the JSON it prints last. */
export function runLoad(config: LoadConfig): Promise<LoadResult>;
export function runLoad(config: OpenLoopConfig): Promise<OpenLoopResult>;
export function runLoad(config: LoadConfig | OpenLoopConfig): Promise<LoadResult | OpenLoopResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/load.ts', JSON.stringify(config)],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{'))
        resolve(JSON.parse(last) as LoadResult | OpenLoopResult);
      else reject(new Error(`load generator exited with ${String(code)}: ${out}`));
    });
  });
}

/** The peak and paced rounds against one fresh gateway, and the crypto floor beside it. */
export async function measureThroughput(dataRoot: string): Promise<Throughput> {
  const dataDir = join(dataRoot, 'throughput');
  const gateway = await startGateway(dataDir, randomBytes(32).toString('hex'));
  try {
    await grantConsent(dataDir, gateway.baseUrl);
    process.stderr.write('bench: crypto floor\n');
    const floorOf = (engine: 'jose' | 'node') =>
      measureCryptoFloor({
        dataDir,
        warmupMs: knob('BENCH_FLOOR_WARMUP_MS', 3000),
        measureMs: knob('BENCH_FLOOR_MS', 10_000),
        engine,
      });
    const before = await floorOf('jose');
    const nodeFloor = await floorOf('node');
    process.stderr.write('bench: exchanges over HTTP\n');
    const settings = {
      baseUrl: gateway.baseUrl,
      dataDir,
      concurrency: knob('BENCH_CONCURRENCY', 32),
      warmupMs: knob('BENCH_WARMUP_MS', 10_000),
      measureMs: knob('BENCH_MEASURE_MS', 20_000),
      pacedWarmupMs: knob('BENCH_PACED_WARMUP_MS', 5000),
      pacedMs: knob('BENCH_PACED_MS', 20_000),
    };
    const load = await runLoad(settings);
    const rssMB = gateway.peakRssMB();
    process.stderr.write('bench: crypto floor again\n');
    const after = await floorOf('jose');
    return {
      load,
      floor: { ...after, perSec: (before.perSec + after.perSec) / 2 },
      floorRuns: [before.perSec, after.perSec],
      nodeFloor,
      rssMB,
      settings,
    };
  } finally {
    await gateway.stop();
  }
}
