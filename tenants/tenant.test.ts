import { describe, expect, it } from 'vitest';
import { FixedClock } from '../core/index.ts';
import { DEMO_TENANT, newTenant } from './tenant.ts';

const clock = new FixedClock('2026-11-25T10:00:00Z');

describe('newTenant', () => {
  it('stamps a valid tenant with its trimmed name and the time', () => {
    expect(newTenant(clock, { id: 'koeln', displayName: ' Stadt Köln ' })).toEqual({
      id: 'koeln',
      displayName: 'Stadt Köln',
      createdAt: '2026-11-25T10:00:00.000Z',
    });
  });

  it('names the tenant by its id when no name is given', () => {
    expect(newTenant(clock, { id: 'kreis-lippe' }).displayName).toBe('kreis-lippe');
  });

  it.each(['K', 'Koeln', '1koeln', 'koeln/../x', 'köln', 'a'.repeat(64), '', 'ko eln'])(
    'refuses the id %j with validation_failed',
    (id) => {
      expect(() => newTenant(clock, { id })).toThrow(
        expect.objectContaining({ code: 'validation_failed' }) as Error,
      );
    },
  );

  it.each(['', '   ', 'x'.repeat(201), 'line\nbreak', 'Stadt \u202Enl\u00f6K', 'a\u2066b'])(
    'refuses the display name %j',
    (displayName) => {
      expect(() => newTenant(clock, { id: 'koeln', displayName })).toThrow(
        expect.objectContaining({ code: 'validation_failed' }) as Error,
      );
    },
  );

  it('has a valid demo tenant', () => {
    expect(newTenant(clock, DEMO_TENANT).id).toBe('demo');
  });
});
