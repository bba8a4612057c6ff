/**
 * The Workers entry: reads bindings and secrets, builds the same app the Node entry builds, on D1
 * with each tenant's audit appends ordered by its Durable Object, and runs the background jobs on
 * cron triggers. Everything workerd-specific lives here and in `worker-*.ts`.
 */
import 'reflect-metadata';
import { checkMasterKey, importMasterKey, parseMasterKey } from '../certs/index.ts';
import { systemClock } from '../core/index.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../policies/index.ts';
import type { D1Database } from '../storage/d1/d1.ts';
import { openD1Storage } from '../storage/d1/storage.ts';
import type { ExecutionContext } from 'hono';
import { createApp, type GatewayApp } from './app.ts';
import { eidConfigFrom, readConfig } from './config.ts';
import { backgroundJobs, type BackgroundJobs } from './jobs.ts';
import { createLogger } from './logging.ts';
import { createEidProvider } from './portal/eid.ts';
import { gatewayVersion } from './version.ts';
import { workerDocsAssets, type AssetsBinding } from './worker-docs-assets.ts';
import { sequencedBy, type SequencerNamespace } from './worker-sequencer.ts';

export { AuditSequencer } from './worker-sequencer.ts';

/** Bindings (wrangler.toml), variables and secrets (`wrangler secret put`). */
export interface WorkerEnv {
  readonly DB: D1Database;
  readonly AUDIT_SEQUENCER: SequencerNamespace;
  readonly DOCS_ASSETS: AssetsBinding;
  /** Secret: wraps every private key at rest. There is no key file at the edge. */
  readonly GATEWAY_MASTER_KEY?: string;
  /** Secret: the eID client's private key (PEM) for private_key_jwt; GATEWAY_OIDC_PRIVATE_KEY_FILE must still be set (to any name) to choose that method. */
  readonly GATEWAY_OIDC_PRIVATE_KEY?: string;
  readonly [name: string]: unknown;
}

interface Gateway {
  readonly app: GatewayApp;
  readonly jobs: BackgroundJobs;
}

/** Built once per isolate, on its first request or cron event; a failed build is tried again. */
let gateway: Promise<Gateway> | undefined;

function gatewayFor(env: WorkerEnv): Promise<Gateway> {
  gateway ??= build(env).catch((error: unknown) => {
    gateway = undefined;
    throw error;
  });
  return gateway;
}

async function build(env: WorkerEnv): Promise<Gateway> {
  const variables = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  const result = readConfig(variables);
  if (!result.ok) throw new Error(`invalid configuration: ${result.problems.join('; ')}`);
  const config = result.config;
  if (config.masterKey === undefined) {
    throw new Error('GATEWAY_MASTER_KEY is missing: set it with `wrangler secret put`');
  }
  if (config.policyFile !== undefined) {
    throw new Error('GATEWAY_POLICY_FILE names a file, and the edge has none: unset it');
  }
  const logger = createLogger({ level: config.logLevel, destination: 'console' });
  const d1 = openD1Storage(env.DB);
  const storage = { ...d1, audit: sequencedBy(env.AUDIT_SEQUENCER, d1.audit) };
  const masterKey = await importMasterKey(parseMasterKey(config.masterKey));
  await checkMasterKey({ pki: storage.pki, masterKey });
  const eid =
    config.eid &&
    createEidProvider(
      await eidConfigFrom(config.eid, () =>
        env.GATEWAY_OIDC_PRIVATE_KEY === undefined
          ? Promise.reject(new Error('GATEWAY_OIDC_PRIVATE_KEY is missing'))
          : Promise.resolve(env.GATEWAY_OIDC_PRIVATE_KEY),
      ),
    );
  const app = createApp({
    config: { publicUrl: config.publicUrl, bodyLimit: config.bodyLimit, version: gatewayVersion },
    clock: systemClock,
    logger,
    storage,
    keys: { masterKey },
    docsAssets: workerDocsAssets(env.DOCS_ASSETS),
    policy: await loadPolicySet(DEFAULT_POLICY),
    rateLimits: config.rateLimits,
    maxInflight: config.maxInflight,
    monitoringRule: config.monitoringRule,
    ...(eid === undefined ? {} : { eid }),
    // A Worker cannot refuse to start as the Node entry does: its portal stays closed instead.
    production: config.production === true,
    ...(config.portalTenant === undefined ? {} : { portalTenant: config.portalTenant }),
    // Cloudflare's edge sets it; nothing in front of it can.
    clientAddress: (c) => c.req.header('CF-Connecting-IP'),
  });
  const jobs = backgroundJobs({ storage, clock: systemClock, masterKey, logger, fetch });
  return { app, jobs };
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const { app } = await gatewayFor(env);
    return app.fetch(request, env, ctx);
  },

  /** Cron triggers (wrangler.toml): every minute the sweep and the webhook deliveries. */
  async scheduled(_event: unknown, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const { jobs } = await gatewayFor(env);
    ctx.waitUntil(Promise.all([jobs.sweep(), jobs.notify()]));
  },
};
