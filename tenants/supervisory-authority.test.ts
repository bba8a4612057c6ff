import { describe, expect, it } from 'vitest';
import {
  NRW_SUPERVISORY_AUTHORITY,
  parseSupervisoryAuthority,
  setSupervisoryAuthority,
  supervisoryAuthorityOf,
} from './supervisory-authority.ts';
import type { TenantStore } from './tenant.ts';

const lower = {
  name: 'Die Landesbeauftragte für den Datenschutz Niedersachsen',
  address: 'Prinzenstraße 5, 30159 Hannover',
  email: 'poststelle@lfd.niedersachsen.de',
  url: 'https://www.lfd.niedersachsen.de',
};

describe('supervisory authority', () => {
  it('defaults to the LDI NRW for a tenant that set none', () => {
    expect(supervisoryAuthorityOf({})).toEqual({
      name: 'Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen (LDI NRW)',
      address: 'Kavalleriestraße 2–4, 40213 Düsseldorf',
      email: 'poststelle@ldi.nrw.de',
      url: 'https://www.ldi.nrw.de',
    });
    expect(supervisoryAuthorityOf({ supervisoryAuthority: lower })).toBe(lower);
  });

  it('accepts four printable fields, trimmed', () => {
    expect(parseSupervisoryAuthority({ ...lower, name: `  ${lower.name} ` })).toEqual(lower);
  });

  it.each([
    ['an empty name', { name: ' ' }, '/name'],
    ['a line break in the address', { address: 'Prinzenstraße 5\nHannover' }, '/address'],
    ['a bidi override in the name', { name: 'LfD \u202E' }, '/name'],
    ['an e-mail without domain', { email: 'poststelle' }, '/email'],
    ['a plain-http website', { url: 'http://www.lfd.niedersachsen.de' }, '/url'],
    ['a website with credentials', { url: 'https://a:b@lfd.niedersachsen.de' }, '/url'],
    ['an unknown field', { phone: '0511 120 4500' }, ''],
  ])('refuses %s', (_, change, path) => {
    let error: unknown;
    try {
      parseSupervisoryAuthority({ ...lower, ...change });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'validation_failed' });
    expect((error as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(
      path === '' ? '/' : path,
    );
  });

  it('stores only what it checked', async () => {
    const stored: unknown[] = [];
    const tenants = {
      setSupervisoryAuthority: (id: string, authority: unknown) => {
        stored.push([id, authority]);
        return Promise.resolve();
      },
    } as unknown as TenantStore;
    await expect(setSupervisoryAuthority(tenants, 'koeln', lower)).resolves.toEqual(lower);
    await expect(
      setSupervisoryAuthority(tenants, 'koeln', { ...lower, url: '' }),
    ).rejects.toThrow();
    expect(stored).toEqual([['koeln', lower]]);
    expect(NRW_SUPERVISORY_AUTHORITY.email).toBe('poststelle@ldi.nrw.de');
  });
});
