import type { PortalProfileState, ProfileChange } from '../../../tenants/index.ts';

/**
 * The `consent-gateway tenant set` flag of each profile field (without its `--`): the CLI parses
 * these, and the line below names them, so both say the same.
 */
export const PROFILE_FLAGS = {
  name: 'name',
  address: 'address',
  dpoContact: 'dpo-contact',
  accessibilityContact: 'accessibility-contact',
  operator: 'operator',
  representative: 'representative',
} as const satisfies Readonly<Record<keyof ProfileChange, string>>;

/**
 * The one line that says what a tenant's profile lacks and the command that sets it: for the
 * Node entry's refused start, the edge's closed portal and `tenant set`/`tenant show`.
 *
 * @example
 * ```ts
 * incompleteProfileLine('demo', ['address', 'dpoContact']);
 * // 'tenant demo: profile incomplete (missing: address, dpoContact); set it with:
 * //  consent-gateway tenant set --tenant demo --address … --dpo-contact …'
 * ```
 */
export function incompleteProfileLine(
  tenantId: string,
  missing: readonly (keyof ProfileChange)[],
): string {
  const flags = missing.map((field) => `--${PROFILE_FLAGS[field]} …`).join(' ');
  return (
    `tenant ${tenantId}: profile incomplete (missing: ${missing.join(', ')}); ` +
    `set it with: consent-gateway tenant set --tenant ${tenantId} ${flags}`
  );
}

/** Why the portal may not be served yet, and what to run: one line for the operator's log. */
export function portalNotReadyLine(
  state: Exclude<PortalProfileState, { readonly state: 'complete' }>,
): string {
  switch (state.state) {
    case 'no_tenant':
      return 'no tenant: create one with: consent-gateway init --tenant ID --name NAME';
    case 'unknown_tenant':
      return `GATEWAY_PORTAL_TENANT names no tenant: ${state.tenantId}`;
    case 'ambiguous':
      return (
        `${String(state.tenants)} tenants: name the one whose site the portal is with ` +
        'GATEWAY_PORTAL_TENANT=ID'
      );
    case 'incomplete':
      return incompleteProfileLine(state.tenantId, state.missing);
  }
}
