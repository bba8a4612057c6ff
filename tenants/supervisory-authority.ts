import { z } from 'zod';
import { GatewayError } from '../core/index.ts';
import type { TenantStore } from './tenant.ts';

/**
 * The data-protection supervisory authority a person may complain to (Art. 77 GDPR). Public
 * bodies of a German state answer to that state's commissioner, so it is set per tenant.
 */
export interface SupervisoryAuthority {
  readonly name: string;
  /** Postal address on one line, e.g. "Kavalleriestraße 2–4, 40213 Düsseldorf". */
  readonly address: string;
  readonly email: string;
  /** https URL of its website. */
  readonly url: string;
}

/** The authority for municipalities in North Rhine-Westphalia: the default of every tenant. */
export const NRW_SUPERVISORY_AUTHORITY: SupervisoryAuthority = {
  name: 'Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen (LDI NRW)',
  address: 'Kavalleriestraße 2–4, 40213 Düsseldorf',
  email: 'poststelle@ldi.nrw.de',
  url: 'https://www.ldi.nrw.de',
};

// Shown in the notice the person signs: one printable line each, no control characters that
// could forge lines or reorder text.
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/u, 'one printable line');

/** The four fields as an operator gives them (`tenant set`). */
export const SupervisoryAuthorityInput = z.strictObject({
  name: line(200),
  address: line(300),
  email: z.email().max(254),
  url: z
    .url({ protocol: /^https$/, hostname: z.regexes.domain })
    .max(500)
    .refine(
      (value) => {
        const url = new URL(value);
        return url.username === '' && url.password === '' && url.hash === '';
      },
      { message: 'no credentials or fragment' },
    ),
});

/**
 * Checks an operator's supervisory authority and answers it trimmed.
 *
 * @throws GatewayError `validation_failed` with one issue per wrong field.
 */
export function parseSupervisoryAuthority(input: unknown): SupervisoryAuthority {
  const parsed = SupervisoryAuthorityInput.safeParse(input);
  if (!parsed.success) {
    throw new GatewayError('validation_failed', {
      detail: 'invalid supervisory authority',
      errors: parsed.error.issues.map((issue) => ({
        path: '/' + issue.path.map(String).join('/'),
        message: issue.message,
      })),
    });
  }
  return parsed.data;
}

/** The tenant's authority, or the NRW one where the operator set none. */
export function supervisoryAuthorityOf(tenant: {
  readonly supervisoryAuthority?: SupervisoryAuthority;
}): SupervisoryAuthority {
  return tenant.supervisoryAuthority ?? NRW_SUPERVISORY_AUTHORITY;
}

/**
 * Checks an operator's supervisory authority and stores it for the tenant: what `tenant set`
 * does. Answers what was stored.
 *
 * @example
 * ```ts
 * await setSupervisoryAuthority(storage.tenants, 'koeln', { name, address, email, url });
 * ```
 * @throws GatewayError `validation_failed` (nothing stored) or `not_found` (no such tenant).
 */
export async function setSupervisoryAuthority(
  tenants: TenantStore,
  tenantId: string,
  input: unknown,
): Promise<SupervisoryAuthority> {
  const authority = parseSupervisoryAuthority(input);
  await tenants.setSupervisoryAuthority(tenantId, authority);
  return authority;
}
