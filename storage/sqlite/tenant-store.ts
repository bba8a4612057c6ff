import type { Tenant, TenantStore } from '../../tenants/index.ts';
import type { SqliteDatabase } from './database.ts';

interface TenantRow {
  id: string;
  display_name: string;
  created_at: string;
}

const toTenant = (row: TenantRow): Tenant => ({
  id: row.id,
  displayName: row.display_name,
  createdAt: row.created_at,
});

export function sqliteTenantStore(db: SqliteDatabase): TenantStore {
  const byId = db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE id = ?');
  const all = db.prepare<[], TenantRow>('SELECT * FROM tenants ORDER BY created_at, id');
  return {
    get(id) {
      const row = byId.get(id);
      return Promise.resolve(row ? toTenant(row) : undefined);
    },
    list() {
      return Promise.resolve(all.all().map(toTenant));
    },
  };
}
