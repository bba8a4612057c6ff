import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';
import { isGatewayError } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import type { ExchangeOutcome, GatewayMetrics } from './port.ts';

/** The exchange endpoints and the outcome a success of each stands for. */
const EXCHANGE_ROUTES: readonly { method: string; path: string; success: ExchangeOutcome }[] = [
  { method: 'POST', path: '/v1/exchanges', success: 'accepted' },
  { method: 'GET', path: '/v1/mailbox/:id', success: 'delivered' },
  { method: 'POST', path: '/v1/mailbox/:id/ack', success: 'acknowledged' },
];

/**
 * Records every request by the pattern of the route that answered it (Hono's registered path, so
 * ids in the URL never become labels), and the exchanges' outcomes from the routes' answers:
 * nothing in the exchange module changes for it. Register it first, so that refusals by load
 * shedding, authentication and limits are measured too.
 */
export function measureRequests(metrics: GatewayMetrics): MiddlewareHandler<GatewayEnv> {
  return async function measure(c, next) {
    const started = performance.now();
    await next();
    const status = c.res.status;
    metrics.request({
      route: routePath(c),
      method: c.req.method,
      status,
      seconds: (performance.now() - started) / 1000,
    });
    const exchange = exchangeRouteOf(c);
    if (exchange === undefined) return;
    if (status < 300) {
      metrics.exchange(
        exchange.success === 'delivered' && c.get('fetchedAgain')
          ? 'fetched_again'
          : exchange.success,
      );
    }
    // Only the send is an exchange refused; a failed fetch or acknowledgement refuses a read.
    else if (exchange.success === 'accepted') metrics.exchange('refused', { code: codeOf(c) });
  };
}

function exchangeRouteOf(c: Context<GatewayEnv>) {
  const matched = matchedRoutes(c);
  return EXCHANGE_ROUTES.find((route) =>
    matched.some((r) => r.method === route.method && r.path === route.path),
  );
}

/** The stable error code of a refusal; never the message, which may quote the request. */
function codeOf(c: Context<GatewayEnv>): string {
  if (isGatewayError(c.error)) return c.error.code;
  if (c.get('shed')) return 'overloaded';
  return `http_${c.res.status}`;
}
