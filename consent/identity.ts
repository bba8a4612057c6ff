import { z } from 'zod';
import type { TenantHasher } from './secrets.ts';

// Letters, marks, spaces and the punctuation names carry; no digits, controls or invisible
// characters, which no name on an eID card has and which would only make two spellings differ.
const NAME = /^[\p{L}\p{M}\p{Zs}'’ʼ.,-]*$/u;

/**
 * Who the person is, as the office recorded it, for matching an identity-verified (eID) sign-in
 * to the request. Only its keyed hash is kept ({@link identityHash}). `givenNames` may be empty:
 * some eID cards carry no given name. The birth date must lie in the past, which the caller
 * checks against its clock.
 */
export const IdentityInput = z.strictObject({
  familyName: z
    .string()
    .max(200)
    .regex(NAME, 'letters, spaces and the punctuation of names')
    .regex(/\p{L}/u, 'a name has at least one letter'),
  givenNames: z.string().max(200).regex(NAME, 'letters, spaces and the punctuation of names'),
  birthDate: z.iso.date(),
});
export type IdentityInput = z.infer<typeof IdentityInput>;

/** Letters without a decomposition whose plain base letter an office keyboard would type. */
const FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ı: 'i',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  æ: 'ae',
  œ: 'oe',
};

const FOLDABLE = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'gu');

/**
 * One name in the form both sides of a match agree on: Unicode NFKC (compatibility forms such as
 * full-width letters or ligatures become plain ones), case-folded, `ß` → `ss` (and the few letters
 * without a decomposition to their base letter), diacritics stripped (NFKD, combining marks
 * removed), typographic apostrophes made `'`, and runs of whitespace and hyphens collapsed into
 * one space, trimmed.
 *
 * Why: the eID card gives names in Latin letters as printed, often in upper case and with the
 * diacritics of the passport, while an office types what its form or keyboard allows ("Özdemir",
 * "OEZDEMIR" is not matched, "Ozdemir" is; "Müller-Lüdenscheidt" and "MULLER LUDENSCHEIDT" are).
 * Transliterations such as `ü` → `ue` are deliberately not equated: a missed match only sends the
 * person back to the code sign-in, while a loose match could open someone else's consents.
 *
 * @example
 * ```ts
 * normaliseName('  ÇAĞLAR-Straße ') === 'caglar strasse';
 * ```
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(FOLDABLE, (ch) => FOLDS[ch] ?? ch)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[’ʼ‘`]/gu, "'")
    .replace(/[\s\p{Pd}]+/gu, ' ')
    .trim();
}

/** The identity in its matching form: both names normalised ({@link normaliseName}), the date as is. */
export function normaliseIdentity(identity: IdentityInput): IdentityInput {
  return {
    familyName: normaliseName(identity.familyName),
    givenNames: normaliseName(identity.givenNames),
    birthDate: identity.birthDate.trim(),
  };
}

/** Bumped when the normalisation or encoding changes: old hashes then never match by accident. */
const IDENTITY_ENCODING = 'identity:v1:';

/**
 * The keyed hash of a person's identity in a tenant: HMAC under the tenant's `identity` secret of
 * the normalised identity, encoded as a versioned JSON array (so no name can spill into the next
 * field). The office's recorded identity and the verified claims of an eID sign-in (OpenID Connect
 * `family_name`, `given_name`, `birthdate`; pass `''` for an absent given name) match when their
 * hashes are equal. Names and birth date are never stored or logged in clear.
 *
 * @example
 * ```ts
 * const stored = await identityHash(deps, tenantId, input.identity);
 * const signedIn = await identityHash(deps, tenantId, {
 *   familyName: claims.family_name, givenNames: claims.given_name ?? '', birthDate: claims.birthdate,
 * });
 * if (stored === signedIn) { ... }
 * ```
 */
export function identityHash(
  deps: { readonly hasher: TenantHasher },
  tenantId: string,
  identity: IdentityInput,
): Promise<string> {
  const { familyName, givenNames, birthDate } = normaliseIdentity(identity);
  return deps.hasher.hash(
    tenantId,
    'identity',
    IDENTITY_ENCODING + JSON.stringify([familyName, givenNames, birthDate]),
  );
}
