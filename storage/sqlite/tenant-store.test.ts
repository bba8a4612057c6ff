import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionTenant, type PkiDeps } from '../../certs/index.ts';
import { FixedClock } from '../../core/index.ts';
import { pkiDeps } from '../../test/support/pki.ts';
import { tempDir } from '../../test/support/temp.ts';
import { setSupervisoryAuthority } from '../../tenants/index.ts';
import { openSqliteStorage, type SqliteStorage } from './storage.ts';

const clock = new FixedClock('2026-11-25T10:00:00Z');
let dir: ReturnType<typeof tempDir>;
let storage: SqliteStorage;
let deps: PkiDeps;

const lower = {
  name: 'Die Landesbeauftragte für den Datenschutz Niedersachsen',
  address: 'Prinzenstraße 5, 30159 Hannover',
  email: 'poststelle@lfd.niedersachsen.de',
  url: 'https://www.lfd.niedersachsen.de',
};

beforeEach(async () => {
  dir = tempDir();
  storage = openSqliteStorage(dir.path);
  deps = await pkiDeps(storage, clock);
  await provisionTenant(deps, { id: 'koeln', displayName: 'Köln' });
});
afterEach(() => {
  storage.close();
  dir.remove();
});

describe('sqlite TenantStore', () => {
  it('has no supervisory authority for a new tenant', async () => {
    const tenant = await storage.tenants.get('koeln');
    expect(tenant).toBeDefined();
    expect(tenant).not.toHaveProperty('supervisoryAuthority');
  });

  it('keeps the supervisory authority it was given, and the last one set', async () => {
    await storage.tenants.setSupervisoryAuthority('koeln', { ...lower, name: 'first' });
    await setSupervisoryAuthority(storage.tenants, 'koeln', lower);
    expect((await storage.tenants.get('koeln'))?.supervisoryAuthority).toEqual(lower);
    expect((await storage.tenants.list())[0]?.supervisoryAuthority).toEqual(lower);
  });

  it('stores only the four fields, as JSON in the column', async () => {
    const extra = { ...lower, phone: '0511 120 4500' };
    await storage.tenants.setSupervisoryAuthority('koeln', extra);
    const column = storage.db
      .prepare('SELECT supervisory_authority FROM tenants WHERE id = ?')
      .pluck()
      .get('koeln');
    expect(JSON.parse(String(column))).toEqual(lower);
  });

  it('answers not_found for an unknown tenant and changes nothing', async () => {
    await expect(storage.tenants.setSupervisoryAuthority('bonn', lower)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect((await storage.tenants.get('koeln'))?.supervisoryAuthority).toBeUndefined();
  });
});
