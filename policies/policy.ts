import { z } from 'zod';
import { canonicalJson, GatewayError, sha256, type ValidationIssue } from '../core/index.ts';
import { meetsAssurance, ruleAssurance } from './assurance.ts';
import {
  AGENCY_TYPES,
  ASSURANCE_LEVELS,
  DATA_CATEGORIES,
  PURPOSES,
  SPECIAL_CATEGORIES,
} from './vocabulary.ts';

/**
 * One allowed flow: for a purpose, which agency types may send which data categories to which
 * agency types, on which legal basis, kept how long by the recipient. Special categories (GDPR
 * Art. 9, i.e. `health`) only where the rule says so.
 */
export const PolicyRule = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'a rule id is a lower-case slug'),
  purpose: z.enum(PURPOSES),
  from: z.array(z.enum(AGENCY_TYPES)).min(1),
  to: z.array(z.enum(AGENCY_TYPES)).min(1),
  categories: z.array(z.enum(DATA_CATEGORIES)).min(1),
  legalBasis: z.string().min(1).max(300),
  retentionDays: z.number().int().min(1).max(3650),
  specialCategories: z.boolean().default(false),
  /**
   * The assurance a grant under this rule needs at least; `low` when absent. Optional rather than
   * defaulted so that a policy file written before floors existed keeps its hash.
   */
  minAssurance: z.enum(ASSURANCE_LEVELS).optional(),
  /** Higher floors for single categories of the rule, e.g. `{ "health": "substantial" }`. */
  categoryAssurance: z.partialRecord(z.enum(DATA_CATEGORIES), z.enum(ASSURANCE_LEVELS)).optional(),
  /** Why the flow is allowed: read by DPOs and steering groups, so it must be there. */
  reason: z.string().min(10).max(1000),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

export const PolicySetInput = z.strictObject({
  version: z.string().regex(/^[0-9A-Za-z.+_-]{1,40}$/),
  rules: z.array(PolicyRule).min(1).max(500),
});

export interface PolicySet {
  readonly version: string;
  /** base64url SHA-256 of the RFC 8785 canonical JSON of the validated set. */
  readonly hash: string;
  readonly rules: readonly PolicyRule[];
}

/**
 * Validates a policy set and seals it with its hash. Beyond the schema: a rule carrying a special
 * category must say `specialCategories: true` (never by accident) and set it a floor of at least
 * `substantial` (§ 67b(2) SGB X: consent to health data in written or electronic form, which a
 * handed-over code does not give); `categoryAssurance` names only categories of its rule; rule ids
 * are unique, and no two rules govern the same purpose, sender type and recipient type, so every
 * flow has at most one rule and a decision names exactly one.
 *
 * @example
 * ```ts
 * const policy = await loadPolicySet(JSON.parse(fileText));
 * ```
 */
export async function loadPolicySet(input: unknown): Promise<PolicySet> {
  const parsed = PolicySetInput.safeParse(input);
  if (!parsed.success) {
    throw new GatewayError('validation_failed', {
      detail: 'the policy set is invalid',
      errors: parsed.error.issues.map((issue) => ({
        path: '/' + issue.path.map(String).join('/'),
        message: issue.message,
      })),
    });
  }
  const issues: ValidationIssue[] = [];
  const ids = new Set<string>();
  const flows = new Map<string, string>();
  parsed.data.rules.forEach((rule, index) => {
    if (ids.has(rule.id))
      issues.push({ path: `/rules/${index}/id`, message: `duplicate rule id ${rule.id}` });
    ids.add(rule.id);
    if (!rule.specialCategories && rule.categories.some((c) => SPECIAL_CATEGORIES.includes(c))) {
      issues.push({
        path: `/rules/${index}/categories`,
        message: 'special categories (health) need "specialCategories": true',
      });
    }
    issues.push(...assuranceIssues(rule, index));
    for (const from of rule.from) {
      for (const to of rule.to) {
        if (from === to) {
          issues.push({ path: `/rules/${index}`, message: `${from} cannot send to its own type` });
        }
        const flow = `${rule.purpose}:${from}->${to}`;
        const other = flows.get(flow);
        if (other !== undefined) {
          issues.push({
            path: `/rules/${index}`,
            message: `${flow} is governed by rule ${other} already`,
          });
        }
        flows.set(flow, rule.id);
      }
    }
  });
  if (issues.length > 0)
    throw new GatewayError('validation_failed', {
      detail: 'the policy set is invalid',
      errors: issues,
    });
  return {
    version: parsed.data.version,
    hash: await sha256(canonicalJson(parsed.data)),
    rules: parsed.data.rules,
  };
}

function assuranceIssues(rule: PolicyRule, index: number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const category of Object.keys(rule.categoryAssurance ?? {})) {
    if (!rule.categories.some((c) => c === category)) {
      issues.push({
        path: `/rules/${index}/categoryAssurance/${category}`,
        message: `${category} is not a category of this rule`,
      });
    }
  }
  for (const category of rule.categories.filter((c) => SPECIAL_CATEGORIES.includes(c))) {
    if (!meetsAssurance(ruleAssurance(rule, [category]), 'substantial')) {
      issues.push({
        path: `/rules/${index}/categoryAssurance/${category}`,
        message:
          `${category} is a special category: its assurance floor must be at least substantial ` +
          '(§ 67b(2) SGB X); set "categoryAssurance" or "minAssurance"',
      });
    }
  }
  return issues;
}
