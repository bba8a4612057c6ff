export { newTenant, DEMO_TENANT, TenantId } from './tenant.ts';
export type { Tenant, TenantStore, NewTenant } from './tenant.ts';
