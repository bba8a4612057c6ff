import type { MiddlewareHandler } from 'hono';
import { AuditLog } from '../audit/index.ts';
import {
  createGatewaySigner,
  type AssertionCheck,
  type GatewaySigner,
  type PrincipalKind,
} from '../certs/index.ts';
import { TenantHasher, type ConsentDeps } from '../consent/index.ts';
import { withholdMessagesOf } from '../exchange/index.ts';
import type { GatewayApp, GatewayDeps } from './app.ts';
import type { GatewayEnv } from './env.ts';
import { authenticate } from './middleware/authenticate.ts';
import {
  authenticatedAndLimited,
  MemoryRateLimitStore,
  rateLimit,
  rateLimitsOf,
  type RateLimitStore,
} from './rate-limit/index.ts';
import { registerAssistedRevocation } from './routes/assisted-revocation.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerConsentRequestRoutes } from './routes/consent-requests.ts';
import { registerExchangeRoutes } from './routes/exchanges.ts';
import { registerPrincipalRoutes } from './routes/principals.ts';
import { registerSubjectRights } from './routes/subject-rights.ts';

type Guard = MiddlewareHandler<GatewayEnv>;

/** What the authenticated API, the portal and the monitoring pages share. */
export interface ApiServices {
  /** Client assertions are checked against the gateway's PKI, at the clock's time, for its URL. */
  readonly assertionCheck: AssertionCheck;
  readonly audit: AuditLog;
  readonly rateLimitStore: RateLimitStore;
  readonly signer: GatewaySigner;
  readonly consent: ConsentDeps;
  /** A fresh guard letting in principals of the kinds in `allow`. */
  authenticate(allow: readonly PrincipalKind[]): Guard;
  /** {@link ApiServices.authenticate}, then the principal's rate limit. */
  limited(allow: readonly PrincipalKind[]): Guard;
}

/** Builds the services the routes behind authentication are wired with. */
export function apiServices(deps: GatewayDeps): ApiServices {
  const assertionCheck = {
    store: deps.storage.pki,
    clock: deps.clock,
    audience: deps.config.publicUrl,
  };
  const audit = new AuditLog(deps.storage.audit, deps.clock);
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
  const signer = createGatewaySigner({ pki: deps.storage.pki, masterKey: deps.keys.masterKey });
  const guard = (allow: readonly PrincipalKind[]) => authenticate({ ...assertionCheck, allow });
  return {
    assertionCheck,
    audit,
    rateLimitStore,
    signer,
    consent: consentDepsOf(deps, audit, signer),
    authenticate: guard,
    // After authentication, so the budget is the principal's; refusals after it count as well.
    limited: (allow) => authenticatedAndLimited(guard(allow), limit),
  };
}

function consentDepsOf(deps: GatewayDeps, audit: AuditLog, signer: GatewaySigner): ConsentDeps {
  return {
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
}

/** `/v1/whoami` and `/v1/principals`; consent requests, and revocations an office records. */
export function registerConsentApi(app: GatewayApp, deps: GatewayDeps, api: ApiServices): void {
  registerPrincipalRoutes(app, {
    pki: deps.storage.pki,
    anyPrincipal: api.authenticate(['agency', 'dpo', 'operator', 'monitor']),
    overseers: api.authenticate(['dpo', 'operator']),
  });
  registerConsentRequestRoutes(app, { consent: api.consent, agencies: api.limited(['agency']) });
  registerAssistedRevocation(app, { consent: api.consent, agencies: api.limited(['agency']) });
}

/** The exchange of case data between agencies, bound to consents. */
export function registerExchangeApi(app: GatewayApp, deps: GatewayDeps, api: ApiServices): void {
  registerExchangeRoutes(app, {
    exchange: {
      exchanges: deps.storage.exchanges,
      consents: deps.storage.consents,
      pki: deps.storage.pki,
      hasher: api.consent.hasher,
      signer: api.signer,
      audit: api.audit,
      policy: deps.policy,
      clock: deps.clock,
      masterKey: deps.keys.masterKey,
    },
    agencies: api.limited(['agency']),
  });
}

/** The data protection officer's routes: a person's access report and erasure; the audit log. */
export function registerDpoApi(app: GatewayApp, deps: GatewayDeps, api: ApiServices): void {
  const dpo = api.limited(['dpo']);
  registerSubjectRights(app, { consent: api.consent, dpo });
  registerAuditRoutes(app, {
    pki: deps.storage.pki,
    masterKey: deps.keys.masterKey,
    store: deps.storage.audit,
    log: api.audit,
    signer: api.signer,
    clock: deps.clock,
    dpo,
  });
}
