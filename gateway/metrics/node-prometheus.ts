/**
 * The metrics port on prom-client, for the Node entry only: prom-client reads `process` and
 * Node's `perf_hooks`, so it stays out of `index.ts`, which the runtime-free app imports.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobObserver } from '../jobs.ts';
import type { GatewayMetrics, StorageGauges } from './port.ts';

type JobName = Parameters<JobObserver['ran']>[0];
const JOBS: readonly JobName[] = ['sweep', 'notify'];

/**
 * The prom-client implementation, also the background jobs' observer on Node: a job's lag is the
 * time since the run it reported as succeeded, and the sweep's withheld messages count as
 * exchanges withheld.
 */
export interface PrometheusMetrics extends GatewayMetrics, JobObserver {}

/**
 * @example
 * ```ts
 * const metrics = config.metricsToken && prometheusMetrics({ token: config.metricsToken });
 * createApp({ ...deps, ...(metrics ? { metrics } : {}) });
 * backgroundJobs({ ...jobDeps, ...(metrics ? { observer: metrics } : {}) });
 * ```
 */
export function prometheusMetrics(options: {
  readonly token: string;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number;
}): PrometheusMetrics {
  const now = options.now ?? Date.now;
  // A registry of its own: two apps in one process (tests) never share series.
  const registry = new Registry();
  const { requests, latency, exchanges, auditEntries, waiting, jobRuns } = gatewaySeries(registry);
  const lastSuccess = jobLag(registry, now);

  return {
    token: options.token,
    request({ route, method, status, seconds }) {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method }, seconds);
    },
    exchange(outcome, { code = '', count = 1 } = {}) {
      exchanges.inc({ outcome, code }, count);
    },
    async render(gauges: StorageGauges) {
      // Reset first: a tenant or agency type gone since the last scrape must not linger.
      auditEntries.reset();
      for (const { tenantId, entries } of gauges.auditEntries) {
        auditEntries.set({ tenant: tenantId }, entries);
      }
      waiting.reset();
      for (const { tenantId, agencyType, messages } of gauges.waitingMessages) {
        waiting.set({ tenant: tenantId, agency_type: agencyType }, messages);
      }
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    ran(job, outcome) {
      jobRuns.inc({ job, outcome });
      if (outcome === 'succeeded') lastSuccess.set(job, now());
    },
    withheld(messages) {
      exchanges.inc({ outcome: 'withheld', code: '' }, messages);
    },
  };
}

/** The series the gateway reports into; the registry lists them in this order. */
function gatewaySeries(registry: Registry) {
  const requests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const exchanges = new Counter({
    name: 'gateway_exchanges_total',
    help: 'Exchanges by outcome (accepted, refused by code, delivered, fetched_again, acknowledged, withheld)',
    labelNames: ['outcome', 'code'] as const,
    registers: [registry],
  });
  const auditEntries = new Gauge({
    name: 'gateway_audit_log_entries',
    help: 'Entries in the audit log, per tenant',
    labelNames: ['tenant'] as const,
    registers: [registry],
  });
  const waiting = new Gauge({
    name: 'gateway_mailbox_waiting_messages',
    help: 'Messages waiting in mailboxes, per tenant and recipient agency type',
    labelNames: ['tenant', 'agency_type'] as const,
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'gateway_job_runs_total',
    help: 'Runs of each background job, by outcome (succeeded, failed)',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  return { requests, latency, exchanges, auditEntries, waiting, jobRuns };
}

/**
 * Registers the job lag gauge, worked out at each scrape from the map it returns, which `ran`
 * fills with each job's last success. A job yet to succeed lags since this call, the start.
 */
function jobLag(registry: Registry, now: () => number): Map<JobName, number> {
  const started = now();
  const lastSuccess = new Map<JobName, number>();
  new Gauge({
    name: 'gateway_job_lag_seconds',
    help: 'Seconds since the last successful run of each background job (since start if none)',
    labelNames: ['job'] as const,
    registers: [registry],
    collect() {
      for (const job of JOBS) {
        this.set({ job }, (now() - (lastSuccess.get(job) ?? started)) / 1000);
      }
    },
  });
  return lastSuccess;
}
