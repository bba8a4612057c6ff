import type { Clock } from '../../core/index.ts';

/**
 * Throttles failed portal sign-ins per client address: after `limit` failures inside `windowMs`
 * the address must wait for the window to pass. This sits in front of the per-code lockout (five
 * wrong second factors), so one address cannot try many codes either.
 *
 * An attempt is counted before it is evaluated ({@link SignInThrottle.reserve}) and given back
 * only when it succeeds ({@link SignInThrottle.release}), so parallel attempts from one address
 * cannot overtake the count: at most `limit` of them reach the code check in a window.
 *
 * Kept in memory: right for the embedded single-process deployment; each worker isolate keeps its
 * own. The table is bounded, so a flood of addresses costs a fixed amount of memory.
 */
export class SignInThrottle {
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #maxEntries: number;

  constructor(options: { limit: number; windowMs: number; clock: Clock; maxEntries?: number }) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new RangeError('SignInThrottle needs a positive whole limit');
    }
    if (!(options.windowMs > 0)) throw new RangeError('SignInThrottle needs a positive window');
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#clock = options.clock;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string): number {
    const entry = this.#current(key);
    if (entry === undefined || entry.count < this.#limit) return 0;
    return Math.max(
      1,
      Math.ceil((entry.since + this.#windowMs - this.#clock.now().getTime()) / 1000),
    );
  }

  /**
   * Counts one attempt of `key` before it is evaluated: 0 when it may go ahead (and is now
   * counted, as a failure until {@link release}d), or the seconds to wait when the budget is spent
   * (and nothing is counted).
   *
   * @example
   * ```ts
   * const wait = throttle.reserve(address);
   * if (wait > 0) throw new GatewayError('rate_limited', { retryAfter: wait });
   * const session = await openSession(input); // throws on a wrong code: the attempt stays counted
   * throttle.release(address);
   * ```
   */
  reserve(key: string): number {
    const wait = this.retryAfter(key);
    if (wait > 0) return wait;
    this.fail(key);
    return 0;
  }

  /** Gives back one attempt {@link reserve}d for `key`: it succeeded, so it is no failure. */
  release(key: string): void {
    const entry = this.#current(key);
    if (entry === undefined) return;
    entry.count -= 1;
    if (entry.count <= 0) this.#failures.delete(key);
  }

  /** Counts one failed attempt of `key`. */
  fail(key: string): void {
    const entry = this.#current(key);
    if (entry !== undefined) {
      entry.count += 1;
      return;
    }
    if (this.#failures.size >= this.#maxEntries) this.#evict();
    this.#failures.set(key, { count: 1, since: this.#clock.now().getTime() });
  }

  #current(key: string): { count: number; since: number } | undefined {
    const entry = this.#failures.get(key);
    if (entry === undefined) return undefined;
    if (entry.since + this.#windowMs <= this.#clock.now().getTime()) {
      this.#failures.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Drops ended windows; if all are live, the oldest (a Map keeps insertion order). */
  #evict(): void {
    const now = this.#clock.now().getTime();
    for (const [key, entry] of this.#failures) {
      if (entry.since + this.#windowMs <= now) this.#failures.delete(key);
    }
    if (this.#failures.size >= this.#maxEntries) {
      const oldest = this.#failures.keys().next();
      if (oldest.done !== true) this.#failures.delete(oldest.value);
    }
  }
}
