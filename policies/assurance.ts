import type { PolicyRule } from './policy.ts';
import { ASSURANCE_LEVELS, type Assurance, type DataCategory } from './vocabulary.ts';

/** Whether `have` is at least `need`. */
export function meetsAssurance(have: Assurance, need: Assurance): boolean {
  return ASSURANCE_LEVELS.indexOf(have) >= ASSURANCE_LEVELS.indexOf(need);
}

/** The higher of two levels. */
export function higherAssurance(a: Assurance, b: Assurance): Assurance {
  return meetsAssurance(a, b) ? a : b;
}

/**
 * The floor one rule sets for the given categories: its purpose floor (`minAssurance`, `low` when
 * absent) raised by the floor of any of those categories. Categories the rule does not allow add
 * nothing: such a flow is refused, not merely raised.
 */
export function ruleAssurance(
  rule: Pick<PolicyRule, 'minAssurance' | 'categoryAssurance' | 'categories'>,
  categories: readonly DataCategory[],
): Assurance {
  let floor: Assurance = rule.minAssurance ?? 'low';
  for (const category of categories) {
    const raised = rule.categories.includes(category)
      ? rule.categoryAssurance?.[category]
      : undefined;
    if (raised !== undefined) floor = higherAssurance(floor, raised);
  }
  return floor;
}
