/**
 * The accepted exchange against real gateway processes (`gateway/node.ts`, what `npm start`
 * runs), as a deployment runs them: one on its embedded SQLite file, then one and three on a
 * throwaway PostgreSQL cluster (durable settings: fsync and synchronous commit on, as SQLite's
 * `synchronous=FULL`). Load goes round robin over the instances, as a load balancer would send
 * it. Every process and the cluster are stopped at the end, also when a scenario fails.
 *
 * BENCH_WARMUP_MS (default 3000) of load first, not counted; then BENCH_INSTANCE_DURATION_MS
 * (default 10000) measured, per scenario.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { demoAgency } from '../test/support/demo-agency.ts';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres.ts';
import { freePort, projectRoot } from '../test/support/process.ts';
import { tempDir } from '../test/support/temp.ts';
import { measure, type Scenario } from './measure.ts';

const WARMUP_MS = Number(process.env['BENCH_WARMUP_MS'] ?? 3000);
const DURATION_MS = Number(process.env['BENCH_INSTANCE_DURATION_MS'] ?? 10_000);
const PUBLIC_URL = 'http://gateway.bench';
const START_TIMEOUT_MS = 60_000;

interface GatewayInstance {
  readonly baseUrl: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `gateway/node.ts` with logging off and the rate limit out of the way (the bench measures
 * the gateway's work, not its limit); ready once `GET /health` answers 200. The process is added
 * to `spawned` at once, so an interruption while it starts stops it too.
 */
async function startInstance(
  env: Record<string, string>,
  spawned: GatewayInstance[],
): Promise<GatewayInstance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/node.ts'], {
    cwd: projectRoot,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
      GATEWAY_PUBLIC_URL: PUBLIC_URL,
      GATEWAY_RATE_LIMIT: '1000000/s,burst=1000000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (!gone()) child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const instance = { baseUrl, stop };
  spawned.push(instance);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!gone() && Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/health`);
      await res.arrayBuffer();
      if (res.status === 200) return instance;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`gateway on ${baseUrl} did not answer /health:\n${stderr}`);
}

/**
 * The same request mix as the in-process exchange scenario: a person grants jc-demo's request
 * first (through the first instance), then abh-demo sends one prepared body, each time with a
 * fresh client assertion and Idempotency-Key.
 */
async function exchangeScenario(name: string, dataDir: string, base: string): Promise<Scenario> {
  const abh = demoAgency(dataDir, 'abh-demo', PUBLIC_URL);
  const jc = demoAgency(dataDir, 'jc-demo', PUBLIC_URL);
  const subject = { scheme: 'azr', value: '123456789012' };
  const asked = await fetch(`${base}/v1/consent-requests`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await jc.token()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      subject,
      senders: ['abh-demo'],
      recipients: ['jc-demo'],
      purpose: 'labour_market_integration',
      categories: ['residence_status', 'employment_permission'],
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      language: 'de',
      secondFactor: { type: 'birthDate', value: '1990-01-31' },
    }),
  });
  if (asked.status !== 201) throw new Error(`consent request: ${await asked.text()}`);
  const created = (await asked.json()) as { id: string; code: string };
  const session = await fetch(`${base}/v1/portal/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: created.code, secondFactor: '1990-01-31' }),
  });
  const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  const granted = await fetch(`${base}/v1/portal/requests/${created.id}/grant`, {
    method: 'POST',
    headers: { Cookie: cookie },
  });
  if (granted.status !== 200) throw new Error(`grant: ${await granted.text()}`);
  const payload = await abh.sign({
    residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
    employmentPermission: { allowed: true },
  });
  const body = JSON.stringify({
    recipient: 'jc-demo',
    subject,
    purpose: 'labour_market_integration',
    messageType: 'residence_status.notice',
    payload,
  });
  return {
    name,
    path: '/v1/exchanges',
    expect: 201,
    init: async () => ({
      method: 'POST',
      body,
      headers: {
        Authorization: `Bearer ${await abh.token()}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': crypto.randomUUID(),
      },
    }),
  };
}

interface Deployment {
  readonly name: string;
  readonly instances: number;
  readonly postgres: boolean;
}

const deployments: readonly Deployment[] = [
  { name: 'accepted exchange on SQLite, 1 process', instances: 1, postgres: false },
  { name: 'accepted exchange on PostgreSQL, 1 instance', instances: 1, postgres: true },
  { name: 'accepted exchange on PostgreSQL, 3 instances', instances: 3, postgres: true },
];

/**
 * Runs the deployments whose name contains `only`, each on a fresh data dir (and a fresh
 * database), and prints one row each.
 */
export async function measureInstances(options: {
  only: string;
  concurrency: number;
}): Promise<void> {
  const chosen = deployments.filter((d) => d.name.includes(options.only));
  if (chosen.length === 0) return;
  const dir = tempDir('cgw-bench-instances-');
  const running: GatewayInstance[] = [];
  let postgres: TestPostgres | undefined;
  // Once, whether the end, a failure or a signal comes first.
  let tornDown: Promise<void> | undefined;
  const teardown = () =>
    (tornDown ??= (async () => {
      await Promise.all(running.splice(0).map((gw) => gw.stop()));
      postgres?.stop();
      dir.remove();
    })());
  const interrupted = (signal: NodeJS.Signals) => {
    void teardown().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    const masterKey = randomBytes(32).toString('hex');
    for (const [n, deployment] of chosen.entries()) {
      let databaseUrl: Record<string, string> = {};
      if (deployment.postgres) {
        postgres ??= await startTestPostgres({ durable: true });
        databaseUrl = { GATEWAY_DATABASE_URL: await postgres.createDatabase(`bench${n}`) };
      }
      const env = (i: number) => ({
        GATEWAY_DATA_DIR: join(dir.path, `${n}-${i}`),
        GATEWAY_MASTER_KEY: masterKey,
        ...databaseUrl,
      });
      // The first seeds the demo tenant and writes its agencies' keys; the others find it.
      await startInstance(env(0), running);
      const others = Array.from({ length: deployment.instances - 1 }, (_, i) => env(i + 1));
      await Promise.all(others.map((e) => startInstance(e, running)));
      const bases = running.map((gw) => gw.baseUrl);
      const scenario = await exchangeScenario(
        deployment.name,
        env(0).GATEWAY_DATA_DIR,
        bases[0] ?? '',
      );
      await measure(scenario, {
        bases,
        concurrency: options.concurrency,
        durationMs: DURATION_MS,
        warmupMs: WARMUP_MS,
      });
      await Promise.all(running.splice(0).map((gw) => gw.stop()));
    }
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await teardown();
  }
}
