import type { RefusalReason, UncoveredField } from '../core/index.ts';
import type { PolicyRule, PolicySet } from './policy.ts';
import { SPECIAL_CATEGORIES, type AgencyType, type DataCategory } from './vocabulary.ts';

/** A consent as the evaluator needs it: who, what for, which categories, when, in which state. */
export interface ConsentTerms {
  readonly id: string;
  readonly senders: readonly string[];
  readonly recipients: readonly string[];
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly validFrom: string;
  readonly validUntil: string;
  readonly state: 'active' | 'revoked' | 'expired';
}

/** One intended flow of one message. */
export interface Exchange {
  readonly sender: string;
  readonly senderType: AgencyType;
  readonly recipient: string;
  readonly recipientType: AgencyType;
  readonly purpose: string;
  /** Every field present in the message with its category (computed by the connector). */
  readonly fields: readonly { readonly pointer: string; readonly category: DataCategory }[];
  /** RFC 3339 time of the decision. */
  readonly at: string;
}

export type Decision =
  | {
      readonly allow: true;
      readonly rule: PolicyRule;
      readonly categories: readonly DataCategory[];
    }
  | {
      readonly allow: false;
      /** The most fundamental refusal: consent first, then policy, then fields. */
      readonly code:
        | 'consent_missing'
        | 'consent_revoked'
        | 'consent_expired'
        | 'policy_denied'
        | 'fields_not_covered';
      readonly reasons: readonly RefusalReason[];
      readonly fields: readonly UncoveredField[];
    };

/**
 * Decides one flow: allowed exactly when a consent names sender, recipient and purpose, is active
 * and in time, the policy has a rule for purpose and agency types, and every field's category is
 * in consent ∩ rule (special categories only under a rule that allows them). Pure: same inputs,
 * same decision; every reason is reported, not just the first.
 *
 * @example
 * ```ts
 * const decision = evaluate(policy, consentTerms, exchange);
 * if (!decision.allow) throw new GatewayError(decision.code, { reasons: decision.reasons, fields: decision.fields });
 * ```
 */
export function evaluate(
  policy: PolicySet,
  consent: ConsentTerms | undefined,
  exchange: Exchange,
): Decision {
  const reasons: RefusalReason[] = [];
  let code: Exclude<Decision, { allow: true }>['code'] | undefined;
  const fail = (next: NonNullable<typeof code>, reason: RefusalReason) => {
    code ??= next;
    reasons.push(reason);
  };

  if (!consent) {
    fail('consent_missing', {
      code: 'consent_missing',
      message: 'no consent of this person covers this flow',
    });
  } else {
    if (consent.purpose !== exchange.purpose) {
      fail('consent_missing', {
        code: 'purpose_not_consented',
        message: `the consent is for ${consent.purpose}`,
      });
    }
    if (!consent.senders.includes(exchange.sender)) {
      fail('consent_missing', {
        code: 'sender_not_consented',
        message: `${exchange.sender} is not a consented sender`,
      });
    }
    if (!consent.recipients.includes(exchange.recipient)) {
      fail('consent_missing', {
        code: 'recipient_not_consented',
        message: `${exchange.recipient} is not a consented recipient`,
      });
    }
    if (consent.state === 'revoked') {
      fail('consent_revoked', {
        code: 'consent_revoked',
        message: `consent ${consent.id} was withdrawn`,
      });
    } else if (consent.state === 'expired' || exchange.at >= consent.validUntil) {
      fail('consent_expired', {
        code: 'consent_expired',
        message: `consent ${consent.id} ended ${consent.validUntil}`,
      });
    } else if (exchange.at < consent.validFrom) {
      fail('consent_missing', {
        code: 'consent_not_yet_valid',
        message: `consent ${consent.id} starts ${consent.validFrom}`,
      });
    }
  }

  const rule = policy.rules.find(
    (r) =>
      r.purpose === exchange.purpose &&
      r.from.includes(exchange.senderType) &&
      r.to.includes(exchange.recipientType),
  );
  if (!rule) {
    fail('policy_denied', {
      code: 'no_rule',
      message: `policy ${policy.version} has no rule letting a ${exchange.senderType} send to a ${exchange.recipientType} for ${exchange.purpose}`,
    });
  }

  const uncovered: UncoveredField[] = [];
  for (const field of exchange.fields) {
    const byConsent = consent?.categories.includes(field.category) ?? false;
    const byRule = rule?.categories.includes(field.category) ?? false;
    const special =
      SPECIAL_CATEGORIES.includes(field.category) && !(rule?.specialCategories ?? false);
    if (!byConsent || !byRule || special)
      uncovered.push({ pointer: field.pointer, category: field.category });
  }
  if (uncovered.length > 0) {
    fail('fields_not_covered', {
      code: 'fields_not_covered',
      message: `categories outside consent ∩ policy: ${[...new Set(uncovered.map((f) => f.category))].join(', ')}`,
    });
  }

  if (code !== undefined || !rule) {
    return { allow: false, code: code ?? 'policy_denied', reasons, fields: uncovered };
  }
  return { allow: true, rule, categories: [...new Set(exchange.fields.map((f) => f.category))] };
}
