/**
 * The Node entry: reads the configuration once, opens storage (SQLite, or PostgreSQL when
 * GATEWAY_DATABASE_URL is set), builds the app and serves it until SIGTERM or SIGINT. Everything
 * runtime-specific lives here and in `node-*.ts`.
 */
import 'reflect-metadata';
import { getConnInfo } from '@hono/node-server/conninfo';
import { systemClock } from '../core/index.ts';
import { checkMasterKey, isKeyUnwrapError, useJoseEngine } from '../certs/index.ts';
import { isGatewayError } from '../core/index.ts';
import { DEFAULT_POLICY, loadPolicySet, type PolicySet } from '../policies/index.ts';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadMasterKey,
  MASTER_KEY_FILE,
  MASTER_KEY_WARNING,
  type LoadedMasterKey,
} from '../storage/master-key-file.ts';
import { openStorage, type OpenedStorage } from '../storage/open.ts';
import { DEMO_TENANT, portalProfileState } from '../tenants/index.ts';
import { createApp } from './app.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { backgroundJobs, JOB_INTERVALS_MS } from './jobs.ts';
import { prometheusMetrics } from './metrics/node-prometheus.ts';
import { clientAddressOf } from './client-address.ts';
import { eidConfigFrom, readConfig, readMasterKeyFile } from './config.ts';
import { createEidProvider, type EidProvider } from './portal/eid.ts';
import { portalNotReadyLine } from './portal/legal/profile-notice.ts';
import { createLogger, droppingDestination } from './logging.ts';
import { completeDemoProfile, seedDemoTenant } from './node-demo.ts';
import { nodeDocsAssets } from './node-docs-assets.ts';
import { useNodeCrypto } from './node-crypto.ts';
import { threadJoseEngine } from './node-jose-thread.ts';
import { oneRequestPerTurn } from './node-turns.ts';
import { startNodeServer } from './node-server.ts';
import { gatewayVersion } from './version.ts';

useNodeCrypto();
// The server's JOSE work goes to a thread of its own, so both cores serve exchanges.
useJoseEngine(threadJoseEngine());

function fail(line: string): never {
  process.stderr.write(`consent-gateway: ${line}\n`);
  process.exit(1);
}

const result = readConfig(process.env);
if (!result.ok) {
  for (const line of result.problems.slice(1)) process.stderr.write(`consent-gateway: ${line}\n`);
  fail(result.problems[0] ?? 'invalid configuration');
}
const config = result.config;
// Never blocks on a stalled stdout reader: lines it cannot take are dropped and counted.
const logDestination = droppingDestination();
const logger = createLogger({ level: config.logLevel, destination: logDestination });

// The policy is checked before anything else is opened: a bad file stops start-up with its reasons.
let policy: PolicySet;
try {
  const source: unknown =
    config.policyFile === undefined
      ? DEFAULT_POLICY
      : JSON.parse(readFileSync(config.policyFile, 'utf8'));
  policy = await loadPolicySet(source);
} catch (error) {
  const reasons = isGatewayError(error)
    ? (error.errors ?? []).map((issue) => `${issue.path}: ${issue.message}`).join('; ')
    : error instanceof Error
      ? error.message
      : String(error);
  fail(`invalid policy ${config.policyFile ?? '(default)'}: ${reasons}`);
}

// The eID key file is read now too: a missing or wrong key stops start-up, not the first sign-in.
let eid: EidProvider | undefined;
try {
  eid =
    config.eid &&
    createEidProvider(await eidConfigFrom(config.eid, (path) => readFile(path, 'utf8')));
} catch (error) {
  fail(
    `invalid eID sign-in configuration: ${error instanceof Error ? error.message : String(error)}`,
  );
}

