export { newTenant, DEMO_TENANT, ProgrammeId, TenantId } from './tenant.ts';
export type { Tenant, TenantStore, NewTenant } from './tenant.ts';
export {
  NRW_SUPERVISORY_AUTHORITY,
  SupervisoryAuthorityInput,
  parseSupervisoryAuthority,
  setSupervisoryAuthority,
  supervisoryAuthorityOf,
} from './supervisory-authority.ts';
export type { SupervisoryAuthority } from './supervisory-authority.ts';
