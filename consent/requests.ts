import { z } from 'zod';
import type { AuthenticatedPrincipal, Principal } from '../certs/index.ts';
import { GatewayError, randomId, type ValidationIssue } from '../core/index.ts';
import { DATA_CATEGORIES, LANGUAGES, PURPOSES } from '../policies/index.ts';
import { newOneTimeCode, normalizeCode } from './codes.ts';
import { DEFAULT_CODE_LIFETIME_MS, MAX_CONSENT_MS, type ConsentDeps } from './deps.ts';
import { noticeForTerms, noticeHash, type NoticeParty } from './notice.ts';
import { auditSubjectRef, ensureSubject, SubjectIdentifier } from './subject.ts';

const AgencyId = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'an agency id');

/** The body of `POST /v1/consent-requests`. */
export const ConsentRequestInput = z.strictObject({
  subject: SubjectIdentifier,
  senders: z.array(AgencyId).min(1).max(20),
  recipients: z.array(AgencyId).min(1).max(20),
  purpose: z.enum(PURPOSES),
  categories: z.array(z.enum(DATA_CATEGORIES)).min(1).max(DATA_CATEGORIES.length),
  validUntil: z.iso.datetime({ offset: true }),
  language: z.enum(LANGUAGES),
  secondFactor: z.strictObject({ type: z.literal('birthDate'), value: z.iso.date() }),
});
export type ConsentRequestInput = z.infer<typeof ConsentRequestInput>;

export interface CreatedConsentRequest {
  readonly id: string;
  /** Handed to the person once; the gateway keeps only its keyed hash. */
  readonly code: string;
  readonly portalUrl: string;
  readonly expiresAt: string;
}

/** Keyed hash of the second factor, bound to its request so equal birth dates differ. */
export const secondFactorHash = (
  deps: ConsentDeps,
  tenantId: string,
  requestId: string,
  value: string,
) => deps.hasher.hash(tenantId, 'codes', `second-factor:${requestId}:${value}`);

export const codeHash = (deps: ConsentDeps, tenantId: string, code: string) =>
  deps.hasher.hash(tenantId, 'codes', `code:${code}`);

/**
 * An agency asks a person for consent. The request names who would send what to whom, for which
 * purpose and until when; the person decides in the portal, opened with the one-time code and
 * the second factor the agency recorded.
 */
export async function createConsentRequest(
  deps: ConsentDeps,
  caller: AuthenticatedPrincipal,
  input: ConsentRequestInput,
): Promise<CreatedConsentRequest> {
  const now = deps.clock.now();
  const tenantId = caller.tenantId;
  const senders = unique(input.senders);
  const recipients = unique(input.recipients);
  const categories = DATA_CATEGORIES.filter((c) => input.categories.includes(c));
  const issues: ValidationIssue[] = [];

  if (!senders.includes(caller.id) && !recipients.includes(caller.id)) {
    issues.push({
      path: '/senders',
      message: 'the requesting agency must be a sender or a recipient',
    });
  }
  const parties = new Map<string, Principal>();
  for (const [field, ids] of [
    ['senders', senders],
    ['recipients', recipients],
  ] as const) {
    for (const [index, id] of ids.entries()) {
      const principal = await deps.pki.principal(tenantId, id);
      if (principal?.kind !== 'agency' || principal.agencyType === null) {
        issues.push({ path: `/${field}/${index}`, message: 'unknown agency' });
      } else parties.set(id, principal);
    }
  }
  for (const [index, id] of recipients.entries()) {
    if (senders.includes(id)) {
      issues.push({ path: `/recipients/${index}`, message: 'an agency cannot send to itself' });
    }
  }
  const validUntil = new Date(input.validUntil);
  if (validUntil.getTime() <= now.getTime()) {
    issues.push({ path: '/validUntil', message: 'must lie in the future' });
  } else if (validUntil.getTime() - now.getTime() > MAX_CONSENT_MS) {
    issues.push({ path: '/validUntil', message: 'a consent may run for at most two years' });
  }
  if (input.secondFactor.value >= now.toISOString().slice(0, 10)) {
    issues.push({ path: '/secondFactor/value', message: 'a birth date lies in the past' });
  }
  if (issues.length > 0) throw new GatewayError('validation_failed', { errors: issues });

  const noticeParty = (id: string): NoticeParty => {
    const p = parties.get(id);
    if (p?.agencyType == null) throw new GatewayError('internal_error');
    return { id, name: p.displayName, agencyType: p.agencyType };
  };
  const notice = noticeForTerms(
    {
      senders,
      recipients,
      purpose: input.purpose,
      categories,
      validUntil: validUntil.toISOString(),
    },
    input.language,
    noticeParty,
  );

  const id = randomId('cr');
  const code = newOneTimeCode();
  const createdAt = now.toISOString();
  const expiresAt = new Date(
    now.getTime() + (deps.codeLifetimeMs ?? DEFAULT_CODE_LIFETIME_MS),
  ).toISOString();
  const subject = await ensureSubject(deps, tenantId, input.subject, createdAt);
  const ref = await auditSubjectRef(deps, tenantId, subject);
  const record = {
    id,
    tenantId,
    subject,
    requestedBy: caller.id,
    senders,
    recipients,
    purpose: input.purpose,
    categories,
    validUntil: validUntil.toISOString(),
    language: input.language,
    noticeText: notice.text,
    noticeHash: await noticeHash(notice),
    codeHash: await codeHash(deps, tenantId, normalizeCode(code) ?? ''),
    secondFactorHash: await secondFactorHash(deps, tenantId, id, input.secondFactor.value),
    codeExpiresAt: expiresAt,
    createdAt,
  };
  await deps.audit.record(
    tenantId,
    {
      event: 'consent.requested',
      actor: caller.id,
      outcome: 'ok',
      requestId: id,
      purpose: input.purpose,
      categories,
      ...(ref === undefined ? {} : { subjectRef: ref }),
    },
    (prepared) =>
      deps.consents.addRequest(record, unique([caller.id, ...senders, ...recipients]), prepared),
  );
  return {
    id,
    code,
    // The link opens the portal in the language the office chose for the person.
    portalUrl: `${deps.publicUrl}/portal/sign-in?code=${encodeURIComponent(code)}&lang=${input.language}`,
    expiresAt,
  };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
