import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { GatewayError } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import { problemDoc } from '../problem.ts';

export interface ReadyDeps {
  /** Resolves when storage answers a trivial query; rejects while it cannot. */
  readonly probe: () => Promise<void>;
}

const ReadySchema = z.object({ status: z.literal('ready') }).openapi('Ready');

const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['Public'],
  summary: 'Readiness: may this instance take traffic?',
  description:
    'Answers 200 when storage answers a query, 503 `storage_unavailable` while it does not ' +
    '(database down, migrations still running). A load balancer routes by it; unlike `/health` ' +
    '(liveness), a 503 here means "send requests elsewhere", not "restart me".',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: ReadySchema } } },
    // Shed under overload like every route but /health: an overloaded instance is not ready.
    503: problemDoc(
      '`storage_unavailable`: storage does not answer (database down, migrations running); or ' +
        '`overloaded`: at its bound of requests in flight, retry after `Retry-After` seconds',
    ),
  },
});

export function registerReady(app: OpenAPIHono<GatewayEnv>, deps: ReadyDeps): void {
  app.openapi(readyRoute, async (c) => {
    try {
      await deps.probe();
    } catch (error) {
      c.var.log.warn(
        { errorType: error instanceof Error ? error.name : 'unknown' },
        'not ready: storage does not answer',
      );
      throw new GatewayError('storage_unavailable', { detail: 'storage does not answer' });
    }
    return c.json({ status: 'ready' as const }, 200);
  });
}
