import { describe, expect, it } from 'vitest';
import { FixedClock, systemClock } from './clock.ts';

describe('clocks', () => {
  it('a fixed clock stands still until advanced', () => {
    const clock = new FixedClock('2026-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:30.000Z');
  });

  it('a fixed clock refuses an invalid start', () => {
    expect(() => new FixedClock('not a date')).toThrow(RangeError);
  });

  it('the system clock tells the current time', () => {
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1000);
  });
});
