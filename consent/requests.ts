import { z } from 'zod';
import type { AuthenticatedPrincipal, Principal } from '../certs/index.ts';
import { GatewayError, randomId, type ValidationIssue } from '../core/index.ts';
import {
  checkRequestedFlow,
  DATA_CATEGORIES,
  LANGUAGES,
  PURPOSES,
  type AgencyType,
  type Assurance,
} from '../policies/index.ts';
import { newOneTimeCode, normalizeCode } from './codes.ts';
import { DEFAULT_CODE_LIFETIME_MS, MAX_CONSENT_MS, type ConsentDeps } from './deps.ts';
import { identityHash, IdentityInput } from './identity.ts';
import { noticeFor } from './notice-context.ts';
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
  /** For an identity-verified (eID) sign-in; kept only as a keyed hash. */
  identity: IdentityInput.optional(),
});
export type ConsentRequestInput = z.infer<typeof ConsentRequestInput>;

export interface CreatedConsentRequest {
  readonly id: string;
  /** Handed to the person once; the gateway keeps only its keyed hash. */
  readonly code: string;
  readonly portalUrl: string;
  readonly expiresAt: string;
  /** The assurance the person's grant will need, set by policy for this flow. */
  readonly requiredAssurance: Assurance;
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

/** A request that passed validation, with the agencies it names resolved. */
interface ValidRequest {
  readonly senders: string[];
  readonly recipients: string[];
  readonly categories: (typeof DATA_CATEGORIES)[number][];
  readonly validUntil: Date;
  readonly parties: ReadonlyMap<string, Principal & { agencyType: AgencyType }>;
}

/**
 * An agency asks a person for consent. The request names who would send what to whom, for which
 * purpose and until when; the person decides in the portal, opened with the one-time code and
 * the second factor the agency recorded. The flow is checked against policy first: a flow it does
 * not allow is refused (422 `policy_denied` with every reason) and nothing is written. An office
 * may record the person's identity for an eID sign-in; only its keyed hash is kept.
 */
export async function createConsentRequest(
  deps: ConsentDeps,
  caller: AuthenticatedPrincipal,
  input: ConsentRequestInput,
): Promise<CreatedConsentRequest> {
  const now = deps.clock.now();
  const tenantId = caller.tenantId;
  const valid = await validRequest(deps, caller, input, now);
  const { senders, recipients, categories, validUntil } = valid;
  const requiredAssurance = allowedByPolicy(deps, valid, input.purpose);

  const terms = {
    senders,
    recipients,
    purpose: input.purpose,
    categories,
    validUntil: validUntil.toISOString(),
  };
  const { notice, hash } = await noticeFor(deps, tenantId, terms, input.language);

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
    ...terms,
    language: input.language,
    noticeText: notice.text,
    noticeHash: hash,
    codeHash: await codeHash(deps, tenantId, normalizeCode(code) ?? ''),
    secondFactorHash: await secondFactorHash(deps, tenantId, id, input.secondFactor.value),
    ...(input.identity === undefined
      ? {}
      : { identityHash: await identityHash(deps, tenantId, input.identity) }),
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
      senders: [...senders],
      recipients: [...recipients],
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
    requiredAssurance,
  };
}

/** Everything the schema cannot know: parties, dates against the clock. Every issue is reported. */
async function validRequest(
  deps: ConsentDeps,
  caller: AuthenticatedPrincipal,
  input: ConsentRequestInput,
  now: Date,
): Promise<ValidRequest> {
  const senders = unique(input.senders);
  const recipients = unique(input.recipients);
  const issues: ValidationIssue[] = [];
  if (!senders.includes(caller.id) && !recipients.includes(caller.id)) {
    issues.push({
      path: '/senders',
      message: 'the requesting agency must be a sender or a recipient',
    });
  }
  const parties = new Map<string, Principal & { agencyType: AgencyType }>();
  for (const [field, ids] of [
    ['senders', senders],
    ['recipients', recipients],
  ] as const) {
    for (const [index, id] of ids.entries()) {
      const principal = await deps.pki.principal(caller.tenantId, id);
      if (principal?.kind !== 'agency' || principal.agencyType === null) {
        issues.push({ path: `/${field}/${index}`, message: 'unknown agency' });
      } else parties.set(id, { ...principal, agencyType: principal.agencyType });
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
  issues.push(...birthDateIssues(input, now.toISOString().slice(0, 10)));
  if (issues.length > 0) throw new GatewayError('validation_failed', { errors: issues });
  const categories = DATA_CATEGORIES.filter((c) => input.categories.includes(c));
  return { senders, recipients, categories, validUntil, parties };
}

function birthDateIssues(input: ConsentRequestInput, today: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (input.secondFactor.value >= today) {
    issues.push({ path: '/secondFactor/value', message: 'a birth date lies in the past' });
  }
  if (input.identity !== undefined) {
    if (input.identity.birthDate >= today) {
      issues.push({ path: '/identity/birthDate', message: 'a birth date lies in the past' });
    } else if (input.identity.birthDate !== input.secondFactor.value) {
      // Both are the person's birth date: one of them is mistyped, and a sign-in would fail.
      issues.push({
        path: '/identity/birthDate',
        message: 'differs from the birth date given as second factor',
      });
    }
  }
  return issues;
}

/** The policy's verdict on the requested flow: its required assurance, or a refusal. */
function allowedByPolicy(
  deps: ConsentDeps,
  request: ValidRequest,
  purpose: ConsentRequestInput['purpose'],
): Assurance {
  const typeOf = (id: string): AgencyType => {
    const type = request.parties.get(id)?.agencyType;
    if (type === undefined) throw new GatewayError('internal_error');
    return type;
  };
  const check = checkRequestedFlow(deps.policy, {
    purpose,
    senderTypes: request.senders.map(typeOf),
    recipientTypes: request.recipients.map(typeOf),
    categories: request.categories,
  });
  if (!check.allow) {
    throw new GatewayError('policy_denied', {
      status: 422,
      detail: `policy ${deps.policy.version} does not allow the requested flow`,
      reasons: check.reasons,
    });
  }
  return check.requiredAssurance;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
