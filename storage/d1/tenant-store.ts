import { GatewayError } from '../../core/index.ts';
import type { TenantStore } from '../../tenants/index.ts';
import {
  authorityJson,
  profileJson,
  TENANT_COLUMNS,
  toTenant,
  type TenantRow,
} from '../rows/tenants.ts';
import type { D1Database } from './d1.ts';

/** The TenantStore over D1. Tenants are created by the PKI store, with their keys. */
export function d1TenantStore(db: D1Database): TenantStore {
  return {
    async get(id) {
      const row = await db
        .prepare(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = ?`)
        .bind(id)
        .first<TenantRow>();
      return row ? toTenant(row) : undefined;
    },
    async list() {
      const { results } = await db
        .prepare(`SELECT ${TENANT_COLUMNS} FROM tenants ORDER BY created_at, id`)
        .all<TenantRow>();
      return results.map(toTenant);
    },
    async setSupervisoryAuthority(id, authority) {
      const { meta } = await db
        .prepare('UPDATE tenants SET supervisory_authority = ? WHERE id = ?')
        .bind(authorityJson(authority), id)
        .run();
      if (meta.changes === 0) throw new GatewayError('not_found', { detail: `no tenant ${id}` });
    },
    async setProgramme(id, programme) {
      const { meta } = await db
        .prepare('UPDATE tenants SET programme = ? WHERE id = ?')
        .bind(programme ?? null, id)
        .run();
      if (meta.changes === 0) throw new GatewayError('not_found', { detail: `no tenant ${id}` });
    },
    async setProfile(id, { displayName, profile }) {
      const { meta } = await db
        .prepare('UPDATE tenants SET display_name = ?, profile = ? WHERE id = ?')
        .bind(displayName, profileJson(profile), id)
        .run();
      if (meta.changes === 0) throw new GatewayError('not_found', { detail: `no tenant ${id}` });
    },
  };
}
