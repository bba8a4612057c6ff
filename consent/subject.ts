import { z } from 'zod';
import { subjectRef } from '../audit/index.ts';
import { BoundedMemo, unwrapSecret, wrapSecret } from '../certs/index.ts';
import { randomBytes } from '../core/index.ts';
import type { ConsentStore } from './ports.ts';
import type { TenantHasher } from './secrets.ts';

/**
 * A person's identifier as agencies send it: an AZR number (Ausländerzentralregister, the one
 * identifier all offices share) or an office's own case number. It crosses the edge only to be
 * turned into a pseudonym; it is never stored, logged or echoed.
 *
 * - `azr`: exactly 12 digits, the AZR number as the register issues it (surrounding spaces are
 *   dropped). A typo then fails here instead of creating a second, unreachable person.
 * - `local`: 1–64 letters, digits, spaces and `. / _ -` after surrounding spaces are dropped. The
 *   set covers case numbers like "ABH/2026_17-3" and keeps out control and invisible characters
 *   and the `:` that separates scheme and value in the pseudonym's input.
 */
export const SubjectIdentifier = z.discriminatedUnion('scheme', [
  z.strictObject({
    scheme: z.literal('azr'),
    value: z
      .string()
      .trim()
      .regex(/^[0-9]{12}$/, 'an AZR number is exactly 12 digits'),
  }),
  z.strictObject({
    scheme: z.literal('local'),
    value: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[\p{L}\p{N} ./_-]+$/u, 'letters, digits, space, dot, slash, underscore, hyphen'),
  }),
]);
export type SubjectIdentifier = z.infer<typeof SubjectIdentifier>;

/** The keyed pseudonym of an identifier in a tenant; the same person gets the same one. */
export function pseudonymOf(
  hasher: TenantHasher,
  tenantId: string,
  subject: SubjectIdentifier,
): Promise<string> {
  // Upper-cased so that "abc-12" and "ABC-12" typed by two offices name one person.
  return hasher.hash(tenantId, 'pseudonym', `${subject.scheme}:${subject.value.toUpperCase()}`);
}

/** The subject's record, created with a fresh random per-subject key on first sight. */
export async function ensureSubject(
  deps: { consents: ConsentStore; hasher: TenantHasher; masterKey: CryptoKey },
  tenantId: string,
  subject: SubjectIdentifier,
  at: string,
): Promise<string> {
  const pseudonym = await pseudonymOf(deps.hasher, tenantId, subject);
  await deps.consents.ensureSubject(
    tenantId,
    pseudonym,
    () =>
      wrapSecret(
        deps.masterKey,
        randomBytes(32),
        `consent-gateway/${tenantId}/subject/${pseudonym}`,
      ),
    at,
  );
  return pseudonym;
}

const subjectKeyContext = (tenantId: string, pseudonym: string) =>
  `consent-gateway/${tenantId}/subject/${pseudonym}`;

/**
 * References already derived, by the wrapped key they come from. The subject's row is read on
 * every call, so an erased subject (key shredded, row gone) has no reference however recently it
 * was derived; what stays here is only the reference, which the log already holds, unlinkable.
 */
const derivedRefs = new BoundedMemo<string>();

/**
 * The subject's reference in the audit log, derived from the per-subject key: unwrapping it and
 * importing it as an HMAC key happen once per key, not on every entry that names the subject.
 */
export async function auditSubjectRef(
  deps: { consents: ConsentStore; masterKey: CryptoKey },
  tenantId: string,
  pseudonym: string,
): Promise<string | undefined> {
  const subject = await deps.consents.subject(tenantId, pseudonym);
  if (!subject) return undefined;
  const { wrappedKey } = subject;
  return derivedRefs.getOrCompute(
    `${tenantId}|${pseudonym}|${wrappedKey.iv}|${wrappedKey.ciphertext}`,
    async () =>
      subjectRef(
        Uint8Array.from(
          await unwrapSecret(deps.masterKey, wrappedKey, subjectKeyContext(tenantId, pseudonym)),
        ),
      ),
  );
}
