import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './default-policy.ts';
import { evaluate, type ConsentTerms, type Decision, type Exchange } from './evaluate.ts';
import { loadPolicySet, type PolicyRule, type PolicySet } from './policy.ts';
import {
  AGENCY_TYPES,
  DATA_CATEGORIES,
  PURPOSES,
  SPECIAL_CATEGORIES,
  type AgencyType,
  type DataCategory,
} from './vocabulary.ts';

const policy = await loadPolicySet(DEFAULT_POLICY);
const NOW = '2026-11-25T10:00:00.000Z';

const consent = (overrides: Partial<ConsentTerms> = {}): ConsentTerms => ({
  id: 'cs_1',
  senders: ['abh-koeln'],
  recipients: ['jc-koeln'],
  purpose: 'labour_market_integration',
  categories: ['residence_status', 'employment_permission'],
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2027-01-01T00:00:00.000Z',
  state: 'active',
  ...overrides,
});
const exchange = (overrides: Partial<Exchange> = {}): Exchange => ({
  sender: 'abh-koeln',
  senderType: 'immigration_office',
  recipient: 'jc-koeln',
  recipientType: 'jobcenter',
  purpose: 'labour_market_integration',
  fields: [
    { pointer: '/residenceTitle', category: 'residence_status' },
    { pointer: '/employmentPermission', category: 'employment_permission' },
  ],
  at: NOW,
  ...overrides,
});

describe('evaluate', () => {
  it('allows the core flow and names the covering rule', () => {
    const decision = evaluate(policy, consent(), exchange());
    expect(decision).toMatchObject({
      allow: true,
      rule: { id: 'lmi.abh-to-jc' },
      categories: ['residence_status', 'employment_permission'],
    });
  });

  it('lists every field outside consent ∩ policy with pointer and category', () => {
    const decision = evaluate(
      policy,
      consent(),
      exchange({
        fields: [
          { pointer: '/residenceTitle', category: 'residence_status' },
          { pointer: '/address', category: 'contact' }, // in the rule, not in the consent
          { pointer: '/benefit', category: 'benefits' }, // in neither
        ],
      }),
    );
    expect(decision).toEqual({
      allow: false,
      code: 'fields_not_covered',
      reasons: [expect.objectContaining({ code: 'fields_not_covered' })],
      fields: [
        { pointer: '/address', category: 'contact' },
        { pointer: '/benefit', category: 'benefits' },
      ],
    });
  });

  it('denies a flow without a rule as policy_denied, naming what is missing', () => {
    const decision = evaluate(
      policy,
      consent({
        purpose: 'labour_market_integration',
        senders: ['so-koeln'],
        recipients: ['abh-koeln'],
      }),
      exchange({
        sender: 'so-koeln',
        senderType: 'social_office',
        recipient: 'abh-koeln',
        recipientType: 'immigration_office',
      }),
    );
    expect(decision).toMatchObject({ allow: false, code: 'policy_denied' });
    if (!decision.allow)
      expect(decision.reasons[0]?.message).toContain('social_office send to a immigration_office');
  });

  it('reports every reason, with the consent refusal first', () => {
    const decision = evaluate(
      policy,
      consent({ state: 'revoked' }),
      exchange({ recipientType: 'social_office', purpose: 'residence_procedure' }),
    );
    expect(decision.allow).toBe(false);
    if (decision.allow) return;
    expect(decision.code).toBe('consent_missing');
    expect(decision.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining([
        'purpose_not_consented',
        'consent_revoked',
        'no_rule',
        'fields_not_covered',
      ]),
    );
  });

  it('refuses revoked, expired and not-yet-valid consents', () => {
    expect(evaluate(policy, consent({ state: 'revoked' }), exchange())).toMatchObject({
      code: 'consent_revoked',
    });
    expect(evaluate(policy, consent({ validUntil: NOW }), exchange())).toMatchObject({
      code: 'consent_expired',
    });
    expect(
      evaluate(policy, consent({ validFrom: '2026-12-01T00:00:00.000Z' }), exchange()),
    ).toMatchObject({ code: 'consent_missing' });
    expect(evaluate(policy, undefined, exchange())).toMatchObject({ code: 'consent_missing' });
  });

  it('refuses health under a rule without special categories even when consented', async () => {
    const lax = await loadPolicySet({
      version: 't',
      rules: [
        {
          ...policy.rules[0],
          categories: ['residence_status', 'health'],
          specialCategories: true,
          categoryAssurance: { health: 'substantial' },
        },
      ],
    });
    const strict = { ...lax, rules: lax.rules.map((r) => ({ ...r, specialCategories: false })) };
    const ex = exchange({ fields: [{ pointer: '/h', category: 'health' }] });
    const terms = consent({ categories: ['health'] });
    expect(evaluate(lax, terms, ex).allow).toBe(true);
    expect(evaluate(strict, terms, ex)).toMatchObject({
      code: 'fields_not_covered',
      fields: [{ pointer: '/h', category: 'health' }],
    });
  });
});

// --- Properties: random policies, consents and messages against an independent oracle. ---

