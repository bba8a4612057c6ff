import type { RateLimitPolicy } from './ports.ts';

/** The groups of routes a principal has one budget each for. */
export const ROUTE_CLASSES = ['send', 'mailbox', 'consent-requests', 'audit'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

/** A limit per route class. */
export type RateLimits = Readonly<Record<RouteClass, RateLimitPolicy>>;

/** 50 requests a second per principal, with bursts of 100. */
export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { rate: 50, burst: 100 };

/** Every class at `limit`, then the overrides. */
export function rateLimitsOf(
  overrides: Partial<Record<RouteClass, RateLimitPolicy>> = {},
  limit: RateLimitPolicy = DEFAULT_RATE_LIMIT,
): RateLimits {
  return {
    send: overrides.send ?? limit,
    mailbox: overrides.mailbox ?? limit,
    'consent-requests': overrides['consent-requests'] ?? limit,
    audit: overrides.audit ?? limit,
  };
}

/**
 * The class of a request, or undefined for routes without a per-principal limit. `send` is every
 * request to `/v1/exchanges` (only POST exists; others are refused by the router after counting).
 */
export function routeClassOf(path: string): RouteClass | undefined {
  if (path === '/v1/exchanges') return 'send';
  if (path === '/v1/mailbox' || path.startsWith('/v1/mailbox/')) return 'mailbox';
  if (
    path === '/v1/consent-requests' ||
    path === '/v1/consents' ||
    path.startsWith('/v1/consents/') ||
    path === '/v1/consent-events'
  ) {
    return 'consent-requests';
  }
  if (
    path.startsWith('/v1/audit/') ||
    path.startsWith('/v1/subjects/') ||
    path.startsWith('/v1/monitoring/')
  )
    return 'audit';
  return undefined;
}

const MAX_COUNT = 1_000_000;
const windowSeconds = { s: 1, min: 60, h: 3600 } as const;

/** What a limit must look like, for configuration messages. */
export const RATE_LIMIT_SYNTAX =
  'must be <count>/<s|min|h> with an optional ",burst=<count>" (e.g. "50/s,burst=100"), counts from 1 to 1000000';

/**
 * Reads a limit written as `<count>/<unit>[,burst=<count>]`, unit `s`, `min` or `h`. Without a
 * burst the bucket holds one unit's count (`600/min` answers 600 at once, then 10 a second).
 * Returns undefined for anything else.
 *
 * @example
 * ```ts
 * parseRateLimit('50/s,burst=100'); // { rate: 50, burst: 100 }
 * parseRateLimit('600/min'); // { rate: 10, burst: 600 }
 * ```
 */
export function parseRateLimit(text: string): RateLimitPolicy | undefined {
  const match = /^\s*(\d{1,7})\s*\/\s*(s|min|h)\s*(?:,\s*burst\s*=\s*(\d{1,7})\s*)?$/.exec(text);
  if (match === null) return undefined;
  const count = Number(match[1]);
  const burst = match[3] === undefined ? count : Number(match[3]);
  const unit = match[2] as keyof typeof windowSeconds;
  if (count < 1 || count > MAX_COUNT || burst < 1 || burst > MAX_COUNT) return undefined;
  return { rate: count / windowSeconds[unit], burst };
}

/** Throws a RangeError unless `policy` is a usable bucket; middleware checks its options at creation. */
export function checkRateLimitPolicy(name: string, policy: RateLimitPolicy): void {
  if (!(Number.isFinite(policy.rate) && policy.rate > 0)) {
    throw new RangeError(`rate limit ${name}: rate must be a positive number per second`);
  }
  if (!(Number.isInteger(policy.burst) && policy.burst >= 1)) {
    throw new RangeError(`rate limit ${name}: burst must be a positive whole number`);
  }
}
