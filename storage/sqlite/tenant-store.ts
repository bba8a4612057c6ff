import { SqliteError } from 'better-sqlite3';
import { GatewayError } from '../../core/index.ts';
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
  const insert = db.prepare(
    'INSERT INTO tenants (id, display_name, created_at) VALUES (@id, @displayName, @createdAt)',
  );
  const byId = db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE id = ?');
  const all = db.prepare<[], TenantRow>('SELECT * FROM tenants ORDER BY created_at, id');
  return {
    insert(tenant) {
      try {
        insert.run(tenant);
      } catch (error) {
        if (error instanceof SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new GatewayError('conflict', { detail: `tenant ${tenant.id} exists already` });
        }
        throw error;
      }
      return Promise.resolve();
    },
    get(id) {
      const row = byId.get(id);
      return Promise.resolve(row ? toTenant(row) : undefined);
    },
    list() {
      return Promise.resolve(all.all().map(toTenant));
    },
  };
}
