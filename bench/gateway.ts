/**
 * Real gateway processes for the bench: what `npm start` runs (`SERVER_ARGS`), on its embedded
 * SQLite file in a data dir of the bench's choosing. Every process started here is tracked, so
 * {@link stopAllGateways} ends them all, also after a failure or a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort, projectRoot, SERVER_ARGS } from '../test/support/process.ts';
import { watchFullGcs, type FullGc } from './gc-trace.ts';

export const PUBLIC_URL = 'http://gateway.bench';
const START_TIMEOUT_MS = 90_000;

export interface GatewayInstance {
  readonly baseUrl: string;
  readonly pid: number;
  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMB(): number;
  /** The event loop's full collections so far; empty unless started with `traceGc`. */
  fullGcs(): readonly FullGc[];
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash; resolves once the process is gone. */
  kill(): Promise<void>;
}

const running = new Set<GatewayInstance>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function peakRssMB(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) / 1024;
}

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
}

/**
 * Starts the gateway on `dataDir` with logging off and the rate limit out of the way (the bench
 * measures the gateway's work, not its limit); ready once `GET /health` answers 200. `traceGc`
 * adds V8's `--trace-gc` (a line per collection on stdout, which is otherwise silent) and reads it.
 */
export async function startGateway(
  dataDir: string,
  masterKey: string,
  env: Record<string, string> = {},
  options: { readonly traceGc?: boolean } = {},
): Promise<GatewayInstance> {
  const port = await freePort();
  const traceGc = options.traceGc === true;
  const child = spawn(process.execPath, [...(traceGc ? ['--trace-gc'] : []), ...SERVER_ARGS], {
    cwd: projectRoot,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
      GATEWAY_PUBLIC_URL: PUBLIC_URL,
      GATEWAY_RATE_LIMIT: '1000000/s,burst=1000000',
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_MASTER_KEY: masterKey,
      ...env,
    },
    stdio: ['ignore', traceGc ? 'pipe' : 'ignore', 'pipe'],
  });
  const gcs = child.stdout ? watchFullGcs(child.stdout) : undefined;
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const instance: GatewayInstance = {
    baseUrl: `http://127.0.0.1:${String(port)}`,
    pid: child.pid ?? -1,
    peakRssMB: () => peakRssMB(child.pid ?? -1),
    fullGcs: () => gcs?.eventLoop() ?? [],
    async stop() {
      if (!gone()) child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await ended(child);
      clearTimeout(kill);
      running.delete(instance);
    },
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await ended(child);
      running.delete(instance);
    },
  };
  running.add(instance);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!gone() && Date.now() < deadline) {
    try {
      const res = await fetch(`${instance.baseUrl}/health`);
      await res.arrayBuffer();
      if (res.status === 200) return instance;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  await instance.stop();
  throw new Error(`gateway on ${instance.baseUrl} did not answer /health:\n${stderr}`);
}

/** Stops every gateway this process started and has not stopped yet. */
export async function stopAllGateways(): Promise<void> {
  await Promise.all([...running].map((gw) => gw.stop()));
}
