import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './default-policy.ts';
import { evaluate, type ConsentVerdict, type Decision, type Exchange } from './evaluate.ts';
import { loadPolicySet, type PolicyRule, type PolicySet } from './policy.ts';
import {
  AGENCY_TYPES,
  DATA_CATEGORIES,
  PURPOSES,
  SPECIAL_CATEGORIES,
  type AgencyType,
  type DataCategory,
} from './vocabulary.ts';

// Properties: random policies, consents and messages against an independent oracle. The policy
// sees consent only as the verdict `decideConsent` gives; a model consent stands in for it here.

const policy = await loadPolicySet(DEFAULT_POLICY);

const agencies = ['a1', 'a2', 'a3', 'a4'] as const;
type Agency = (typeof agencies)[number];
const typeOf: Record<Agency, AgencyType> = {
  a1: 'immigration_office',
  a2: 'jobcenter',
  a3: 'social_office',
  a4: 'jobcenter',
};
const ruleArb = fc.record({
  purpose: fc.constantFrom(...PURPOSES),
  from: fc.constantFrom(...AGENCY_TYPES),
  to: fc.constantFrom(...AGENCY_TYPES),
  categories: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1, maxLength: 6 }),
  specialCategories: fc.boolean(),
});
const policyArb = fc.array(ruleArb, { minLength: 1, maxLength: 8 }).map((rules) => {
  // Keep one rule per flow, and no flow to its own type: what loadPolicySet guarantees.
  const seen = new Set<string>();
  return rules
    .filter(
      (r) =>
        r.from !== r.to &&
        !seen.has(`${r.purpose}${r.from}${r.to}`) &&
        seen.add(`${r.purpose}${r.from}${r.to}`),
    )
    .map((r, i) => ({
      id: `r${i}`,
      purpose: r.purpose,
      from: [r.from],
      to: [r.to],
      categories: r.specialCategories
        ? r.categories
        : r.categories.filter((c) => !SPECIAL_CATEGORIES.includes(c)),
      legalBasis: 'GDPR Art. 6(1)(a)',
      retentionDays: 30,
      specialCategories: r.specialCategories,
      // Special categories need a floor of substantial (§ 67b(2) SGB X), or the set is refused.
      ...(r.specialCategories && r.categories.includes('health')
        ? { categoryAssurance: { health: 'substantial' as const } }
        : {}),
      reason: 'property test rule',
    }))
    .filter((r) => r.categories.length > 0);
});

/** A consent as the person gave it, and where it stands at the exchange (time is consent's). */
interface ModelConsent {
  readonly senders: readonly Agency[];
  readonly recipients: readonly Agency[];
  readonly purpose: string;
  readonly categories: readonly DataCategory[];
  readonly standing: 'in_force' | 'not_yet_valid' | 'expired' | 'revoked';
}

/** The verdict `decideConsent` gives for one consent and the message's categories. */
function verdictOf(c: ModelConsent | undefined, e: Exchange): ConsentVerdict {
  const refused = (code: string): ConsentVerdict => ({
    covered: false,
    code: 'consent_missing',
    reasons: [{ code, message: 'model' }],
    missing: [],
  });
  if (c?.purpose !== e.purpose) return refused('no_consent_for_purpose');
  if (!c.senders.includes(e.sender as Agency) || !c.recipients.includes(e.recipient as Agency))
    return refused('parties_not_covered');
  if (c.standing !== 'in_force') return refused(`consent_${c.standing}`);
  const missing = [...new Set(e.fields.map((f) => f.category))].filter(
    (category) => !c.categories.includes(category),
  );
  if (missing.length === 0) return { covered: true, categories: c.categories };
  const reasons = [{ code: 'categories_not_covered', message: 'model' }];
  return { covered: false, code: 'fields_not_covered', reasons, missing };
}

/** The rule stated plainly, over the model consent, written apart from the evaluator. */
function oracle(p: PolicySet, c: ModelConsent | undefined, e: Exchange): boolean {
  if (c?.standing !== 'in_force') return false;
  if (
    c.purpose !== e.purpose ||
    !c.senders.includes(e.sender as Agency) ||
    !c.recipients.includes(e.recipient as Agency)
  )
    return false;
  const rules = p.rules.filter(
    (r) =>
      r.purpose === e.purpose && r.from.includes(e.senderType) && r.to.includes(e.recipientType),
  );
  return rules.some((r) =>
    e.fields.every(
      (f) =>
        c.categories.includes(f.category) &&
        r.categories.includes(f.category) &&
        (r.specialCategories || !SPECIAL_CATEGORIES.includes(f.category)),
    ),
  );
}

