import type { TenantStore } from '../../tenants/index.ts';
import { GatewayError } from '../../core/index.ts';
import {
  authorityJson,
  profileJson,
  TENANT_COLUMNS,
  toTenant,
  type TenantRow,
} from '../rows/tenants.ts';
import type { SqliteDatabase } from './database.ts';

export function sqliteTenantStore(db: SqliteDatabase): TenantStore {
  const byId = db.prepare<[string], TenantRow>(
    `SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = ?`,
  );
  const all = db.prepare<[], TenantRow>(
    `SELECT ${TENANT_COLUMNS} FROM tenants ORDER BY created_at, id`,
  );
  const setAuthority = db.prepare<[string, string]>(
    'UPDATE tenants SET supervisory_authority = ? WHERE id = ?',
  );
  const setProgramme = db.prepare<[string | null, string]>(
    'UPDATE tenants SET programme = ? WHERE id = ?',
  );
  const setProfile = db.prepare<[string, string, string]>(
    'UPDATE tenants SET display_name = ?, profile = ? WHERE id = ?',
  );
  return {
    get(id) {
      const row = byId.get(id);
      return Promise.resolve(row ? toTenant(row) : undefined);
    },
    list() {
      return Promise.resolve(all.all().map(toTenant));
    },
    setSupervisoryAuthority(id, authority) {
      if (setAuthority.run(authorityJson(authority), id).changes === 0) {
        return Promise.reject(new GatewayError('not_found', { detail: `no tenant ${id}` }));
      }
      return Promise.resolve();
    },
    setProgramme(id, programme) {
      if (setProgramme.run(programme ?? null, id).changes === 0) {
        return Promise.reject(new GatewayError('not_found', { detail: `no tenant ${id}` }));
      }
      return Promise.resolve();
    },
    setProfile(id, { displayName, profile }) {
      if (setProfile.run(displayName, profileJson(profile), id).changes === 0) {
        return Promise.reject(new GatewayError('not_found', { detail: `no tenant ${id}` }));
      }
      return Promise.resolve();
    },
  };
}
