import type { TenantStore } from '../../tenants/index.ts';
import { GatewayError } from '../../core/index.ts';
import {
  authorityJson,
  profileJson,
  TENANT_COLUMNS,
  toTenant,
  type TenantRow,
} from '../rows/tenants.ts';
import type { PgDatabase } from './database.ts';

/** The TenantStore over PostgreSQL. Tenants are created by the PKI store, with their keys. */
export function pgTenantStore(db: PgDatabase): TenantStore {
  return {
    async get(id) {
      const [row] = await db.rows<TenantRow>(
        `SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = $1`,
        [id],
      );
      return row ? toTenant(row) : undefined;
    },
    async list() {
      const rows = await db.rows<TenantRow>(
        `SELECT ${TENANT_COLUMNS} FROM tenants ORDER BY created_at, id`,
      );
      return rows.map(toTenant);
    },
    async setSupervisoryAuthority(id, authority) {
      const { rowCount } = await db.query(
        'UPDATE tenants SET supervisory_authority = $1 WHERE id = $2',
        [authorityJson(authority), id],
      );
      if (rowCount === 0) throw new GatewayError('not_found', { detail: `no tenant ${id}` });
    },
    async setProgramme(id, programme) {
      const { rowCount } = await db.query('UPDATE tenants SET programme = $1 WHERE id = $2', [
        programme ?? null,
        id,
      ]);
      if (rowCount === 0) throw new GatewayError('not_found', { detail: `no tenant ${id}` });
    },
    async setProfile(id, { displayName, profile }) {
      const { rowCount } = await db.query(
        'UPDATE tenants SET display_name = $1, profile = $2 WHERE id = $3',
        [displayName, profileJson(profile), id],
      );
      if (rowCount === 0) throw new GatewayError('not_found', { detail: `no tenant ${id}` });
    },
  };
}
