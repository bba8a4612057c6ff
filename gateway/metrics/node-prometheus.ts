/**
 * The metrics port on prom-client, for the Node entry only: prom-client reads `process` and
 * Node's `perf_hooks`, so it stays out of `index.ts`, which the runtime-free app imports.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../logging.ts';
import type { GatewayMetrics, StorageGauges } from './port.ts';

/** Jobs whose lag is exposed, as gateway/jobs.ts names them. */
export type JobName = 'sweep' | 'notify';

/** The prom-client implementation plus what the Node entry feeds it (background job runs). */
export interface PrometheusMetrics extends GatewayMetrics {
  /** Records that `job` ran through without logging an error. */
  jobSucceeded(job: JobName): void;
}

/**
 * @example
 * ```ts
 * const metrics = config.metricsToken && prometheusMetrics({ token: config.metricsToken });
 * createApp({ ...deps, ...(metrics ? { metrics } : {}) });
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
    help: 'Exchanges by outcome (accepted, refused by code, delivered, acknowledged, withheld)',
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
  const started = now();
  const lastSuccess = new Map<JobName, number>();
  new Gauge({
    name: 'gateway_job_lag_seconds',
    help: 'Seconds since the last successful run of each background job (since start if none)',
    labelNames: ['job'] as const,
    registers: [registry],
    collect() {
      for (const job of ['sweep', 'notify'] as const) {
        this.set({ job }, (now() - (lastSuccess.get(job) ?? started)) / 1000);
      }
    },
  });

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
    jobSucceeded(job) {
      lastSuccess.set(job, now());
    },
  };
}

/**
 * Wraps the background jobs so that each run that logs no error counts as a success, and the
 * sweep's withheld messages count as exchanges withheld. gateway/jobs.ts reports a run only
 * through its logger (a failure is logged at error level and swallowed), so the logger handed to
 * it is where this looks. Runs of the two jobs may overlap; an error then fails both runs, which
 * can overstate a lag but never hide a failure.
 *
 * @example
 * ```ts
 * const { jobs } = observeJobs(metrics, logger, (observed) => backgroundJobs({ ...deps, logger: observed }));
 * ```
 */
export function observeJobs<Jobs extends Record<JobName, () => Promise<void>>>(
  metrics: PrometheusMetrics,
  logger: Logger,
  build: (observed: Logger) => Jobs,
): Jobs {
  let errors = 0;
  const observed = new Proxy(logger, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === 'error' || property === 'fatal') errors++;
        const fields = args[0];
        if (property === 'info' && typeof fields === 'object' && fields !== null) {
          const withheld = (fields as { withheld?: unknown }).withheld;
          if (typeof withheld === 'number' && withheld > 0) {
            metrics.exchange('withheld', { count: withheld });
          }
        }
        return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
      };
    },
  });
  const jobs = build(observed);
  const watched = (job: JobName) => async () => {
    const before = errors;
    await jobs[job]();
    if (errors === before) metrics.jobSucceeded(job);
  };
  return { ...jobs, sweep: watched('sweep'), notify: watched('notify') };
}
