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
export {
  REQUIRED_PROFILE_FIELDS,
  TenantProfileInput,
  missingProfileFields,
  parseTenantProfile,
  portalProfileState,
  portalTenant,
  updateTenantProfile,
} from './profile.ts';
export type {
  PortalProfileState,
  ProfileChange,
  RequiredProfileField,
  TenantProfile,
} from './profile.ts';
