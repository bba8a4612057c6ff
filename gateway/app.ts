import { OpenAPIHono, type OpenAPIHonoOptions } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AuditStore } from '../audit/index.ts';
import type { ExchangeStore } from '../exchange/index.ts';
import type { PkiStore } from '../certs/index.ts';
import type { ConsentStore } from '../consent/index.ts';
import { GatewayError, type Clock } from '../core/index.ts';
import type { PolicySet } from '../policies/index.ts';
import type { TenantStore } from '../tenants/index.ts';
import { apiServices, registerConsentApi, registerDpoApi, registerExchangeApi } from './app-api.ts';
import { useGatewayMiddleware } from './app-middleware.ts';
import { registerMonitoring } from './app-monitoring.ts';
import { registerPortal } from './app-portal.ts';
import type { GatewayEnv } from './env.ts';
import { answerWrongMethods, onError, onNotFound } from './error-handler.ts';
import type { Logger } from './logging.ts';
import { registerMetricsRoute, storageGauges, type GatewayMetrics } from './metrics/index.ts';
import { jsonPointer } from './problem.ts';
import type { RateLimitPolicy, RateLimitStore, RouteClass } from './rate-limit/index.ts';
import { registerDocs, type DocsAssets } from './routes/docs.ts';
import { registerHealth } from './routes/health.ts';
import { registerReady } from './routes/ready.ts';
import { registerPolicyRoute } from './routes/policy.ts';
import { registerConnectorRoutes } from './routes/connectors.ts';
import type { EidProvider } from './portal/eid.ts';
import { registerWellKnown } from './routes/well-known.ts';

/** The storage ports the HTTP edge uses; each backend in `storage/` provides them. */
export interface GatewayStorage {
  readonly tenants: TenantStore;
  readonly pki: PkiStore;
  readonly consents: ConsentStore;
  readonly audit: AuditStore;
  readonly exchanges: ExchangeStore;
  /** Resolves when storage answers a query. */
  ping(): Promise<void>;
  /**
   * Storage that groups the flushes of its commits (embedded SQLite) resolves this once all it
   * committed is on stable storage; every answer waits for it (middleware/durable-answers.ts).
   */
  durable?(): Promise<void>;
}

/** What the gateway needs from outside; the entries for each runtime build and pass it. */
export interface GatewayDeps {
  readonly config: {
    /** Base URL agencies sign their assertions for; decides HSTS too. */
    readonly publicUrl: string;
    /** Largest request body in bytes. */
    readonly bodyLimit: number;
    readonly version: string;
  };
  readonly clock: Clock;
  readonly logger: Logger;
  readonly storage: GatewayStorage;
  readonly keys: {
    /** Unwraps every private key and secret at rest (AES-256-GCM, non-extractable). */
    readonly masterKey: CryptoKey;
  };
  readonly docsAssets: DocsAssets;
  /** The validated, sealed policy set in force. */
  readonly policy: PolicySet;
  /**
   * The client's network address as the runtime sees it (Node: the socket; Workers:
   * `CF-Connecting-IP`), for throttling failed portal sign-ins. Without it all clients share one
   * budget.
   */
  readonly clientAddress?: (c: Context<GatewayEnv>) => string | undefined;
  /** Failed portal sign-ins one address may make per window (default 10 per 15 minutes). */
  readonly signInThrottle?: { readonly limit: number; readonly windowMs: number };
  /**
   * Requests per principal and route class (send, mailbox, consent-requests, audit); a class not
   * named gets the default, 50 a second with bursts of 100.
   */
  readonly rateLimits?: Partial<Record<RouteClass, RateLimitPolicy>>;
  /** Where the rate-limit buckets live (default: this process's memory). */
  readonly rateLimitStore?: RateLimitStore;
  /**
   * Requests this process works on at once (default 64); past it, requests are answered 503
   * `overloaded` with `Retry-After` at once, `GET /health` excepted.
   */
  readonly maxInflight?: number;
  /** Where admitted requests wait for their turn to start (see `shedLoad`); default none. */
  readonly waitForTurn?: () => Promise<void>;
  /**
   * The identity-verified portal sign-in (OpenID Connect to an eID broker), where the deployment
   * configured one; without it only codes open the portal.
   */
  readonly eid?: EidProvider;
  /** How monitoring protects small counts (`suppress:3`, the default, or `round:5`). */
  readonly monitoringRule?: string;
  /**
   * Where request and exchange counts go, served on `GET /metrics` behind the metrics' own token.
   * Absent (the default, and always on workerd): `/metrics` is an unknown path.
   */
  readonly metrics?: GatewayMetrics;
  /**
   * GATEWAY_ENV=production: the portal's pages answer 503 `portal_not_ready` while there is no
   * tenant or the portal tenant's profile lacks a required field (see `portalProfileGate`).
   */
  readonly production?: boolean;
  /** The tenant whose site the portal is (GATEWAY_PORTAL_TENANT); absent: the only or oldest. */
  readonly portalTenant?: string;
}

