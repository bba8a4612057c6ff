import type { MiddlewareHandler } from 'hono';
import type { AuthenticatedPrincipal } from '../../certs/index.ts';
import { GatewayError, type Clock } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import { problemResponse } from '../problem.ts';
import { rateLimitField, rateLimitPolicyField } from './headers.ts';
import {
  checkRateLimitPolicy,
  ROUTE_CLASSES,
  routeClassOf,
  type RateLimits,
  type RouteClass,
} from './limits.ts';
import type { RateLimitStore } from './ports.ts';

export interface RateLimitOptions {
  readonly limits: RateLimits;
  readonly store: RateLimitStore;
  readonly clock: Clock;
  /**
   * Called for the first refusal after the principal was last allowed on that route class, not
   * for the ones after it (e.g. to audit a burst once). The 429 waits for it.
   */
  readonly onFirstRefusal?: (
    principal: AuthenticatedPrincipal,
    routeClass: RouteClass,
  ) => Promise<void>;
}

/**
 * Limits each authenticated principal per route class (token bucket, see `RateLimitPolicy`). It
 * runs after authentication and before validation, so every request of a principal counts,
 * those refused later included. A refused request answers 429 `rate_limited` with `Retry-After`;
 * every answer on a limited route carries `RateLimit-Policy` and `RateLimit`.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<GatewayEnv> {
  for (const name of ROUTE_CLASSES) checkRateLimitPolicy(name, options.limits[name]);
  const policyFields = Object.fromEntries(
    ROUTE_CLASSES.map((name) => [name, rateLimitPolicyField(name, options.limits[name])]),
  ) as Record<RouteClass, string>;

  return async function rateLimit(c, next) {
    const routeClass = routeClassOf(c.req.path);
    const principal = c.get('principal') as AuthenticatedPrincipal | undefined;
    if (routeClass === undefined || principal === undefined) {
      await next();
      return;
    }
    const key = JSON.stringify([principal.tenantId, principal.id, routeClass]);
    const decision = await options.store.take(
      key,
      1,
      options.clock.now(),
      options.limits[routeClass],
    );
    const fields = {
      'RateLimit-Policy': policyFields[routeClass],
      RateLimit: rateLimitField(routeClass, decision),
    };
    if (!decision.allowed) {
      if (decision.refusalsInRow === 1) {
        c.var.log.warn({ routeClass, principal: principal.id }, 'rate limited');
        await options.onFirstRefusal?.(principal, routeClass);
      }
      const response = problemResponse(
        c,
        new GatewayError('rate_limited', {
          detail: `too many ${routeClass} requests; retry after ${decision.retryAfterSeconds} s`,
          retryAfter: decision.retryAfterSeconds,
        }),
      );
      for (const [name, value] of Object.entries(fields)) response.headers.set(name, value);
      return response;
    }
    await next();
    // Onto the answer's own headers: `c.header` after the handler rebuilds the answer as a web
    // Response, which on Node costs a stream per request.
    for (const [name, value] of Object.entries(fields)) c.res.headers.set(name, value);
    return undefined;
  };
}

/**
 * Runs `limit` inside `authenticate`, once the principal is known, as one middleware: the routes
 * take a single guard, and an unauthenticated request never reaches a bucket.
 */
export function authenticatedAndLimited(
  authenticate: MiddlewareHandler<GatewayEnv>,
  limit: MiddlewareHandler<GatewayEnv>,
): MiddlewareHandler<GatewayEnv> {
  return async function authenticatedAndLimited(c, next) {
    return authenticate(c, async () => {
      const response = await limit(c, next);
      if (response instanceof Response) c.res = response;
    });
  };
}
