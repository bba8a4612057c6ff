import { z } from 'zod';
import { GatewayError, type Clock } from '../core/index.ts';
import type { TenantProfile } from './profile.ts';
import type { SupervisoryAuthority } from './supervisory-authority.ts';

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
  /** Where a person may complain; absent: the NRW one (see `supervisoryAuthorityOf`). */
  readonly supervisoryAuthority?: SupervisoryAuthority;
  /** The programme whose cross-municipality monitoring view this tenant takes part in. */
  readonly programme?: string;
  /** What the portal's official pages say about the municipality; absent: nothing set yet. */
  readonly profile?: TenantProfile;
}

/** A programme's id, as `tenant set --programme` takes it and the monitoring view names it. */
export const ProgrammeId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,62}$/, 'a programme id is a lower-case slug like a tenant id');

/**
 * Tenants and their settings. Tenants are created only together with their keys (see
 * `provisionTenant` in `certs/`), so a tenant without a CA can never exist.
 */
export interface TenantStore {
  get(id: string): Promise<Tenant | undefined>;
  /** All tenants, oldest first. */
  list(): Promise<Tenant[]>;
  /**
   * Sets the tenant's supervisory authority, replacing any earlier one. Notices made after it
   * name the new one; notices already shown keep their text and hash.
   *
   * @throws GatewayError `not_found` when there is no such tenant.
   */
  setSupervisoryAuthority(id: string, authority: SupervisoryAuthority): Promise<void>;
  /**
   * Lets the tenant's aggregates take part in a programme's view across municipalities, or
   * (undefined) keeps them within the tenant.
   *
   * @throws GatewayError `not_found` when there is no such tenant.
   */
  setProgramme(id: string, programme: string | undefined): Promise<void>;
  /**
   * Sets the municipality's name and its profile together, replacing both (a checked, merged
   * profile: see `updateTenantProfile`).
   *
   * @throws GatewayError `not_found` when there is no such tenant.
   */
  setProfile(
    id: string,
    update: { readonly displayName: string; readonly profile: TenantProfile },
  ): Promise<void>;
}

export interface NewTenant {
  readonly id: string;
  readonly displayName?: string;
}

/** The tenant a fresh installation gets, so the README's examples work out of the box. */
export const DEMO_TENANT: NewTenant = { id: 'demo', displayName: 'Demo-Kommune' };

/**
 * Validates a new tenant's id and name and stamps it with the time; stores nothing.
 *
 * @example
 * ```ts
 * const tenant = newTenant(systemClock, { id: 'koeln', displayName: 'Stadt Köln' });
 * ```
 */
export function newTenant(clock: Clock, input: NewTenant): Tenant {
  const id = TenantId.safeParse(input.id);
  if (!id.success) {
    throw new GatewayError('validation_failed', {
      detail: 'invalid tenant id',
      errors: id.error.issues.map((issue) => ({ path: '/id', message: issue.message })),
    });
  }
  const displayName = (input.displayName ?? id.data).trim();
  // The name heads every portal page: no control character or bidi override may reorder it.
  const unprintable = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
  if (displayName.length === 0 || displayName.length > 200 || unprintable.test(displayName)) {
    throw new GatewayError('validation_failed', {
      detail: 'invalid display name',
      errors: [{ path: '/displayName', message: 'a display name is 1–200 printable characters' }],
    });
  }
  return { id: id.data, displayName, createdAt: clock.now().toISOString() };
}
