import { GatewayError } from '../../core/index.ts';
import type { SupervisoryAuthority, Tenant, TenantStore } from '../../tenants/index.ts';
import type { D1Database } from './d1.ts';

interface TenantRow {
  id: string;
  display_name: string;
  created_at: string;
  /** JSON of a `SupervisoryAuthority`, checked when it was set. */
  supervisory_authority: string | null;
}

const COLUMNS = 'id, display_name, created_at, supervisory_authority';

const toTenant = (row: TenantRow): Tenant => ({
  id: row.id,
  displayName: row.display_name,
  createdAt: row.created_at,
  ...(row.supervisory_authority === null
    ? {}
    : { supervisoryAuthority: JSON.parse(row.supervisory_authority) as SupervisoryAuthority }),
});

/** The TenantStore over D1. Tenants are created by the PKI store, with their keys. */
export function d1TenantStore(db: D1Database): TenantStore {
  return {
    async get(id) {
      const row = await db
        .prepare(`SELECT ${COLUMNS} FROM tenants WHERE id = ?`)
        .bind(id)
        .first<TenantRow>();
      return row ? toTenant(row) : undefined;
    },
    async list() {
      const { results } = await db
        .prepare(`SELECT ${COLUMNS} FROM tenants ORDER BY created_at, id`)
        .all<TenantRow>();
      return results.map(toTenant);
    },
    async setSupervisoryAuthority(id, authority) {
      // Only the four known fields are kept, whatever else the object carries.
      const { name, address, email, url } = authority;
      const stored = JSON.stringify({ name, address, email, url });
      const { meta } = await db
        .prepare('UPDATE tenants SET supervisory_authority = ? WHERE id = ?')
        .bind(stored, id)
        .run();
      if (meta.changes === 0) throw new GatewayError('not_found', { detail: `no tenant ${id}` });
    },
  };
}
