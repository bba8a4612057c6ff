import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { AuditLog, type AuditStore } from '../audit/index.ts';
import { withholdMessagesOf, type ExchangeStore } from '../exchange/index.ts';
import { createGatewaySigner, type PkiStore } from '../certs/index.ts';
import { TenantHasher, type ConsentDeps, type ConsentStore } from '../consent/index.ts';
import { GatewayError, type Clock } from '../core/index.ts';
import { MonitoringSource, parseRule } from '../monitoring/index.ts';
import type { PolicySet } from '../policies/index.ts';
import type { TenantStore } from '../tenants/index.ts';
import type { GatewayEnv } from './env.ts';
import { answerWrongMethods, onError, onNotFound, refusal } from './error-handler.ts';
import type { Logger } from './logging.ts';
import { limitBody } from './middleware/body-limit.ts';
import {
  measureRequests,
  registerMetricsRoute,
  storageGauges,
  type GatewayMetrics,
} from './metrics/index.ts';
import { authenticate } from './middleware/authenticate.ts';
import { jsonBody } from './middleware/json-body.ts';
import { DEFAULT_MAX_INFLIGHT, shedLoad } from './middleware/load-shedding.ts';
import { durableAnswers } from './middleware/durable-answers.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { jsonPointer } from './problem.ts';
import {
  authenticatedAndLimited,
  MemoryRateLimitStore,
  rateLimit,
  rateLimitsOf,
  type RateLimitPolicy,
  type RateLimitStore,
  type RouteClass,
} from './rate-limit/index.ts';
import { registerDocs, type DocsAssets } from './routes/docs.ts';
import { registerAssistedRevocation } from './routes/assisted-revocation.ts';
import { registerAuditRoutes, TREE_HEAD_TYP } from './routes/audit.ts';
import { registerConnectorRoutes } from './routes/connectors.ts';
import { registerConsentRequestRoutes } from './routes/consent-requests.ts';
import { registerExchangeRoutes } from './routes/exchanges.ts';
import { registerHealth } from './routes/health.ts';
import { registerReady } from './routes/ready.ts';
import { registerMonitoringRoutes } from './routes/monitoring.ts';
import { registerMonitoringPages } from './monitoring-pages/index.ts';
import { registerPolicyRoute } from './routes/policy.ts';
import { registerPortalApi } from './routes/portal-api.ts';
import { registerPortalPages } from './routes/portal-pages.tsx';
import { registerIcons } from './routes/portal/icons.ts';
import { problemPage } from './portal/problem-page.tsx';
import type { EidProvider } from './portal/eid.ts';
import { portalProfileGate } from './portal/legal/production-gate.ts';
import { throttledSignIn } from './portal/sign-in.ts';
import { SignInThrottle } from './portal/sign-in-throttle.ts';
import { registerSubjectRights } from './routes/subject-rights.ts';
import { registerPrincipalRoutes } from './routes/principals.ts';
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

