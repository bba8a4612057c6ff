import type { RefusalReason, UncoveredField } from '../core/index.ts';
import type { PolicyRule, PolicySet } from './policy.ts';
import { SPECIAL_CATEGORIES, type AgencyType, type DataCategory } from './vocabulary.ts';

/**
 * What consent said about the flow (the gateway asks `decideConsent` in `consent/`): covered, with
 * the categories the covering consent allows, or refused with its code, reasons and the categories
 * the nearest consent in force lacks. The policy never judges consent itself.
 */
export type ConsentVerdict =
  | { readonly covered: true; readonly categories: readonly string[] }
  | {
      readonly covered: false;
      readonly code: 'consent_missing' | 'fields_not_covered';
      readonly reasons: readonly RefusalReason[];
      readonly missing: readonly string[];
    };

/** One intended flow of one message. */
export interface Exchange {
  readonly sender: string;
  readonly senderType: AgencyType;
  readonly recipient: string;
  readonly recipientType: AgencyType;
  readonly purpose: string;
  /** Every field present in the message with its category (computed by the connector). */
  readonly fields: readonly { readonly pointer: string; readonly category: DataCategory }[];
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
      readonly code: 'consent_missing' | 'policy_denied' | 'fields_not_covered';
      readonly reasons: readonly RefusalReason[];
      readonly fields: readonly UncoveredField[];
    };

/**
 * Decides one flow: allowed exactly when consent covers it, the policy has a rule for purpose and
 * agency types, and every field's category is in consent ∩ rule (special categories only under a
 * rule that allows them). Pure: same inputs, same decision; every reason is reported, consent's
 * first, not just the first.
 *
 * @example
 * ```ts
 * const decision = evaluate(policy, verdict, exchange);
 * if (!decision.allow) throw new GatewayError(decision.code, { reasons: decision.reasons, fields: decision.fields });
 * ```
 */
export function evaluate(policy: PolicySet, consent: ConsentVerdict, exchange: Exchange): Decision {
  const reasons: RefusalReason[] = consent.covered ? [] : [...consent.reasons];
  const rule = policy.rules.find(
    (r) =>
      r.purpose === exchange.purpose &&
      r.from.includes(exchange.senderType) &&
      r.to.includes(exchange.recipientType),
  );
  if (!rule) {
    reasons.push({
      code: 'no_rule',
      message: `policy ${policy.version} has no rule letting a ${exchange.senderType} send to a ${exchange.recipientType} for ${exchange.purpose}`,
    });
  }

  const outsideConsent = (category: string) =>
    consent.covered ? !consent.categories.includes(category) : consent.missing.includes(category);
  const uncovered: UncoveredField[] = [];
  for (const field of exchange.fields) {
    const byRule = rule?.categories.includes(field.category) ?? false;
    const special =
      SPECIAL_CATEGORIES.includes(field.category) && !(rule?.specialCategories ?? false);
    if (outsideConsent(field.category) || !byRule || special)
      uncovered.push({ pointer: field.pointer, category: field.category });
  }
  if (uncovered.length > 0) {
    reasons.push({
      code: 'fields_not_covered',
      message: `categories outside consent ∩ policy: ${[...new Set(uncovered.map((f) => f.category))].join(', ')}`,
    });
  }

  if (!consent.covered && consent.code === 'consent_missing')
    return { allow: false, code: 'consent_missing', reasons, fields: uncovered };
  if (!rule) return { allow: false, code: 'policy_denied', reasons, fields: uncovered };
  // A consent that lacks categories refuses even if no field shows them: deny by default.
  if (uncovered.length > 0 || !consent.covered)
    return { allow: false, code: 'fields_not_covered', reasons, fields: uncovered };
  return { allow: true, rule, categories: [...new Set(exchange.fields.map((f) => f.category))] };
}