// Scenarios built around one rule of the policy: half exactly as the rule and a consent allow,
// half broken in one dimension, so the property sees both outcomes in a meaningful share.

const PERTURBATIONS = [
  'sender_not_consented',
  'recipient_not_consented',
  'purpose_not_consented',
  'consent_not_in_force',
  'no_consent',
  'no_rule_for_sender_type',
  'field_outside_consent',
  'field_outside_policy',
] as const;
type Perturbation = (typeof PERTURBATIONS)[number];
type Refusal = Extract<Decision, { allow: false }>['code'];

/** The one refusal code each single-dimension perturbation must produce. */
const REFUSAL_OF: Record<Perturbation, Refusal> = {
  sender_not_consented: 'consent_missing',
  recipient_not_consented: 'consent_missing',
  purpose_not_consented: 'consent_missing',
  consent_not_in_force: 'consent_missing',
  no_consent: 'consent_missing',
  no_rule_for_sender_type: 'policy_denied',
  field_outside_consent: 'fields_not_covered',
  field_outside_policy: 'fields_not_covered',
};

const agenciesOf = (types: readonly AgencyType[]): Agency[] =>
  agencies.filter((a) => types.includes(typeOf[a]));
const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

interface Choice {
  readonly sender: Agency;
  readonly recipient: Agency;
  readonly fieldCategories: readonly DataCategory[];
  readonly extraCategories: readonly DataCategory[];
  readonly extraSenders: readonly Agency[];
  readonly extraRecipients: readonly Agency[];
  readonly pick: number;
  readonly perturbation: Perturbation | undefined;
}

interface Scenario {
  readonly rules: readonly PolicyRule[];
  readonly rule: PolicyRule;
  readonly perturbation: Perturbation | undefined;
  readonly consent: ModelConsent | undefined;
  readonly exchange: Exchange;
}

/**
 * A flow the rule and a consent allow: sender and recipient of the rule's types, named by a
 * consent in force for the rule's purpose, and message fields a subset of rule ∩ consent; then,
 * if asked, broken in exactly one dimension.
 */
function buildScenario(rules: readonly PolicyRule[], rule: PolicyRule, choice: Choice): Scenario {
  const { perturbation, pick } = choice;
  const oneOf = <T>(xs: readonly T[]): T => {
    const x = xs[pick % xs.length];
    if (x === undefined) throw new Error('no candidate to pick from');
    return x;
  };
  let sender: Agency = choice.sender;
  let senders = unique([choice.sender, ...choice.extraSenders]);
  let recipients = unique([choice.recipient, ...choice.extraRecipients]);
  let purpose: string = rule.purpose;
  let categories = unique([...choice.fieldCategories, ...choice.extraCategories]);
  let fieldCategories = [...choice.fieldCategories];
  let standing: ModelConsent['standing'] = 'in_force';

  switch (perturbation) {
    case undefined:
    case 'no_consent':
      break;
    case 'sender_not_consented':
      senders = senders.filter((a) => a !== sender);
      if (senders.length === 0) senders = [oneOf(agencies.filter((a) => a !== sender))];
      break;
    case 'recipient_not_consented':
      recipients = recipients.filter((a) => a !== choice.recipient);
      if (recipients.length === 0)
        recipients = [oneOf(agencies.filter((a) => a !== choice.recipient))];
      break;
    case 'purpose_not_consented':
      purpose = oneOf(PURPOSES.filter((p) => p !== rule.purpose));
      break;
    case 'consent_not_in_force':
      standing = oneOf(['not_yet_valid', 'expired', 'revoked'] as const);
      break;
    case 'no_rule_for_sender_type':
      // Never empty: no rule lets a type send to its own type.
      sender = oneOf(
        agencies.filter(
          (a) =>
            !rules.some(
              (r) =>
                r.purpose === rule.purpose &&
                r.from.includes(typeOf[a]) &&
                r.to.includes(typeOf[choice.recipient]),
            ),
        ),
      );
      senders = unique([...senders, sender]);
      break;
    case 'field_outside_consent': {
      const category = oneOf(rule.categories);
      categories = categories.filter((c) => c !== category);
      fieldCategories = unique([...fieldCategories, category]);
      break;
    }
    case 'field_outside_policy': {
      // Never empty: a rule has at most six of the categories.
      const category = oneOf(DATA_CATEGORIES.filter((c) => !rule.categories.includes(c)));
      categories = unique([...categories, category]);
      fieldCategories = unique([...fieldCategories, category]);
      break;
    }
  }

  return {
    rules,
    rule,
    perturbation,
    consent:
      perturbation === 'no_consent'
        ? undefined
        : { senders, recipients, purpose, categories, standing },
    exchange: {
      sender,
      senderType: typeOf[sender],
      recipient: choice.recipient,
      recipientType: typeOf[choice.recipient],
      purpose: rule.purpose,
      fields: fieldCategories.map((category) => ({ pointer: `/${category}`, category })),
    },
  };
}

