import { describe, expect, it } from 'vitest';
import {
  missingProfileFields,
  parseTenantProfile,
  REQUIRED_PROFILE_FIELDS,
  updateTenantProfile,
} from './profile.ts';
import type { Tenant, TenantStore } from './tenant.ts';

const tenant = (overrides: Partial<Tenant> = {}): Tenant => ({
  id: 'koeln',
  displayName: 'Stadt Köln',
  createdAt: '2026-12-05T10:00:00.000Z',
  ...overrides,
});

describe('tenant profile', () => {
  it('accepts lines, trimmed, and drops fields not given', () => {
    expect(parseTenantProfile({ address: ['  Willy-Brandt-Platz 2 ', '50679 Köln'] })).toEqual({
      address: ['Willy-Brandt-Platz 2', '50679 Köln'],
    });
  });

  it('refuses markup, control characters, empty and overlong lines, unknown fields', () => {
    for (const bad of [
      { address: ['<script>'] },
      { address: ['a\u202Eb'] },
      { address: ['Rat\rhaus'] },
      { dpoContact: [''] },
      { operator: ['x'.repeat(201)] },
      { accessibilityContact: ['a', 'b', 'c', 'd', 'e'] },
      { address: [] },
      { website: ['https://example.org'] },
    ]) {
      expect(() => parseTenantProfile(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
    }
  });

  it('names the missing required fields in order; a name still the id counts as missing', () => {
    expect(missingProfileFields(tenant())).toEqual(REQUIRED_PROFILE_FIELDS.slice(1));
    expect(missingProfileFields(tenant({ displayName: 'koeln' }))[0]).toBe('name');
    const complete = tenant({
      profile: { address: ['a'], dpoContact: ['b'], accessibilityContact: ['c'], operator: ['d'] },
    });
    expect(missingProfileFields(complete)).toEqual([]);
  });

  it('refuses a name with a bidi override or control character before reading the store', async () => {
    const untouched = {} as TenantStore;
    for (const name of ['Stadt\u202EKöln', 'Stadt\u2066Köln', 'Stadt\nKöln', '<b>Köln</b>']) {
      await expect(updateTenantProfile(untouched, 'koeln', { name }), name).rejects.toMatchObject({
        code: 'validation_failed',
        errors: [expect.objectContaining({ path: '/name' })],
      });
    }
  });
});
