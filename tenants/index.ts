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
  PROFILE_FLAGS,
  REQUIRED_PROFILE_FIELDS,
  TenantProfileInput,
  incompletePortalProfile,
  incompleteProfileLine,
  missingProfileFields,
  parseTenantProfile,
  portalTenant,
  updateTenantProfile,
} from './profile.ts';
export type { ProfileChange, RequiredProfileField, TenantProfile } from './profile.ts';