/** Scenarios over policies drawn from `policies`, each around one rule of the policy. */
const scenariosOf = (policies: fc.Arbitrary<readonly PolicyRule[]>): fc.Arbitrary<Scenario> =>
  policies.chain((rules) =>
    fc.constantFrom(...rules).chain((rule) =>
      fc
        .record({
          sender: fc.constantFrom(...agenciesOf(rule.from)),
          recipient: fc.constantFrom(...agenciesOf(rule.to)),
          fieldCategories: fc.subarray(rule.categories, { minLength: 1 }),
          extraCategories: fc.subarray([...DATA_CATEGORIES]),
          extraSenders: fc.subarray([...agencies]),
          extraRecipients: fc.subarray([...agencies]),
          pick: fc.nat(),
          // freq 2: half the scenarios stay as built (allowed), half are perturbed.
          perturbation: fc.option(fc.constantFrom(...PERTURBATIONS), { nil: undefined, freq: 2 }),
        })
        .map((choice) => buildScenario(rules, rule, choice)),
    ),
  );

/** Asserts that neither outcome fell below a meaningful share of the runs. */
function expectBothOutcomes(outcomes: { allow: number; deny: number }, runs: number): void {
  expect(outcomes.allow + outcomes.deny).toBe(runs);
  expect(outcomes.allow, 'allowed runs').toBeGreaterThanOrEqual(0.2 * runs);
  expect(outcomes.deny, 'denied runs').toBeGreaterThanOrEqual(0.2 * runs);
}

