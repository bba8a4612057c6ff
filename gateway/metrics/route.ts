import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { GatewayError } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import { overloadedProblem, problemDoc } from '../problem.ts';
import type { GatewayMetrics, StorageGauges } from './port.ts';

export interface MetricsRouteDeps {
  readonly metrics: GatewayMetrics;
  /** Reads the gauges that live in storage (audit size, mailbox depth) at scrape time. */
  readonly gauges: () => Promise<StorageGauges>;
}

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['Operations'],
  summary: 'Prometheus metrics',
  description:
    'Prometheus text format (0.0.4): requests and latency by route pattern and status, exchanges ' +
    'by outcome, audit log size per tenant, waiting messages per agency type, background job lag. ' +
    'Only there when GATEWAY_METRICS_TOKEN is set, and only for `Authorization: Bearer <token>`.',
  security: [{ metricsToken: [] }],
  responses: {
    200: {
      description: 'The metrics',
      content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: z.string() } },
    },
    401: problemDoc('`unauthenticated`: no or a wrong token'),
    ...overloadedProblem,
  },
});

/**
 * Serves `GET /metrics` behind its own bearer token. Registered only when the deployment
 * configured metrics, so that without them the path is as unknown as any other (404).
 */
export function registerMetricsRoute(app: OpenAPIHono<GatewayEnv>, deps: MetricsRouteDeps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The value of GATEWAY_METRICS_TOKEN.',
  });
  app.openapi(metricsRoute, async (c) => {
    const presented = /^Bearer ([\x21-\x7e]+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
    if (presented === undefined || !(await sameSecret(presented, deps.metrics.token))) {
      throw new GatewayError('unauthenticated', { detail: 'metrics need their bearer token' });
    }
    const { contentType, body } = await deps.metrics.render(await deps.gauges());
    return c.text(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  });
}

/**
 * Compares two secrets in time independent of where they differ: both are hashed to 32 bytes
 * first, so neither the length nor a common prefix of the expected token shows in the timing.
 */
async function sameSecret(presented: string, expected: string): Promise<boolean> {
  const encode = (text: string) => new TextEncoder().encode(text);
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encode(presented)),
    crypto.subtle.digest('SHA-256', encode(expected)),
  ]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let difference = 0;
  for (let i = 0; i < x.length; i++) difference |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return difference === 0;
}
