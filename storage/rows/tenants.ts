import type { SupervisoryAuthority, Tenant, TenantProfile } from '../../tenants/index.ts';

/** A `tenants` row as SQLite, PostgreSQL and D1 all hold it. */
export interface TenantRow {
  id: string;
  display_name: string;
  created_at: string;
  /** JSON of a `SupervisoryAuthority`, checked when it was set. */
  supervisory_authority: string | null;
  programme: string | null;
  /** JSON of a `TenantProfile`, checked when it was set; public, so in clear. */
  profile: string | null;
}

/** The columns a {@link TenantRow} reads. */
export const TENANT_COLUMNS =
  'id, display_name, created_at, supervisory_authority, programme, profile';

export const toTenant = (row: TenantRow): Tenant => ({
  id: row.id,
  displayName: row.display_name,
  createdAt: row.created_at,
  ...(row.supervisory_authority === null
    ? {}
    : { supervisoryAuthority: JSON.parse(row.supervisory_authority) as SupervisoryAuthority }),
  ...(row.programme === null ? {} : { programme: row.programme }),
  ...(row.profile === null ? {} : { profile: JSON.parse(row.profile) as TenantProfile }),
});

/** The authority as the column keeps it: only the four known fields, whatever else it carries. */
export const authorityJson = (authority: SupervisoryAuthority): string => {
  const { name, address, email, url } = authority;
  return JSON.stringify({ name, address, email, url });
};

/** The profile as the column keeps it: only the known fields, whatever else it carries. */
export const profileJson = (profile: TenantProfile): string => {
  const { address, dpoContact, accessibilityContact, operator, representative } = profile;
  return JSON.stringify({ address, dpoContact, accessibilityContact, operator, representative });
};
