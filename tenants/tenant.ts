import { z } from 'zod';
import { GatewayError, type Clock } from '../core/index.ts';

/**
 * A tenant is one municipality. Every record the gateway keeps carries its tenant, and no query
 * crosses tenants. The id appears in certificates (SAN URI) and URLs, so it is kept to a safe,
 * lower-case slug.
 */
export const TenantId = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,62}$/,
    'a tenant id is 2–63 characters: lower-case letters, digits and hyphens, starting with a letter',
  );

export interface Tenant {
  readonly id: string;
  readonly displayName: string;
  readonly createdAt: string;
}

/** The storage port the tenants module needs; `storage/` implements it per backend. */
export interface TenantStore {
  /** Records a new tenant; throws GatewayError `conflict` when the id is taken. */
  insert(tenant: Tenant): Promise<void>;
  get(id: string): Promise<Tenant | undefined>;
  /** All tenants, oldest first. */
  list(): Promise<Tenant[]>;
}

export interface NewTenant {
  readonly id: string;
  readonly displayName?: string;
}

/**
 * Creates a tenant record. Keys and the tenant CA are added by the PKI module.
 *
 * @example
 * ```ts
 * const tenant = await createTenant(store, systemClock, { id: 'koeln', displayName: 'Stadt Köln' });
 * ```
 */
export async function createTenant(
  store: TenantStore,
  clock: Clock,
  input: NewTenant,
): Promise<Tenant> {
  const id = TenantId.safeParse(input.id);
  if (!id.success) {
    throw new GatewayError('validation_failed', {
      detail: 'invalid tenant id',
      errors: id.error.issues.map((issue) => ({ path: '/id', message: issue.message })),
    });
  }
  const displayName = (input.displayName ?? id.data).trim();
  if (displayName.length === 0 || displayName.length > 200) {
    throw new GatewayError('validation_failed', {
      detail: 'invalid display name',
      errors: [{ path: '/displayName', message: 'a display name is 1–200 characters' }],
    });
  }
  const tenant: Tenant = { id: id.data, displayName, createdAt: clock.now().toISOString() };
  await store.insert(tenant);
  return tenant;
}

/** The tenant a fresh installation gets, so the README's examples work out of the box. */
export const DEMO_TENANT: NewTenant = { id: 'demo', displayName: 'Demo-Kommune' };

/**
 * Creates the demo tenant when no tenant exists yet (first start on an empty data dir), and only
 * then: an installation where an operator ran `init` keeps exactly the tenants it made.
 * Answers the tenant it created, or undefined.
 */
export async function ensureDemoTenant(
  store: TenantStore,
  clock: Clock,
): Promise<Tenant | undefined> {
  if ((await store.list()).length > 0) return undefined;
  return createTenant(store, clock, DEMO_TENANT);
}
