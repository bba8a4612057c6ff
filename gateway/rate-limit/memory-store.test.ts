import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../core/index.ts';
import { MemoryRateLimitStore, takeFromBucket, type BucketState } from './memory-store.ts';
import type { RateLimitPolicy } from './ports.ts';

const POLICY: RateLimitPolicy = { rate: 50, burst: 100 };

describe('MemoryRateLimitStore', () => {
  it('answers a burst of 100 at one instant and refuses the 101st with a retry after 1 s', async () => {
    const store = new MemoryRateLimitStore();
    const clock = new FixedClock('2026-11-25T10:00:00Z');
    const decisions = [];
    for (let i = 0; i < 101; i++) decisions.push(await store.take('a', 1, clock.now(), POLICY));
    expect(decisions.slice(0, 100).every((d) => d.allowed)).toBe(true);
    expect(decisions[0]).toMatchObject({ remaining: 99, resetSeconds: 1, retryAfterSeconds: 0 });
    expect(decisions[99]).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 2 });
    expect(decisions[100]).toEqual({
      allowed: false,
      remaining: 0,
      resetSeconds: 2,
      retryAfterSeconds: 1,
      refusalsInRow: 1,
    });
  });

  it('refills at the rate: 20 ms after an empty bucket one more request passes', async () => {
    const store = new MemoryRateLimitStore();
    const clock = new FixedClock('2026-11-25T10:00:00Z');
    for (let i = 0; i < 100; i++) await store.take('a', 1, clock.now(), POLICY);
    expect((await store.take('a', 1, clock.now(), POLICY)).allowed).toBe(false);
    clock.advance(20);
    expect((await store.take('a', 1, clock.now(), POLICY)).allowed).toBe(true);
    expect((await store.take('a', 1, clock.now(), POLICY)).allowed).toBe(false);
    clock.advance(2000);
    expect(await store.take('a', 1, clock.now(), POLICY)).toMatchObject({
      allowed: true,
      remaining: 99,
    });
  });

  it('counts refusals in a row and starts again after an allowed request', async () => {
    const store = new MemoryRateLimitStore();
    const clock = new FixedClock('2026-11-25T10:00:00Z');
    const tight = { rate: 1, burst: 1 };
    expect((await store.take('a', 1, clock.now(), tight)).refusalsInRow).toBe(0);
    expect((await store.take('a', 1, clock.now(), tight)).refusalsInRow).toBe(1);
    expect((await store.take('a', 1, clock.now(), tight)).refusalsInRow).toBe(2);
    clock.advance(1000);
    expect((await store.take('a', 1, clock.now(), tight)).refusalsInRow).toBe(0);
    expect((await store.take('a', 1, clock.now(), tight)).refusalsInRow).toBe(1);
  });

  it('keeps keys apart', async () => {
    const store = new MemoryRateLimitStore();
    const now = new Date('2026-11-25T10:00:00Z');
    for (let i = 0; i < 100; i++) await store.take('a', 1, now, POLICY);
    expect((await store.take('a', 1, now, POLICY)).allowed).toBe(false);
    expect((await store.take('b', 1, now, POLICY)).allowed).toBe(true);
  });

  it('holds at most maxKeys buckets, dropping refilled ones before busy ones', async () => {
    const store = new MemoryRateLimitStore({ maxKeys: 10 });
    const clock = new FixedClock('2026-11-25T10:00:00Z');
    const tight = { rate: 1, burst: 1 };
    // 'busy' is empty and refills in 1 s; the others are idle and full again after that second.
    await store.take('busy', 1, clock.now(), { rate: 0.001, burst: 1 });
    for (let i = 0; i < 9; i++) await store.take(`idle-${i}`, 1, clock.now(), tight);
    clock.advance(1000);
    for (let i = 0; i < 5; i++) await store.take(`new-${i}`, 1, clock.now(), tight);
    expect(store.size).toBeLessThanOrEqual(10);
    expect((await store.take('busy', 1, clock.now(), { rate: 0.001, burst: 1 })).allowed).toBe(
      false,
    );
    // With every bucket busy, the least recently used go.
    for (let i = 5; i < 50; i++) await store.take(`new-${i}`, 1, clock.now(), tight);
    expect(store.size).toBeLessThanOrEqual(10);
  });

  it('refuses to be built with a maxKeys below 1', () => {
    expect(() => new MemoryRateLimitStore({ maxKeys: 0 })).toThrow(RangeError);
  });
});

describe('takeFromBucket', () => {
  const policies = fc.record({
    rate: fc.double({ min: 0.01, max: 10_000, noNaN: true }),
    burst: fc.integer({ min: 1, max: 10_000 }),
  });
  const steps = fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 200 });

  it('never allows more than burst + rate × elapsed time', () => {
    fc.assert(
      fc.property(policies, steps, (policy, gaps) => {
        let state: BucketState | undefined;
        let now = 0;
        let allowed = 0;
        for (const gap of gaps) {
          now += gap;
          const result = takeFromBucket(state, 1, now, policy);
          state = result.state;
          if (result.decision.allowed) allowed++;
        }
        expect(allowed).toBeLessThanOrEqual(policy.burst + (policy.rate * now) / 1000 + 1e-6);
      }),
    );
  });

  it('gives whole, non-negative numbers, and a retry of at least 1 s exactly when it refuses', () => {
    fc.assert(
      fc.property(policies, steps, (policy, gaps) => {
        let state: BucketState | undefined;
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          const { state: next, decision } = takeFromBucket(state, 1, now, policy);
          state = next;
          for (const n of [decision.remaining, decision.resetSeconds, decision.retryAfterSeconds]) {
            expect(Number.isInteger(n) && n >= 0).toBe(true);
          }
          expect(decision.remaining).toBeLessThanOrEqual(policy.burst);
          expect(decision.retryAfterSeconds >= 1).toBe(!decision.allowed);
        }
      }),
    );
  });

  it('allows a request after waiting the Retry-After it gave', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 300 }), (policy, requests) => {
        let state: BucketState | undefined;
        let refusal;
        for (let i = 0; i < requests && refusal === undefined; i++) {
          const result = takeFromBucket(state, 1, 0, policy);
          state = result.state;
          if (!result.decision.allowed) refusal = result.decision;
        }
        if (refusal === undefined) return;
        const later = takeFromBucket(state, 1, refusal.retryAfterSeconds * 1000, policy);
        expect(later.decision.allowed).toBe(true);
      }),
    );
  });

  it('refills nothing when the clock goes back', () => {
    const empty = takeFromBucket(undefined, 1, 10_000, { rate: 1, burst: 1 }).state;
    expect(takeFromBucket(empty, 1, 0, { rate: 1, burst: 1 }).decision.allowed).toBe(false);
  });
});
