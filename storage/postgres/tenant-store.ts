import type { SupervisoryAuthority, Tenant, TenantStore } from '../../tenants/index.ts';
import { GatewayError } from '../../core/index.ts';
import type { PgDatabase, Row } from './database.ts';

interface TenantRow extends Row {
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

/** The TenantStore over PostgreSQL. Tenants are created by the PKI store, with their keys. */
export function pgTenantStore(db: PgDatabase): TenantStore {
  return {
    async get(id) {
      const [row] = await db.rows<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE id = $1`, [id]);
      return row ? toTenant(row) : undefined;
    },
    async list() {
      const rows = await db.rows<TenantRow>(
        `SELECT ${COLUMNS} FROM tenants ORDER BY created_at, id`,
      );
      return rows.map(toTenant);
    },
    async setSupervisoryAuthority(id, authority) {
      // Only the four known fields are kept, whatever else the object carries.
      const { name, address, email, url } = authority;
      const stored = JSON.stringify({ name, address, email, url });
      const { rowCount } = await db.query(
        'UPDATE tenants SET supervisory_authority = $1 WHERE id = $2',
        [stored, id],
      );
      if (rowCount === 0) throw new GatewayError('not_found', { detail: `no tenant ${id}` });
    },
  };
}