/** Constant stylesheets: never shed, or the page saying "wait a moment" would come unstyled. */
const STYLESHEETS = new Set(['/portal/assets/portal.css', '/monitoring/assets/monitoring.css']);
/** Paths people read in a browser: refused under overload with a page, not problem+json. */
const isPage = (path: string) =>
  ['/portal', '/monitoring'].some((p) => path === p || path.startsWith(`${p}/`));

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
  const app = new OpenAPIHono<GatewayEnv>({
    // Schema failures become 422 `validation_failed` with every issue, never zod's raw output.
    defaultHook: (result) => {
      if (result.success) return;
      const location = result.target === 'json' ? undefined : locationOf(result.target);
      throw new GatewayError('validation_failed', {
        errors: result.error.issues.map((issue) => ({
          path: jsonPointer(issue.path),
          message: issue.message,
          ...(location ? { in: location } : {}),
        })),
      });
    },
  });

  // First, so that every answer is measured, also refusals by the middleware after it.
  if (deps.metrics) app.use(measureRequests(deps.metrics));
  app.use(requestContext({ logger: deps.logger }));
  app.use(
    securityHeaders({
      https: deps.config.publicUrl.startsWith('https:'),
      formOrigins: deps.eid === undefined ? [] : [deps.eid.signInOrigin],
    }),
  );
  // Before anything reads a body or does work: a refusal under overload must cost next to nothing.
  app.use(
    shedLoad({
      maxInflight: deps.maxInflight ?? DEFAULT_MAX_INFLIGHT,
      ...(deps.waitForTurn === undefined ? {} : { waitForTurn: deps.waitForTurn }),
      // Liveness must tell a busy gateway from a dead one.
      exempt: (c) => c.req.path === '/health' || STYLESHEETS.has(c.req.path),
      // The pages answer pages whatever the client accepts, also when shed.
      refuse: (c, error) => (isPage(c.req.path) ? problemPage(c, error) : refusal(c, error)),
      logger: deps.logger,
      clock: deps.clock,
    }),
  );
  app.use(durableAnswers(deps.storage));
  app.use(limitBody(deps.config.bodyLimit));
  app.use('/v1/*', jsonBody());
  if (deps.production === true) {
    // On the path as routed (decoded), so no spelling of it reaches a page past the gate.
    const gate = portalProfileGate({
      tenants: deps.storage.tenants,
      chosen: deps.portalTenant,
      clock: deps.clock,
      refuse: refusal,
    });
    app.use('/portal', gate);
    app.use('/portal/*', gate);
  }

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

  const assertionCheck = {
    store: deps.storage.pki,
    clock: deps.clock,
    audience: deps.config.publicUrl,
  };
  registerPrincipalRoutes(app, {
    pki: deps.storage.pki,
    anyPrincipal: authenticate({
      ...assertionCheck,
      allow: ['agency', 'dpo', 'operator', 'monitor'],
    }),
    overseers: authenticate({ ...assertionCheck, allow: ['dpo', 'operator'] }),
  });

  const audit = new AuditLog(deps.storage.audit, deps.clock);
  // After authentication, so the budget is the principal's; refusals after it count as well.
  // One store for the API's and the monitoring pages' budgets, so a principal has one budget.
  const rateLimitStore = deps.rateLimitStore ?? new MemoryRateLimitStore();
  const limit = rateLimit({
    limits: rateLimitsOf(deps.rateLimits),
    store: rateLimitStore,
    clock: deps.clock,
    onFirstRefusal: async (principal, routeClass) => {
      await audit.append(principal.tenantId, {
        event: 'rate.limited',
        actor: principal.id,
        outcome: 'refused',
        reasons: [`rate_limited ${routeClass}`],
      });
    },
  });
  const limited = (guard: MiddlewareHandler<GatewayEnv>) => authenticatedAndLimited(guard, limit);
  const signer = createGatewaySigner({ pki: deps.storage.pki, masterKey: deps.keys.masterKey });
  const consent: ConsentDeps = {
    audit,
    auditStore: deps.storage.audit,
    consents: deps.storage.consents,
    pki: deps.storage.pki,
    tenants: deps.storage.tenants,
    clock: deps.clock,
    hasher: new TenantHasher(deps.storage.consents, deps.keys.masterKey),
    signer,
    masterKey: deps.keys.masterKey,
    policy: deps.policy,
    // Notices and receipts name the ID-card sign-in only where there is one.
    ...(deps.eid === undefined
      ? { withdrawalMethods: ['portal-withdrawal-code', 'office'] as const }
      : {}),
    publicUrl: deps.config.publicUrl,
    // Revocation takes the messages still waiting under the consent with it, at once.
    onRevoked: async (tenantId, consentId) => {
      const withheld = await withholdMessagesOf(
        {
          exchanges: deps.storage.exchanges,
          consents: deps.storage.consents,
          audit,
          masterKey: deps.keys.masterKey,
        },
        tenantId,
        consentId,
        'consent_revoked',
      );
      if (withheld > 0) deps.metrics?.exchange('withheld', { count: withheld });
    },
  };
  registerConsentRequestRoutes(app, {
    consent,
    agencies: limited(authenticate({ ...assertionCheck, allow: ['agency'] })),
  });
  registerAssistedRevocation(app, {
    consent,
    agencies: limited(authenticate({ ...assertionCheck, allow: ['agency'] })),
  });
  const portal = {
    consent,
    https: deps.config.publicUrl.startsWith('https:'),
    signIn: throttledSignIn(
      consent,
      new SignInThrottle({
        limit: deps.signInThrottle?.limit ?? 10,
        windowMs: deps.signInThrottle?.windowMs ?? 15 * 60_000,
        clock: deps.clock,
      }),
      deps.clientAddress ?? (() => undefined),
    ),
  };
  registerPortalApi(app, portal);
  registerPortalPages(app, { ...portal, eid: deps.eid, portalTenant: deps.portalTenant });
  registerIcons(app);
  const agencies = limited(authenticate({ ...assertionCheck, allow: ['agency'] }));
  registerExchangeRoutes(app, {
    exchange: {
      exchanges: deps.storage.exchanges,
      consents: deps.storage.consents,
      pki: deps.storage.pki,
      hasher: consent.hasher,
      signer,
      audit,
      policy: deps.policy,
      clock: deps.clock,
      masterKey: deps.keys.masterKey,
    },
    agencies,
  });
  const dpo = limited(authenticate({ ...assertionCheck, allow: ['dpo'] }));
  registerSubjectRights(app, { consent, dpo });
  registerAuditRoutes(app, {
    pki: deps.storage.pki,
    masterKey: deps.keys.masterKey,
    store: deps.storage.audit,
    log: audit,
    signer,
    clock: deps.clock,
    dpo,
  });
  const ruleText = deps.monitoringRule ?? 'suppress:3';
  const monitoring = new MonitoringSource({
    store: deps.storage.audit,
    signTreeHead: (tenantId, head) => signer.sign(tenantId, head, TREE_HEAD_TYP),
    rule: parseRule(ruleText),
    ruleText,
    now: () => deps.clock.now(),
  });
  registerMonitoringRoutes(app, {
    source: monitoring,
    tenants: deps.storage.tenants,
    readers: limited(authenticate({ ...assertionCheck, allow: ['monitor', 'dpo'] })),
  });
  registerMonitoringPages(app, {
    source: monitoring,
    storage: deps.storage,
    masterKey: deps.keys.masterKey,
    assertionCheck,
    signInThrottle: deps.signInThrottle,
    clientAddress: deps.clientAddress,
    pageLimit: rateLimitsOf(deps.rateLimits).audit,
    rateLimitStore,
  });

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

  // Every known path answers a method it has no route for with 405 and `Allow`, not 404.
  answerWrongMethods(app);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
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