// A master key file (GATEWAY_MASTER_KEY_FILE, e.g. a systemd credential) is read now as well.
let masterKeyText = config.masterKey;
if (config.masterKeyFile !== undefined) {
  try {
    masterKeyText = await readMasterKeyFile(config.masterKeyFile, (path) => readFile(path, 'utf8'));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

// One gateway per data dir, taken before storage opens (migrations, the demo tenant). The lock is
// held for the life of the process; the OS drops it however the process ends. Instances on
// PostgreSQL share the database, not a data dir, and need no such lock.
let dataDirLock: DataDirLock | undefined;
if (config.databaseUrl === undefined) {
  try {
    dataDirLock = lockDataDir(config.dataDir);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

let opened: OpenedStorage;
try {
  opened = await openStorage({ ...config, groupCommit: true });
} catch (error) {
  fail(
    `cannot open storage ${config.databaseUrl === undefined ? `in ${config.dataDir}` : 'on PostgreSQL'}: ${error instanceof Error ? error.message : String(error)}`,
  );
}
const { storage } = opened;

let masterKey: CryptoKey;
let masterKeySource: LoadedMasterKey['source'];
try {
  // A key file is made only for a data dir without tenants: beside existing keys it would be wrong.
  const fresh = (await storage.tenants.list()).length === 0;
  const master = await loadMasterKey(config.dataDir, masterKeyText, { create: fresh });
  if (master.source !== 'env') logger.warn({ source: master.source }, MASTER_KEY_WARNING);
  masterKey = master.key;
  masterKeySource = master.source;
} catch (error) {
  await opened.close();
  fail(`cannot load the master key: ${error instanceof Error ? error.message : String(error)}`);
}

// A wrong master key stops start-up here, rather than answering 500 to the first grant.
try {
  await checkMasterKey({ pki: storage.pki, masterKey });
} catch (error) {
  await opened.close();
  const key =
    masterKeySource !== 'env'
      ? join(config.dataDir, MASTER_KEY_FILE)
      : config.masterKeyFile === undefined
        ? 'GATEWAY_MASTER_KEY'
        : `GATEWAY_MASTER_KEY_FILE (${config.masterKeyFile})`;
  fail(
    isKeyUnwrapError(error) && error.reason === 'wrong_master_key'
      ? `the master key does not open the keys in ${config.dataDir} (tenant ${error.tenantId ?? '?'}): ${key} is not the key they were wrapped with`
      : `the keys in ${config.dataDir} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
  );
}

if ((await storage.tenants.list()).length === 0) {
  if (config.production) {
    await opened.close();
    fail(
      'no tenant: in production (GATEWAY_ENV=production) no demo tenant is made; create yours with: ' +
        'consent-gateway init --tenant ID --name NAME',
    );
  }
  try {
    await seedDemo();
  } catch (error) {
    // Instances starting together on one empty database: one of them seeds, the others go on.
    if (!isGatewayError(error) || error.code !== 'conflict') throw error;
    logger.info('another instance created the demo tenant');
  }
}

// An official site names its operator, controller and contacts: in production the portal is not
// served without them. Elsewhere the demo tenant of an older data dir gets its made-up profile.
if (config.production) {
  const profile = await portalProfileState(storage.tenants, config.portalTenant);
  if (profile.state !== 'complete') {
    await opened.close();
    fail(portalNotReadyLine(profile));
  }
} else {
  await completeDemoProfile(storage.tenants);
}

async function seedDemo(): Promise<void> {
  const demoDir = await seedDemoTenant(storage, masterKey, config.dataDir);
  logger.info({ tenant: DEMO_TENANT.id }, 'empty data dir: created the demo tenant with its keys');
  logger.warn(
    { dir: demoDir },
    'demo agencies registered; their private keys are in the data dir (demo only)',
  );
}

// Metrics only where an operator asked for them, by setting their token.
const metrics =
  config.metricsToken === undefined ? undefined : prometheusMetrics({ token: config.metricsToken });

const app = createApp({
  config: { publicUrl: config.publicUrl, bodyLimit: config.bodyLimit, version: gatewayVersion },
  clock: systemClock,
  logger,
  storage,
  keys: { masterKey },
  docsAssets: nodeDocsAssets(),
  policy,
  rateLimits: config.rateLimits,
  maxInflight: config.maxInflight,
  waitForTurn: oneRequestPerTurn(),
  monitoringRule: config.monitoringRule,
  ...(eid === undefined ? {} : { eid }),
  ...(metrics === undefined ? {} : { metrics }),
  // The start was refused above while the profile is incomplete; the gate keeps the portal shut
  // should the portal tenant ever change under a running process, as it does at the edge.
  production: config.production === true,
  ...(config.portalTenant === undefined ? {} : { portalTenant: config.portalTenant }),
  // The socket's peer, or behind a proxy named in GATEWAY_TRUSTED_PROXIES the client it saw.
  clientAddress: (c) =>
    clientAddressOf(
      getConnInfo(c).remote.address,
      c.req.header('X-Forwarded-For'),
      config.trustedProxies,
    ),
});

let server;
try {
  server = await startNodeServer({
    fetch: app.fetch,
    port: config.port,
    host: config.host,
    logger,
  });
} catch (error) {
  await opened.close();
  const code = (error as NodeJS.ErrnoException).code;
  fail(
    code === 'EADDRINUSE'
      ? `port ${config.port} on ${config.host} is in use (set PORT)`
      : `cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`,
  );
}
const running = server;

// Ends brought by time become versions within a minute (checks do not wait for this); webhook
// notifications are retried with backoff, and a failing agency endpoint never blocks anything.
const jobDeps = { storage, clock: systemClock, masterKey, fetch };
const jobs = backgroundJobs({
  ...jobDeps,
  logger,
  ...(metrics === undefined ? {} : { observer: metrics }),
});
void jobs.sweep();
const sweeper = setInterval(() => void jobs.sweep(), JOB_INTERVALS_MS.sweep);
sweeper.unref();
const notifier = setInterval(() => void jobs.notify(), JOB_INTERVALS_MS.notify);
notifier.unref();

/** Logs if it can: a closed stdout (the parent went away) must not stop the shutdown. */
function note(message: string, fields: Record<string, unknown> = {}): void {
  try {
    logger.info(fields, message);
  } catch {
    // nowhere left to write to
  }
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) {
    // A second signal means "now": skip the grace period.
    process.exit(1);
  }
  stopping = true;
  note('shutting down: finishing in-flight requests', { signal });
  clearInterval(sweeper);
  clearInterval(notifier);
  try {
    await running.shutdown();
  } finally {
    await opened.close();
    dataDirLock?.release();
    const dropped = logDestination.dropped();
    note('stopped', { droppedLogLines: dropped });
    // Said on stderr too: when stdout's reader stalled, the line above is likely dropped as well.
    if (dropped > 0) {
      process.stderr.write(
        `consent-gateway: log lines dropped: ${dropped} (stdout was not read)\n`,
      );
    }
    process.exit(0);
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
// A reader that went away (a closed pipe) is not a reason to crash mid-request.
process.stdout.on('error', () => undefined);

// Said last, once the signal handlers are in place: whoever waits for this line may stop us at once.
logger.info(
  {
    port: running.port,
    host: config.host,
    publicUrl: config.publicUrl,
    version: gatewayVersion,
    policy: `${policy.version} ${policy.hash}`,
  },
  'gateway listening',
);
