import { MonitoringSource, parseRule } from '../monitoring/index.ts';
import type { ApiServices } from './app-api.ts';
import type { GatewayApp, GatewayDeps } from './app.ts';
import { registerMonitoringPages } from './monitoring-pages/index.ts';
import { rateLimitsOf } from './rate-limit/index.ts';
import { TREE_HEAD_TYP } from './routes/audit.ts';
import { registerMonitoringRoutes } from './routes/monitoring.ts';

/** Aggregate figures for steering groups: the API monitors and DPOs read, and the pages of them. */
export function registerMonitoring(app: GatewayApp, deps: GatewayDeps, api: ApiServices): void {
  const ruleText = deps.monitoringRule ?? 'suppress:3';
  const monitoring = new MonitoringSource({
    store: deps.storage.audit,
    signTreeHead: (tenantId, head) => api.signer.sign(tenantId, head, TREE_HEAD_TYP),
    rule: parseRule(ruleText),
    ruleText,
    now: () => deps.clock.now(),
  });
  registerMonitoringRoutes(app, {
    source: monitoring,
    tenants: deps.storage.tenants,
    readers: api.limited(['monitor', 'dpo']),
  });
  registerMonitoringPages(app, {
    source: monitoring,
    storage: deps.storage,
    masterKey: deps.keys.masterKey,
    assertionCheck: api.assertionCheck,
    signInThrottle: deps.signInThrottle,
    clientAddress: deps.clientAddress,
    pageLimit: rateLimitsOf(deps.rateLimits).audit,
    rateLimitStore: api.rateLimitStore,
  });
}