const agencies = ['a1', 'a2', 'a3', 'a4'] as const;
const typeOf: Record<(typeof agencies)[number], (typeof AGENCY_TYPES)[number]> = {
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

/** The rule stated plainly, written apart from the evaluator. */
function oracle(p: PolicySet, c: ConsentTerms | undefined, e: Exchange): boolean {
  if (c?.state !== 'active') return false;
  if (
    c.purpose !== e.purpose ||
    !c.senders.includes(e.sender) ||
    !c.recipients.includes(e.recipient)
  )
    return false;
  if (!(c.validFrom <= e.at && e.at < c.validUntil)) return false;
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
  'no_rule_for_sender_type',
  'before_valid_from',
  'at_or_after_valid_until',
  'field_outside_consent',
  'field_outside_policy',
  'revoked',
  'expired',
  'no_consent',
] as const;
type Perturbation = (typeof PERTURBATIONS)[number];
type Refusal = Extract<Decision, { allow: false }>['code'];

/** The one refusal code each single-dimension perturbation must produce. */
const REFUSAL_OF: Record<Perturbation, Refusal> = {
  sender_not_consented: 'consent_missing',
  recipient_not_consented: 'consent_missing',
  purpose_not_consented: 'consent_missing',
  no_rule_for_sender_type: 'policy_denied',
  before_valid_from: 'consent_missing',
  at_or_after_valid_until: 'consent_expired',
  field_outside_consent: 'fields_not_covered',
  field_outside_policy: 'fields_not_covered',
  revoked: 'consent_revoked',
  expired: 'consent_expired',
  no_consent: 'consent_missing',
};

type Agency = (typeof agencies)[number];
const agenciesOf = (types: readonly AgencyType[]): Agency[] =>
  agencies.filter((a) => types.includes(typeOf[a]));
const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const DAY_MS = 86_400_000;
const EPOCH = Date.parse('2026-01-01T00:00:00.000Z');
const day = (n: number): string => new Date(EPOCH + n * DAY_MS).toISOString();

interface Choice {
  readonly sender: Agency;
  readonly recipient: Agency;
  readonly fieldCategories: readonly DataCategory[];
  readonly extraCategories: readonly DataCategory[];
  readonly extraSenders: readonly Agency[];
  readonly extraRecipients: readonly Agency[];
  readonly at: number;
  readonly sinceStart: number;
  readonly untilEnd: number;
  readonly offset: number;
  readonly pick: number;
  readonly perturbation: Perturbation | undefined;
}

interface Scenario {
  readonly rules: readonly PolicyRule[];
  readonly rule: PolicyRule;
  readonly perturbation: Perturbation | undefined;
  readonly terms: ConsentTerms | undefined;
  readonly exchange: Exchange;
}

/**
 * A flow the rule and a consent allow: sender and recipient of the rule's types, named by a
 * consent for the rule's purpose that is active around the exchange time, and message fields a
 * subset of rule ∩ consent; then, if asked, broken in exactly one dimension.
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
  let purpose = rule.purpose;
  let categories = unique([...choice.fieldCategories, ...choice.extraCategories]);
  let fieldCategories = [...choice.fieldCategories];
  let validFrom = choice.at - choice.sinceStart;
  let validUntil = choice.at + choice.untilEnd;
  let state: ConsentTerms['state'] = 'active';

  switch (perturbation) {
    case undefined:
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
    case 'before_valid_from':
      validFrom = choice.at + 1 + choice.offset;
      validUntil = validFrom + choice.untilEnd;
      break;
    case 'at_or_after_valid_until':
      validUntil = choice.at - choice.offset; // offset 0: the exchange falls on the end itself
      validFrom = validUntil - choice.sinceStart - 1;
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
    case 'revoked':
    case 'expired':
      state = perturbation;
      break;
    case 'no_consent':
      break;
  }

  return {
    rules,
    rule,
    perturbation,
    terms:
      perturbation === 'no_consent'
        ? undefined
        : {
            id: 'cs',
            senders,
            recipients,
            purpose,
            categories,
            validFrom: day(validFrom),
            validUntil: day(validUntil),
            state,
          },
    exchange: {
      sender,
      senderType: typeOf[sender],
      recipient: choice.recipient,
      recipientType: typeOf[choice.recipient],
      purpose: rule.purpose,
      fields: fieldCategories.map((category) => ({ pointer: `/${category}`, category })),
      at: day(choice.at),
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
          at: fc.integer({ min: 0, max: 730 }),
          sinceStart: fc.integer({ min: 0, max: 400 }),
          untilEnd: fc.integer({ min: 1, max: 400 }),
          offset: fc.integer({ min: 0, max: 400 }),
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
  it('allows exactly when every present field’s category is in consent ∩ policy and sender, recipient, purpose and time all match; never otherwise', async () => {
    const NUM_RUNS = 1500;
    const outcomes = { allow: 0, deny: 0 };
    const perturbed = new Map<Perturbation, number>();
    await fc.assert(
      fc.asyncProperty(scenariosOf(policyArb.filter((rules) => rules.length > 0)), async (s) => {
        const p = await loadPolicySet({ version: 'prop', rules: s.rules });
        const decision = evaluate(p, s.terms, s.exchange);
        const expected = oracle(p, s.terms, s.exchange);
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
      fc.property(scenariosOf(fc.constant(policy.rules)), ({ terms, exchange: e }) => {
        const decision = evaluate(policy, terms, e);
        if (decision.allow) {
          outcomes.allow++;
          for (const f of e.fields) expect(terms?.categories).toContain(f.category);
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
});
