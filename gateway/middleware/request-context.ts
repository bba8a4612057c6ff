import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { GatewayEnv } from '../env.ts';
import { lazyChild, type Logger } from '../logging.ts';

export interface RequestContextOptions {
  readonly logger: Logger;
}

/**
 * Gives each request an id (always our own: a caller-chosen id would let it forge log lines),
 * a child logger carrying it, and writes one access line when the answer is ready.
 *
 * The line is built from an allow-list: method, the route *pattern* (`/v1/mailbox/:id`, never the
 * path or query, which can carry identifiers), status, duration and request id.
 */
export function requestContext(options: RequestContextOptions): MiddlewareHandler<GatewayEnv> {
  const { logger } = options;
  return async function requestContext(c, next) {
    const started = performance.now();
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('log', lazyChild(logger, { requestId }));
    await next();
    c.res.headers.set('X-Request-Id', requestId);
    // A refusal under overload is counted by shedLoad's own line: a line each would add work
    // exactly when there is none to spare.
    if (c.var.shed) return;
    const status = c.res.status;
    const line = {
      requestId,
      method: c.req.method,
      route: routePattern(c),
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    if (status >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
  };
}

/** The pattern of the handler that answered, or `(unmatched)` when none did. */
function routePattern(c: Parameters<MiddlewareHandler<GatewayEnv>>[0]): string {
  const handlers = matchedRoutes(c).filter((route) => route.method !== 'ALL');
  return handlers.at(-1)?.path ?? '(unmatched)';
}
