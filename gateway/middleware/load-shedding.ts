import type { Context, MiddlewareHandler } from 'hono';
import { GatewayError, type Clock } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import type { Logger } from '../logging.ts';
import { problemResponse } from '../problem.ts';

/**
 * Requests one gateway process works on at once, by default. A process serves 970–1050 sends a
 * second on the bench machine (`npm run bench`, SQLite), about one a millisecond: 64 admitted
 * requests are about 65 ms of work, so a request let in waits about that long, not the seconds an
 * unbounded queue grows to. 64 is twice the 32 concurrent clients with which the bench reaches
 * that peak, so the bound does not lower it, and leaves room for backends whose requests mostly
 * wait (PostgreSQL, D1). And the bodies admitted requests hold stay under 64 × `GATEWAY_BODY_LIMIT`
 * (64 MiB by default).
 */
export const DEFAULT_MAX_INFLIGHT = 64;

/** The largest bound `GATEWAY_MAX_INFLIGHT` takes; beyond it the bound no longer protects memory. */
export const MAX_INFLIGHT_LIMIT = 10_000;

/** How often, at most, the count of shed requests is logged. */
const REPORT_EVERY_MS = 1000;

export interface LoadSheddingOptions {
  /** Requests worked on at once; the next one is answered 503 `overloaded` at once. */
  readonly maxInflight: number;
  /** Seconds a refused client is told to wait (`Retry-After`, whole seconds); default 1. */
  readonly retryAfterSeconds?: number;
  /** Requests that are neither counted nor refused, such as liveness checks. */
  readonly exempt?: (c: Context<GatewayEnv>) => boolean;
  /**
   * Renders the refusal; default problem+json. A portal page, for instance, answers a page a
   * person can read. The answer should carry `Retry-After` (the error's `retryAfter`).
   */
  readonly refuse?: (c: Context<GatewayEnv>, error: GatewayError) => Response | Promise<Response>;
  /** Receives a `warn` line with the number of refused requests, at most once a second. */
  readonly logger: Logger;
  readonly clock: Clock;
  /**
   * Waits, once admitted while more than half of `maxInflight` are in flight, for the request's
   * turn to start its work (Node: one per turn of the event loop, `gateway/node-turns.ts`);
   * default none.
   */
  readonly waitForTurn?: () => Promise<void>;
}

/**
 * Admission control: bounds the requests this process (or Worker isolate) works on at once, so
 * that under more load than it can serve it refuses the excess at once, with 503 `overloaded` and
 * `Retry-After`, instead of queueing it in memory until every answer is late. A refused request
 * costs next to nothing: its body is not read, and it is logged only in a count (`requests shed`,
 * at most once a second) rather than line by line. A slot is freed when the handler is done, also
 * when it throws or the client went away.
 *
 * Place it after the request context (request id) and security headers, and before anything that
 * reads the body or does work (body limit, authentication).
 *
 * @example
 * ```ts
 * app.use(shedLoad({ maxInflight: 64, exempt: (c) => c.req.path === '/health', logger, clock }));
 * ```
 */
export function shedLoad(options: LoadSheddingOptions): MiddlewareHandler<GatewayEnv> {
  const { maxInflight, retryAfterSeconds = 1, exempt, logger, clock, waitForTurn } = options;
  if (!Number.isInteger(maxInflight) || maxInflight < 1) {
    throw new RangeError('shedLoad: maxInflight must be a positive whole number');
  }
  if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 1) {
    throw new RangeError('shedLoad: retryAfterSeconds must be a positive whole number');
  }
  const refuse: NonNullable<LoadSheddingOptions['refuse']> =
    options.refuse ?? ((c, error) => problemResponse(c, error));
  let inflight = 0;
  let shedSinceReport = 0;
  let lastReportMs = -Infinity;

  // Called on every refusal and every finished request, so the last refusals of a burst are
  // counted by the next request rather than by a timer (Workers have none between requests).
  const report = () => {
    if (shedSinceReport === 0) return;
    const now = clock.now().getTime();
    if (now - lastReportMs < REPORT_EVERY_MS) return;
    logger.warn({ shed: shedSinceReport, maxInflight }, 'requests shed');
    shedSinceReport = 0;
    lastReportMs = now;
  };

  return async function shedLoad(c, next) {
    if (exempt?.(c) === true) {
      await next();
      return undefined;
    }
    if (inflight >= maxInflight) {
      shedSinceReport++;
      report();
      c.set('shed', true);
      return refuse(
        c,
        new GatewayError('overloaded', {
          detail: `the gateway is at its limit of ${maxInflight} requests in flight; retry after ${retryAfterSeconds} s`,
          retryAfter: retryAfterSeconds,
        }),
      );
    }
    inflight++;
    try {
      // Past half the bound the gateway has more work than its clients usually keep it busy with:
      // only then do admitted requests take turns, which costs the peak a little.
      if (waitForTurn !== undefined && inflight > maxInflight / 2) await waitForTurn();
      await next();
    } finally {
      inflight--;
      report();
    }
    return undefined;
  };
}