export type GatewayApp = OpenAPIHono<GatewayEnv>;

// Schema failures become 422 `validation_failed` with every issue, never zod's raw output.
const refuseInvalidInput: NonNullable<OpenAPIHonoOptions<GatewayEnv>['defaultHook']> = (result) => {
  if (result.success) return;
  const location = result.target === 'json' ? undefined : locationOf(result.target);
  throw new GatewayError('validation_failed', {
    errors: result.error.issues.map((issue) => ({
      path: jsonPointer(issue.path),
      message: issue.message,
      ...(location ? { in: location } : {}),
    })),
  });
};

/**
 * Builds the gateway's HTTP app. It is the same on every runtime: nothing here may know whether it
 * runs on Node or workerd.
 *
 * @example
 * ```ts
 * const app = createApp({ config, clock: systemClock, logger, storage, docsAssets });
 * const res = await app.request('/health');
 * ```
 */
export function createApp(deps: GatewayDeps): GatewayApp {
  const app = new OpenAPIHono<GatewayEnv>({ defaultHook: refuseInvalidInput });
  // hono matches in the order things are registered, so the order below is the gateway's.
  useGatewayMiddleware(app, deps);
  registerPublicRoutes(app, deps);
  const api = apiServices(deps);
  registerConsentApi(app, deps, api);
  registerPortal(app, deps, api.consent);
  registerExchangeApi(app, deps, api);
  registerDpoApi(app, deps, api);
  registerMonitoring(app, deps, api);
  registerApiReference(app, deps);

  // Every known path answers a method it has no route for with 405 and `Allow`, not 404.
  answerWrongMethods(app);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}

/** Routes that need no client assertion: probes, metrics (own token), keys, policy, catalogue. */
function registerPublicRoutes(app: GatewayApp, deps: GatewayDeps): void {
  registerHealth(app, {
    clock: deps.clock,
    version: deps.config.version,
    pingStorage: () => deps.storage.ping(),
  });
  registerReady(app, { probe: () => deps.storage.ping() });
  if (deps.metrics) {
    registerMetricsRoute(app, {
      metrics: deps.metrics,
      gauges: () => storageGauges(deps.storage),
    });
  }
  registerWellKnown(app, {
    pki: deps.storage.pki,
    tenantIds: async () => (await deps.storage.tenants.list()).map((tenant) => tenant.id),
  });

  registerPolicyRoute(app, deps.policy);
  registerConnectorRoutes(app);
}

/** The API reference: the OpenAPI document at `GET /openapi.json`, read at `GET /docs`. */
function registerApiReference(app: GatewayApp, deps: GatewayDeps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'clientAssertion', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A client assertion (RFC 7523) signed with the key of a certificate the gateway issued or ' +
      'registered: header `alg` ES256/ES384/PS256/RS256 and `x5c` or `kid` (the certificate ' +
      'fingerprint); claims `iss` = `sub` = principal id, `aud` = the gateway base URL, `iat`, ' +
      '`exp` ≤ 5 min after `iat`, `jti` never reused.',
  });
  registerDocs(app, deps.docsAssets, {
    version: deps.config.version,
    publicUrl: deps.config.publicUrl,
  });
}

function locationOf(target: string): 'query' | 'path' | 'header' | 'cookie' | undefined {
  switch (target) {
    case 'query':
      return 'query';
    case 'param':
      return 'path';
    case 'header':
      return 'header';
    case 'cookie':
      return 'cookie';
    default:
      return undefined;
  }
}
