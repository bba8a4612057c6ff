export type { RateLimitDecision, RateLimitPolicy, RateLimitStore } from './ports.ts';
export { MemoryRateLimitStore, takeFromBucket, type BucketState } from './memory-store.ts';
export {
  DEFAULT_RATE_LIMIT,
  parseRateLimit,
  RATE_LIMIT_SYNTAX,
  rateLimitsOf,
  ROUTE_CLASSES,
  routeClassOf,
  type RateLimits,
  type RouteClass,
} from './limits.ts';
export { rateLimitField, rateLimitPolicyField } from './headers.ts';
export { authenticatedAndLimited, rateLimit, type RateLimitOptions } from './middleware.ts';
