import { z } from 'zod';
import { GatewayError } from '../core/index.ts';
import type { Tenant, TenantStore } from './tenant.ts';

/**
 * What the portal's official pages (Impressum, privacy statement, accessibility statement, help)
 * say about the municipality, beside its name (`Tenant.displayName`) and its supervisory
 * authority (`supervisoryAuthorityOf`). Public information of an authority, kept in clear. Each
 * field is lines of text, shown as lines, never as markup.
 */
export interface TenantProfile {
  /** Postal address of the municipality, e.g. ["Stadt Köln", "Willy-Brandt-Platz 2", "50679 Köln"]. */
  readonly address?: readonly string[];
  /** How to reach its data-protection officer: function or name, e-mail, phone. */
  readonly dpoContact?: readonly string[];
  /** Where to report accessibility barriers (BITV 2.0 § 7): e-mail, phone or address. */
  readonly accessibilityContact?: readonly string[];
  /** Who operates the site (Impressum): name, address, contact. */
  readonly operator?: readonly string[];
  /** Who represents the operator, e.g. "Oberbürgermeisterin …"; optional. */
  readonly representative?: readonly string[];
}

/** The profile fields the official pages cannot do without, in the order they are reported. */
export const REQUIRED_PROFILE_FIELDS = [
  'name',
  'address',
  'dpoContact',
  'accessibilityContact',
  'operator',
] as const;
export type RequiredProfileField = (typeof REQUIRED_PROFILE_FIELDS)[number];

// One printable line: no control characters, no bidi overrides that could reorder what the page
// shows, and no angle brackets, so nobody takes a field for a place to put markup.
const PRINTABLE_LINE = /^[^\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069<>]*$/u;
const line = z
  .string()
  .trim()
  .min(1, 'a line is not empty')
  .max(200, 'a line is at most 200 characters')
  .regex(PRINTABLE_LINE, 'one printable line without < or >');
const lines = (max: number) =>
  z.array(line).min(1, 'at least one line').max(max, `at most ${max} lines`);

/** The profile as `tenant set` gives it and the store keeps it. Unknown fields are refused. */
export const TenantProfileInput = z.strictObject({
  address: lines(6).optional(),
  dpoContact: lines(6).optional(),
  accessibilityContact: lines(4).optional(),
  operator: lines(8).optional(),
  representative: lines(3).optional(),
});

/** A municipality's name, as `newTenant` accepts a display name. */
const Name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(PRINTABLE_LINE, 'one printable line without < or >');

/** A change to the profile: the fields given replace those stored; the others stay. */
export interface ProfileChange extends TenantProfile {
  readonly name?: string;
}

const issuesOf = (error: z.ZodError) =>
  error.issues.map((issue) => ({
    path: '/' + issue.path.map(String).join('/'),
    message: issue.message,
  }));

/**
 * Checks a profile, answering it trimmed.
 *
 * @throws GatewayError `validation_failed` with one issue per wrong line.
 */
export function parseTenantProfile(input: unknown): TenantProfile {
  const parsed = TenantProfileInput.safeParse(input);
  if (!parsed.success) {
    throw new GatewayError('validation_failed', {
      detail: 'invalid tenant profile',
      errors: issuesOf(parsed.error),
    });
  }
  return dropUndefined(parsed.data);
}

/**
 * Checks a change to a tenant's profile, merges it into what is stored and stores the result:
 * what `tenant set --name … --address …` does. Answers the tenant as stored afterwards.
 *
 * @example
 * ```ts
 * await updateTenantProfile(storage.tenants, 'koeln', { address: ['Willy-Brandt-Platz 2', '50679 Köln'] });
 * ```
 * @throws GatewayError `validation_failed` (nothing stored) or `not_found` (no such tenant).
 */
export async function updateTenantProfile(
  tenants: TenantStore,
  tenantId: string,
  change: ProfileChange,
): Promise<Tenant> {
  const { name, ...fields } = change;
  const checkedName = name === undefined ? undefined : Name.safeParse(name);
  if (checkedName !== undefined && !checkedName.success) {
    throw new GatewayError('validation_failed', {
      detail: 'invalid tenant profile',
      errors: issuesOf(checkedName.error).map((issue) => ({ ...issue, path: '/name' })),
    });
  }
  const given = parseTenantProfile(fields);
  const tenant = await tenants.get(tenantId);
  if (tenant === undefined)
    throw new GatewayError('not_found', { detail: `no tenant ${tenantId}` });
  const profile = { ...tenant.profile, ...given };
  const displayName = checkedName?.data ?? tenant.displayName;
  await tenants.setProfile(tenantId, { displayName, profile });
  return { ...tenant, displayName, profile };
}

/**
 * The required fields a tenant's profile lacks, in a fixed order; empty when the official pages
 * can be filled. A name that is still the tenant id (what `init` without `--name` leaves) counts
 * as missing.
 */
export function missingProfileFields(tenant: Tenant): RequiredProfileField[] {
  return REQUIRED_PROFILE_FIELDS.filter((field) =>
    field === 'name' ? tenant.displayName === tenant.id : tenant.profile?.[field] === undefined,
  );
}

/**
 * The tenant whose site the portal is: the one the operator named (GATEWAY_PORTAL_TENANT), else
 * the oldest, which `init` (or the first start) made. A person of any tenant may sign in, but the
 * header, Impressum and privacy statement name one municipality as operator and controller.
 * (Choosing it by host name, for several municipalities behind one gateway, is not built.)
 */
export async function portalTenant(
  tenants: TenantStore,
  chosen?: string,
): Promise<Tenant | undefined> {
  if (chosen !== undefined) return tenants.get(chosen);
  const [first] = await tenants.list();
  return first;
}

function dropUndefined(profile: z.infer<typeof TenantProfileInput>): TenantProfile {
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined));
}

/**
 * Whether the portal may be served as an official site: `complete`, or why not — no tenant yet,
 * or the portal tenant and the required fields its profile lacks (in `REQUIRED_PROFILE_FIELDS`
 * order). How to fix it is the caller's to say: the CLI and the entries word it for their reader.
 */
export type PortalProfileState =
  | { readonly state: 'complete' }
  | { readonly state: 'no_tenant' }
  /** GATEWAY_PORTAL_TENANT names a tenant that does not exist. */
  | { readonly state: 'unknown_tenant'; readonly tenantId: string }
  /** Several tenants and none named: the site would name whichever is oldest. */
  | { readonly state: 'ambiguous'; readonly tenants: number }
  | {
      readonly state: 'incomplete';
      readonly tenantId: string;
      readonly missing: readonly RequiredProfileField[];
    };

/**
 * Reads the portal tenant (see `portalTenant`, `chosen` as there) and says whether its profile is
 * complete. With several tenants one must be chosen: an official site must not name whichever
 * municipality happens to be the oldest.
 */
export async function portalProfileState(
  tenants: TenantStore,
  chosen?: string,
): Promise<PortalProfileState> {
  let tenant: Tenant | undefined;
  if (chosen !== undefined) {
    tenant = await tenants.get(chosen);
    if (tenant === undefined) return { state: 'unknown_tenant', tenantId: chosen };
  } else {
    const all = await tenants.list();
    if (all.length > 1) return { state: 'ambiguous', tenants: all.length };
    tenant = all[0];
  }
  if (tenant === undefined) return { state: 'no_tenant' };
  const missing = missingProfileFields(tenant);
  return missing.length === 0
    ? { state: 'complete' }
    : { state: 'incomplete', tenantId: tenant.id, missing };
}
