import type { RateLimitDecision, RateLimitPolicy, RateLimitStore } from './ports.ts';

/** A bucket's state: tokens as of `at` (ms), and the refusals since it last allowed a request. */
export interface BucketState {
  readonly tokens: number;
  readonly at: number;
  readonly refusalsInRow: number;
}

// Float sums of elapsed time × rate may land a hair below a whole token.
const EPSILON = 1e-9;

/**
 * The token bucket as a pure function: refills by the time passed since `state` (a missing state
 * is a full bucket), then takes `cost` if it is there. A clock that went back refills nothing.
 *
 * @example
 * ```ts
 * const { state, decision } = takeFromBucket(undefined, 1, Date.now(), { rate: 50, burst: 100 });
 * ```
 */
export function takeFromBucket(
  state: BucketState | undefined,
  cost: number,
  now: number,
  policy: RateLimitPolicy,
): { readonly state: BucketState; readonly decision: RateLimitDecision } {
  const elapsedSeconds = state === undefined ? 0 : Math.max(0, now - state.at) / 1000;
  const available =
    state === undefined
      ? policy.burst
      : Math.min(policy.burst, state.tokens + elapsedSeconds * policy.rate);
  const at = state === undefined ? now : Math.max(now, state.at);
  const allowed = available + EPSILON >= cost;
  const tokens = allowed ? Math.max(0, available - cost) : available;
  const refusalsInRow = allowed ? 0 : (state?.refusalsInRow ?? 0) + 1;
  const missing = policy.burst - tokens;
  return {
    state: { tokens, at, refusalsInRow },
    decision: {
      allowed,
      remaining: Math.floor(tokens + EPSILON),
      resetSeconds: missing <= EPSILON ? 0 : Math.ceil(missing / policy.rate - EPSILON),
      retryAfterSeconds: allowed
        ? 0
        : Math.max(1, Math.ceil((cost - tokens) / policy.rate - EPSILON)),
      refusalsInRow,
    },
  };
}

/**
 * Buckets in this process's memory, for the single-process deployment. The table holds at most
 * `maxKeys` buckets: when it is full, buckets that have refilled are dropped first (a full bucket
 * is the same as none), then the least recently used, so a flood of principals costs a fixed
 * amount of memory.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #buckets = new Map<string, { state: BucketState; policy: RateLimitPolicy }>();
  readonly #maxKeys: number;

  constructor(options: { maxKeys?: number } = {}) {
    const maxKeys = options.maxKeys ?? 10_000;
    if (!Number.isInteger(maxKeys) || maxKeys < 1) {
      throw new RangeError('MemoryRateLimitStore needs a positive whole maxKeys');
    }
    this.#maxKeys = maxKeys;
  }

  /** How many buckets are held now. */
  get size(): number {
    return this.#buckets.size;
  }

  take(key: string, cost: number, now: Date, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    const previous = this.#buckets.get(key);
    const { state, decision } = takeFromBucket(previous?.state, cost, now.getTime(), policy);
    // Re-inserting keeps the Map in least-recently-used order.
    this.#buckets.delete(key);
    if (this.#buckets.size >= this.#maxKeys) this.#evict(now.getTime());
    this.#buckets.set(key, { state, policy });
    return Promise.resolve(decision);
  }

  #evict(now: number): void {
    for (const [key, { state, policy }] of this.#buckets) {
      if (state.tokens + ((now - state.at) / 1000) * policy.rate >= policy.burst) {
        this.#buckets.delete(key);
      }
    }
    // Dropping a tenth at once keeps a flood of new keys from sweeping the table on every request.
    const keep = Math.floor(this.#maxKeys * 0.9);
    while (this.#buckets.size > keep) {
      const oldest = this.#buckets.keys().next();
      if (oldest.done === true) break;
      this.#buckets.delete(oldest.value);
    }
  }
}
