import type { SupervisoryAuthority, Tenant, TenantStore } from '../../tenants/index.ts';
import { GatewayError } from '../../core/index.ts';
import type { SqliteDatabase } from './database.ts';

interface TenantRow {
  id: string;
  display_name: string;
  created_at: string;
  /** JSON of a `SupervisoryAuthority`, checked when it was set. */
  supervisory_authority: string | null;
}

const toTenant = (row: TenantRow): Tenant => ({
  id: row.id,
  displayName: row.display_name,
  createdAt: row.created_at,
  ...(row.supervisory_authority === null
    ? {}
    : { supervisoryAuthority: JSON.parse(row.supervisory_authority) as SupervisoryAuthority }),
});

export function sqliteTenantStore(db: SqliteDatabase): TenantStore {
  const byId = db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE id = ?');
  const all = db.prepare<[], TenantRow>('SELECT * FROM tenants ORDER BY created_at, id');
  const setAuthority = db.prepare<[string, string]>(
    'UPDATE tenants SET supervisory_authority = ? WHERE id = ?',
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
      // Only the four known fields are kept, whatever else the object carries.
      const { name, address, email, url } = authority;
      const stored = JSON.stringify({ name, address, email, url });
      if (setAuthority.run(stored, id).changes === 0) {
        return Promise.reject(new GatewayError('not_found', { detail: `no tenant ${id}` }));
      }
      return Promise.resolve();
    },
  };
}
