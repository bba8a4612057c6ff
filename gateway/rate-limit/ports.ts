/**
 * A token bucket: `rate` tokens flow in per second up to `burst`; a request takes one. The default
 * policy, 50 per second with bursts of 100, lets a principal send 100 at once and then 50 a second.
 */
export interface RateLimitPolicy {
  /** Tokens added per second (may be fractional: `600/h` is 1/6 a second). */
  readonly rate: number;
  /** The bucket's size: the most requests answered at once after a quiet spell. */
  readonly burst: number;
}

/** What a store decided for one request, in whole numbers ready for response headers. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Whole tokens left after this request. */
  readonly remaining: number;
  /** Seconds until the bucket is full again (0 when it is full). */
  readonly resetSeconds: number;
  /** Seconds until a refused request may succeed, at least 1; 0 when allowed. */
  readonly retryAfterSeconds: number;
  /**
   * Refusals in a row for this key, this one included; 0 when allowed. 1 marks the first refusal
   * after the key was last allowed, the one worth recording.
   */
  readonly refusalsInRow: number;
}

/**
 * Where the buckets live. The in-memory store serves one process; a store shared by several
 * instances (e.g. Redis, a Durable Object) implements the same method atomically per key.
 */
export interface RateLimitStore {
  /** Takes `cost` tokens from `key`'s bucket at `now` if it holds them, and says what happened. */
  take(key: string, cost: number, now: Date, policy: RateLimitPolicy): Promise<RateLimitDecision>;
}
