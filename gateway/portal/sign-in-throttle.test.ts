import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../core/index.ts';
import { SignInThrottle } from './sign-in-throttle.ts';

describe('SignInThrottle', () => {
  it('lets an address fail up to the limit, then makes it wait for the window to pass', () => {
    const clock = new FixedClock('2026-11-25T10:00:00Z');
    const throttle = new SignInThrottle({ limit: 3, windowMs: 60_000, clock });
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfter('a')).toBe(0);
      throttle.fail('a');
    }
    expect(throttle.retryAfter('a')).toBe(60);
    expect(throttle.retryAfter('b')).toBe(0);
    clock.advance(45_000);
    expect(throttle.retryAfter('a')).toBe(15);
    clock.advance(15_000);
    expect(throttle.retryAfter('a')).toBe(0);
  });

  it('counts an attempt when reserved, so no more than the limit go ahead, and gives back a success', () => {
    const clock = new FixedClock('2026-11-25T10:00:00Z');
    const throttle = new SignInThrottle({ limit: 3, windowMs: 60_000, clock });
    // Three reserved, none settled yet: the fourth waits, though nothing has failed so far.
    expect([1, 2, 3, 4].map(() => throttle.reserve('a'))).toEqual([0, 0, 0, 60]);
    // One of them succeeds: its place is free again, for one more attempt.
    throttle.release('a');
    expect(throttle.reserve('a')).toBe(0);
    expect(throttle.reserve('a')).toBe(60);
    expect(throttle.retryAfter('b')).toBe(0);
    throttle.release('b'); // nothing reserved: nothing to give back
    expect(throttle.reserve('b')).toBe(0);
  });

  it('keeps its table bounded under a flood of addresses', () => {
    const clock = new FixedClock('2026-11-25T10:00:00Z');
    const throttle = new SignInThrottle({ limit: 1, windowMs: 60_000, clock, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) throttle.fail(`10.0.${i >> 8}.${i & 255}`);
    // The newest are still limited; the oldest were dropped to make room.
    expect(throttle.retryAfter('10.0.3.231')).toBeGreaterThan(0);
    expect(throttle.retryAfter('10.0.0.0')).toBe(0);
  });

  it('refuses a nonsensical configuration when built', () => {
    const clock = new FixedClock('2026-11-25T10:00:00Z');
    expect(() => new SignInThrottle({ limit: 0, windowMs: 1, clock })).toThrow(RangeError);
    expect(() => new SignInThrottle({ limit: 1, windowMs: 0, clock })).toThrow(RangeError);
  });
});
