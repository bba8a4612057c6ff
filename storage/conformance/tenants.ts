import { describe, expect, it } from 'vitest';
import type { SupervisoryAuthority, TenantProfile } from '../../tenants/index.ts';
import {
  A,
  B,
  LATER,
  expectConflict,
  failureOf,
  tenant,
  tenantKeys,
  type ConformanceWorld,
} from './world.ts';

const authority: SupervisoryAuthority = {
  name: 'Die Landesbeauftragte für den Datenschutz Niedersachsen',
  address: 'Prinzenstraße 5, 30159 Hannover',
  email: 'poststelle@lfd.niedersachsen.de',
  url: 'https://www.lfd.niedersachsen.de',
};

const profile: TenantProfile = {
  address: ['Stadt Köln', 'Willy-Brandt-Platz 2', '50679 Köln'],
  dpoContact: ['Behördliche Datenschutzbeauftragte', 'datenschutz@stadt-koeln.example'],
  accessibilityContact: ['barrierefrei@stadt-koeln.example', '+49 221 0000-0'],
  operator: ['Stadt Köln, Amt für Informationsverarbeitung', 'Willy-Brandt-Platz 2, 50679 Köln'],
  representative: ['Die Oberbürgermeisterin'],
};

/** TenantStore: tenants as the PKI store created them, and their supervisory authority. */
export function describeTenants(world: ConformanceWorld): void {
  describe('TenantStore', () => {
    it('answers a tenant by id, and all of them oldest first', async () => {
      await world.storage.pki.createTenant(tenant('bonn', LATER), tenantKeys('bonn'));
      await world.storage.pki.createTenant(tenant('aachen', LATER), tenantKeys('aachen'));
      expect(await world.storage.tenants.get(A)).toEqual(tenant(A));
      expect(await world.storage.tenants.get('muenster')).toBeUndefined();
      const ids = (await world.storage.tenants.list()).map((t) => t.id);
      expect(ids.slice(0, 2).sort()).toEqual([A, B].sort());
      expect(ids.slice(2).sort()).toEqual(['aachen', 'bonn']);
    });

    it('has no supervisory authority for a new tenant', async () => {
      expect(await world.storage.tenants.get(A)).not.toHaveProperty('supervisoryAuthority');
    });

    it('keeps the last supervisory authority set, for that tenant only', async () => {
      await world.storage.tenants.setSupervisoryAuthority(A, { ...authority, name: 'first' });
      await world.storage.tenants.setSupervisoryAuthority(A, authority);
      expect((await world.storage.tenants.get(A))?.supervisoryAuthority).toEqual(authority);
      const listed = (await world.storage.tenants.list()).find((t) => t.id === A);
      expect(listed?.supervisoryAuthority).toEqual(authority);
      expect(await world.storage.tenants.get(B)).not.toHaveProperty('supervisoryAuthority');
    });

    it('keeps the programme a tenant takes part in until it is taken back', async () => {
      expect(await world.storage.tenants.get(A)).not.toHaveProperty('programme');
      await world.storage.tenants.setProgramme(A, 'nrw');
      expect((await world.storage.tenants.get(A))?.programme).toBe('nrw');
      expect((await world.storage.tenants.list()).find((t) => t.id === A)?.programme).toBe('nrw');
      expect(await world.storage.tenants.get(B)).not.toHaveProperty('programme');
      await world.storage.tenants.setProgramme(A, undefined);
      expect(await world.storage.tenants.get(A)).not.toHaveProperty('programme');
      const failure = await failureOf(() => world.storage.tenants.setProgramme('muenster', 'nrw'));
      expect(failure).toMatchObject({ code: 'not_found' });
    });

    it('has no profile for a new tenant', async () => {
      expect(await world.storage.tenants.get(A)).not.toHaveProperty('profile');
    });

    it('keeps the name and profile last set, line by line, for that tenant only', async () => {
      const first = { displayName: 'Köln (alt)', profile: { address: ['Altes Rathaus'] } };
      await world.storage.tenants.setProfile(A, first);
      await world.storage.tenants.setProfile(A, { displayName: 'Stadt Köln', profile });
      const stored = await world.storage.tenants.get(A);
      expect(stored).toEqual({ ...tenant(A), displayName: 'Stadt Köln', profile });
      const listed = (await world.storage.tenants.list()).find((t) => t.id === A);
      expect(listed?.profile).toEqual(profile);
      expect(await world.storage.tenants.get(B)).toEqual(tenant(B));
    });

    it('keeps a partial profile as it is, and the other settings beside it', async () => {
      await world.storage.tenants.setSupervisoryAuthority(A, authority);
      await world.storage.tenants.setProgramme(A, 'nrw');
      const partial = { dpoContact: ['datenschutz@stadt-koeln.example'] };
      await world.storage.tenants.setProfile(A, { displayName: 'Stadt Köln', profile: partial });
      const stored = await world.storage.tenants.get(A);
      expect(stored?.profile).toEqual(partial);
      expect(stored?.supervisoryAuthority).toEqual(authority);
      expect(stored?.programme).toBe('nrw');
    });

    it('answers not_found for a profile of an unknown tenant and creates none', async () => {
      const failure = await failureOf(() =>
        world.storage.tenants.setProfile('muenster', { displayName: 'Münster', profile }),
      );
      expect(failure).toMatchObject({ code: 'not_found' });
      expect(await world.storage.tenants.get('muenster')).toBeUndefined();
    });

    it('answers not_found for an unknown tenant and creates none', async () => {
      const failure = await failureOf(() =>
        world.storage.tenants.setSupervisoryAuthority('muenster', authority),
      );
      expect(failure).toMatchObject({ code: 'not_found' });
      expect(await world.storage.tenants.get('muenster')).toBeUndefined();
    });

    it('keeps a tenant as created, whatever a conflicting second creation carried', async () => {
      expectConflict(
        await failureOf(() =>
          world.storage.pki.createTenant({ ...tenant(A), displayName: 'Other' }, tenantKeys(A)),
        ),
      );
      expect(await world.storage.tenants.get(A)).toEqual(tenant(A));
    });
  });
}
