import type { RefusalReason } from '../core/index.ts';
import { higherAssurance, ruleAssurance } from './assurance.ts';
import type { PolicyRule, PolicySet } from './policy.ts';
import {
  SPECIAL_CATEGORIES,
  type AgencyType,
  type Assurance,
  type DataCategory,
  type Purpose,
} from './vocabulary.ts';

/** What a consent request asks for, in the terms policy speaks: agency types, not agencies. */
export interface RequestedFlow {
  readonly purpose: Purpose;
  readonly senderTypes: readonly AgencyType[];
  readonly recipientTypes: readonly AgencyType[];
  readonly categories: readonly DataCategory[];
}

export type FlowCheck =
  | {
      readonly allow: true;
      /** The rules governing the flow, one per sender type → recipient type pair, in policy order. */
      readonly ruleIds: readonly string[];
      /**
       * How long each recipient type may keep what it receives: the longest of the rules that
       * send to it, because that is what the person must be told it could be.
       */
      readonly retentionDays: Readonly<Partial<Record<AgencyType, number>>>;
      /** Whether special categories (GDPR Art. 9) are requested: consent must be explicit. */
      readonly specialCategories: boolean;
      /** The assurance the person's grant must reach (see {@link requiredAssurance}). */
      readonly requiredAssurance: Assurance;
    }
  | { readonly allow: false; readonly reasons: readonly RefusalReason[] };

/**
 * Checks a requested flow against policy before anyone asks the person: every sender type →
 * recipient type pair needs a rule for the purpose, and each pair's rule must allow every
 * requested category (a special category only under a rule that allows special categories). Pure;
 * every reason is reported: `no_rule` once per pair without a rule, `category_not_allowed` once
 * per pair and category its rule does not allow.
 *
 * @example
 * ```ts
 * const check = checkRequestedFlow(policy, {
 *   purpose: 'case_management',
 *   senderTypes: ['social_office'],
 *   recipientTypes: ['jobcenter'],
 *   categories: ['household', 'health'],
 * });
 * if (!check.allow) throw new GatewayError('policy_denied', { status: 422, reasons: check.reasons });
 * check.requiredAssurance; // 'substantial' under the default policy
 * ```
 */
export function checkRequestedFlow(policy: PolicySet, flow: RequestedFlow): FlowCheck {
  const reasons: RefusalReason[] = [];
  const pairs = pairsOf(flow);
  if (pairs.length === 0) {
    reasons.push({ code: 'no_rule', message: 'the request names no sender or no recipient type' });
  }
  const governing: PolicyRule[] = [];
  const retentionDays: Partial<Record<AgencyType, number>> = {};
  for (const { from, to } of pairs) {
    const rule = ruleFor(policy, flow.purpose, from, to);
    if (!rule) {
      reasons.push({
        code: 'no_rule',
        message: `policy ${policy.version} has no rule letting a ${from} send to a ${to} for ${flow.purpose}`,
      });
      continue;
    }
    for (const category of flow.categories.filter((c) => !allows(rule, c))) {
      reasons.push({
        code: 'category_not_allowed',
        message: `rule ${rule.id} does not let a ${from} send ${category} to a ${to}`,
      });
    }
    if (!governing.includes(rule)) governing.push(rule);
    retentionDays[to] = Math.max(retentionDays[to] ?? 0, rule.retentionDays);
  }
  if (reasons.length > 0) return { allow: false, reasons };
  return {
    allow: true,
    ruleIds: policy.rules.filter((r) => governing.includes(r)).map((r) => r.id),
    retentionDays,
    specialCategories: flow.categories.some((c) => SPECIAL_CATEGORIES.includes(c)),
    requiredAssurance: requiredAssurance(policy, flow),
  };
}

/**
 * The assurance a grant of the requested flow needs: the highest floor among the rules that
 * govern its sender type → recipient type pairs, each rule's floor being its `minAssurance`
 * raised by the `categoryAssurance` of the requested categories it allows. `low` when no rule
 * governs (such a flow is refused by {@link checkRequestedFlow} anyway).
 *
 * @example
 * ```ts
 * requiredAssurance(policy, { purpose, senderTypes, recipientTypes, categories: ['health'] });
 * ```
 */
export function requiredAssurance(policy: PolicySet, flow: RequestedFlow): Assurance {
  let floor: Assurance = 'low';
  for (const { from, to } of pairsOf(flow)) {
    const rule = ruleFor(policy, flow.purpose, from, to);
    if (rule) floor = higherAssurance(floor, ruleAssurance(rule, flow.categories));
  }
  return floor;
}

function pairsOf(flow: RequestedFlow): { from: AgencyType; to: AgencyType }[] {
  const from = [...new Set(flow.senderTypes)];
  const to = [...new Set(flow.recipientTypes)];
  return from.flatMap((f) => to.map((t) => ({ from: f, to: t })));
}

function ruleFor(
  policy: PolicySet,
  purpose: Purpose,
  from: AgencyType,
  to: AgencyType,
): PolicyRule | undefined {
  return policy.rules.find(
    (r) => r.purpose === purpose && r.from.includes(from) && r.to.includes(to),
  );
}

function allows(rule: PolicyRule, category: DataCategory): boolean {
  return (
    rule.categories.includes(category) &&
    (rule.specialCategories || !SPECIAL_CATEGORIES.includes(category))
  );
}