describe('evaluate, properties', () => {
  it('allows exactly when consent covers the flow and every present field’s category is in consent ∩ policy; never otherwise', async () => {
    const NUM_RUNS = 1500;
    const outcomes = { allow: 0, deny: 0 };
    const perturbed = new Map<Perturbation, number>();
    await fc.assert(
      fc.asyncProperty(scenariosOf(policyArb.filter((rules) => rules.length > 0)), async (s) => {
        const p = await loadPolicySet({ version: 'prop', rules: s.rules });
        const verdict = verdictOf(s.consent, s.exchange);
        const decision = evaluate(p, verdict, s.exchange);
        const expected = oracle(p, s.consent, s.exchange);
        // Both ways: the evaluator allows iff the oracle does, and the oracle agrees with how
        // the scenario was built (allowed as built, denied after any one perturbation).
        expect(decision.allow).toBe(expected);
        expect(expected).toBe(s.perturbation === undefined);
        if (decision.allow) {
          outcomes.allow++;
          expect(decision.rule.id).toBe(s.rule.id);
          expect([...decision.categories].sort()).toEqual(
            s.exchange.fields.map((f) => f.category).sort(),
          );
        } else {
          outcomes.deny++;
          expect(decision.reasons.length).toBeGreaterThan(0);
          if (!verdict.covered) expect(decision.reasons[0]).toEqual(verdict.reasons[0]);
          if (s.perturbation !== undefined) {
            expect(decision.code).toBe(REFUSAL_OF[s.perturbation]);
            perturbed.set(s.perturbation, (perturbed.get(s.perturbation) ?? 0) + 1);
          }
        }
      }),
      { numRuns: NUM_RUNS, seed: 20261125 },
    );
    // Guard against the generators drifting back to (almost) only one outcome.
    expectBothOutcomes(outcomes, NUM_RUNS);
    for (const perturbation of PERTURBATIONS)
      expect(perturbed.get(perturbation) ?? 0, perturbation).toBeGreaterThan(0);
  });

  it('never allows a field whose category lies outside the consent', () => {
    const NUM_RUNS = 2000;
    const outcomes = { allow: 0, deny: 0 };
    fc.assert(
      fc.property(scenariosOf(fc.constant(policy.rules)), ({ consent, exchange: e }) => {
        const decision = evaluate(policy, verdictOf(consent, e), e);
        if (decision.allow) {
          outcomes.allow++;
          for (const f of e.fields) expect(consent?.categories).toContain(f.category);
        } else {
          outcomes.deny++;
          if (decision.code === 'fields_not_covered')
            for (const f of decision.fields) expect(e.fields).toContainEqual(f);
        }
      }),
      { numRuns: NUM_RUNS, seed: 7 },
    );
    expectBothOutcomes(outcomes, NUM_RUNS);
  });

  // Any verdict against any flow of the default policy: the code is the most fundamental refusal,
  // the fields exactly those outside consent ∩ rule, and the verdict's reasons come first.
  const fieldsOf = (categories: readonly DataCategory[]) =>
    fc.array(
      fc.record({
        pointer: fc.constantFrom('/a', '/b', '/c', '/d'),
        category: fc.constantFrom(...categories),
      }),
      { minLength: 1, maxLength: 5 },
    );
  // Half any flow at all, half a flow of one of the policy's rules with fields it allows.
  const flowArb = fc.oneof(
    fc.record({
      senderType: fc.constantFrom(...AGENCY_TYPES),
      recipientType: fc.constantFrom(...AGENCY_TYPES),
      purpose: fc.constantFrom(...PURPOSES),
      fields: fieldsOf(DATA_CATEGORIES),
    }),
    fc.constantFrom(...policy.rules).chain((r) =>
      fc.record({
        senderType: fc.constantFrom(...r.from),
        recipientType: fc.constantFrom(...r.to),
        purpose: fc.constant(r.purpose),
        fields: fieldsOf(r.categories),
      }),
    ),
  );
  const verdictFor = (present: readonly DataCategory[]): fc.Arbitrary<ConsentVerdict> =>
    fc.oneof(
      fc
        .tuple(fc.subarray([...DATA_CATEGORIES]), fc.boolean())
        .map(([drawn, withPresent]): ConsentVerdict => ({
          covered: true,
          categories: withPresent ? unique([...present, ...drawn]) : drawn,
        })),
      fc.constant<ConsentVerdict>({
        covered: false,
        code: 'consent_missing',
        reasons: [{ code: 'consent_expired', message: 'model' }],
        missing: [],
      }),
      // decideConsent is asked about the message's categories, so what it finds missing is
      // among them.
      fc.subarray(unique(present), { minLength: 1 }).map((missing): ConsentVerdict => ({
        covered: false,
        code: 'fields_not_covered',
        reasons: [{ code: 'categories_not_covered', message: 'model' }],
        missing,
      })),
    );
  const caseArb = flowArb.chain((flow) =>
    verdictFor(flow.fields.map((f) => f.category)).map((verdict) => ({ flow, verdict })),
  );

  it('answers consent_missing before policy_denied before fields_not_covered, with exactly the uncovered fields', () => {
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(caseArb, ({ flow, verdict }) => {
        const e: Exchange = { sender: 's', recipient: 'r', ...flow };
        const rule = policy.rules.find(
          (r) =>
            r.purpose === e.purpose &&
            r.from.includes(e.senderType) &&
            r.to.includes(e.recipientType),
        );
        const outside = e.fields.filter(
          (f) =>
            (verdict.covered
              ? !verdict.categories.includes(f.category)
              : verdict.missing.includes(f.category)) ||
            rule === undefined ||
            !rule.categories.includes(f.category) ||
            (SPECIAL_CATEGORIES.includes(f.category) && !rule.specialCategories),
        );
        const expected =
          !verdict.covered && verdict.code === 'consent_missing'
            ? 'consent_missing'
            : rule === undefined
              ? 'policy_denied'
              : outside.length > 0
                ? 'fields_not_covered'
                : 'allow';
        const decision = evaluate(policy, verdict, e);
        codes.set(expected, (codes.get(expected) ?? 0) + 1);
        if (decision.allow) {
          expect(expected).toBe('allow');
          expect(verdict.covered).toBe(true);
          return;
        }
        expect(decision.code).toBe(expected);
        expect(decision.fields).toEqual(
          outside.map(({ pointer, category }) => ({ pointer, category })),
        );
        const before = verdict.covered ? [] : verdict.reasons.map((r) => r.code);
        expect(decision.reasons.map((r) => r.code)).toEqual([
          ...before,
          ...(rule === undefined ? ['no_rule'] : []),
          ...(outside.length > 0 ? ['fields_not_covered'] : []),
        ]);
      }),
      { numRuns: 3000, seed: 42 },
    );
    for (const code of ['allow', 'consent_missing', 'policy_denied', 'fields_not_covered'])
      expect(codes.get(code) ?? 0, code).toBeGreaterThan(100);
  });
});
