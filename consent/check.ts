import { GatewayError, type Clock, type RefusalReason } from '../core/index.ts';
import type { ConsentStore, ConsentWithState } from './ports.ts';

export interface ConsentQuestion {
  readonly tenantId: string;
  /** The subject's pseudonym. */
  readonly subject: string;
  readonly sender: string;
  readonly recipient: string;
  readonly purpose: string;
  readonly categories: readonly string[];
}

export interface CoveringConsent {
  readonly consentId: string;
  readonly consentVersion: number;
  readonly validUntil: string;
}

/**
 * Does a consent of this person cover this flow now? Answers the covering consent (id and
 * version), or throws `consent_missing`, `consent_revoked` or `consent_expired` with reasons.
 * It reads only stored versions (one indexed lookup by tenant, subject and purpose) and the
 * injected clock, so a revocation that has returned is seen by every check that starts after it.
 *
 * @example
 * ```ts
 * const { consentId, consentVersion } = await checkConsent(store, clock, {
 *   tenantId, subject, sender: 'abh-koeln', recipient: 'jc-koeln',
 *   purpose: 'labour_market_integration', categories: ['residence_status'],
 * });
 * ```
 */
export async function checkConsent(
  store: ConsentStore,
  clock: Clock,
  question: ConsentQuestion,
): Promise<CoveringConsent> {
  const now = clock.now().toISOString();
  const candidates = await store.consentsFor(question.tenantId, question.subject, question.purpose);
  const forFlow = candidates.filter(
    (c) =>
      c.consent.senders.includes(question.sender) &&
      c.consent.recipients.includes(question.recipient),
  );
  const covering = forFlow.filter((c) =>
    question.categories.every((cat) => c.consent.categories.includes(cat)),
  );
  const usable = covering.find(
    (c) => c.current.state === 'active' && c.consent.validFrom <= now && now < c.consent.validUntil,
  );
  if (usable) {
    return {
      consentId: usable.consent.id,
      consentVersion: usable.current.version,
      validUntil: usable.consent.validUntil,
    };
  }
  if (covering.some((c) => c.current.state === 'revoked')) {
    throw refusal(
      'consent_revoked',
      'the person has withdrawn the consent for this flow',
      covering,
    );
  }
  const nowOrLater = covering.filter((c) => c.consent.validFrom > now);
  if (covering.length > 0 && nowOrLater.length === covering.length) {
    throw new GatewayError('consent_missing', {
      detail: 'the consent for this flow has not started yet',
      reasons: nowOrLater.map((c) => ({
        code: 'not_yet_valid',
        message: `consent ${c.consent.id} starts ${c.consent.validFrom}`,
      })),
    });
  }
  if (covering.length > 0) {
    throw refusal('consent_expired', 'the consent for this flow has ended', covering);
  }
  const reasons: RefusalReason[] = [];
  if (candidates.length === 0) {
    reasons.push({
      code: 'no_consent_for_purpose',
      message: `no consent of this person for ${question.purpose}`,
    });
  } else if (forFlow.length === 0) {
    reasons.push({
      code: 'parties_not_covered',
      message: `no consent names ${question.sender} as sender and ${question.recipient} as recipient`,
    });
  } else {
    const missing = question.categories.filter(
      (cat) => !forFlow.some((c) => c.consent.categories.includes(cat)),
    );
    reasons.push({
      code: 'categories_not_covered',
      message: `categories not covered by one consent: ${(missing.length > 0 ? missing : question.categories).join(', ')}`,
    });
  }
  throw new GatewayError('consent_missing', { detail: 'no consent covers this exchange', reasons });
}

function refusal(
  code: 'consent_revoked' | 'consent_expired',
  detail: string,
  consents: readonly ConsentWithState[],
): GatewayError {
  return new GatewayError(code, {
    status: 403,
    detail,
    reasons: consents.map((c) => ({
      code: c.current.state === 'active' ? 'expired' : c.current.state,
      message: `consent ${c.consent.id} version ${c.current.version}`,
    })),
  });
}
