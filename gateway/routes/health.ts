import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { GatewayError, type Clock } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '../problem.ts';

export interface HealthDeps {
  readonly clock: Clock;
  readonly version: string;
  /** Resolves when storage answers a query. */
  readonly pingStorage: () => Promise<void>;
}

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string().openapi({ example: '0.1.0' }),
    time: z.string().openapi({ example: '2026-11-25T10:00:00.000Z' }),
    checks: z.object({ storage: z.literal('ok') }),
  })
  .openapi('Health');

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Public'],
  summary: 'Liveness and storage reachability',
  description: 'Answers 200 only when the gateway can query its storage; 503 otherwise.',
  responses: {
    200: { description: 'Serving', content: { 'application/json': { schema: HealthSchema } } },
    503: {
      description: 'Storage unreachable (`storage_unavailable`)',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    },
  },
});

export function registerHealth(app: OpenAPIHono<GatewayEnv>, deps: HealthDeps): void {
  app.openapi(healthRoute, async (c) => {
    try {
      await deps.pingStorage();
    } catch (error) {
      c.var.log.error(
        { errorType: error instanceof Error ? error.name : 'unknown' },
        'storage ping failed',
      );
      throw new GatewayError('storage_unavailable', { detail: 'storage does not answer' });
    }
    return c.json(
      {
        status: 'ok' as const,
        version: deps.version,
        time: deps.clock.now().toISOString(),
        checks: { storage: 'ok' as const },
      },
      200,
    );
  });
}
