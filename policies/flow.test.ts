import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { higherAssurance, meetsAssurance } from './assurance.ts';
import { DEFAULT_POLICY } from './default-policy.ts';
import { checkRequestedFlow, requiredAssurance, type RequestedFlow } from './flow.ts';
import { loadPolicySet, type PolicySet } from './policy.ts';
import {
  AGENCY_TYPES,
  ASSURANCE_LEVELS,
  DATA_CATEGORIES,
  PURPOSES,
  SPECIAL_CATEGORIES,
  type Assurance,
} from './vocabulary.ts';

const policy = await loadPolicySet(DEFAULT_POLICY);

const flow = (overrides: Partial<RequestedFlow> = {}): RequestedFlow => ({
  purpose: 'labour_market_integration',
  senderTypes: ['immigration_office'],
  recipientTypes: ['jobcenter'],
  categories: ['residence_status', 'employment_permission'],
  ...overrides,
});

describe('checkRequestedFlow', () => {
  it('allows the core flow, names its rule and retention, and asks for low assurance', () => {
    expect(checkRequestedFlow(policy, flow())).toEqual({
      allow: true,
      ruleIds: ['lmi.abh-to-jc'],
      retentionDays: { jobcenter: 365 },
      specialCategories: false,
      requiredAssurance: 'low',
    });
  });

  it('allows health in case management from the social office, at substantial', () => {
    const check = checkRequestedFlow(
      policy,
      flow({
        purpose: 'case_management',
        senderTypes: ['social_office'],
        categories: ['household', 'health'],
      }),
    );
    expect(check).toEqual({
      allow: true,
      ruleIds: ['cm.so-to-jc'],
      retentionDays: { jobcenter: 180 },
      specialCategories: true,
      requiredAssurance: 'substantial',
    });
  });

  it('covers several recipients under one rule and several rules at once', () => {
    const check = checkRequestedFlow(
      policy,
      flow({
        purpose: 'case_management',
        senderTypes: ['immigration_office'],
        recipientTypes: ['social_office', 'jobcenter'],
        categories: ['contact'],
      }),
    );
    expect(check).toMatchObject({
      allow: true,
      ruleIds: ['cm.abh-to-so-jc'],
      retentionDays: { social_office: 180, jobcenter: 180 },
    });
  });

  it('refuses health for labour-market integration, naming the rule that does not allow it', () => {
    const check = checkRequestedFlow(policy, flow({ categories: ['residence_status', 'health'] }));
    expect(check).toEqual({
      allow: false,
      reasons: [
        {
          code: 'category_not_allowed',
          message:
            'rule lmi.abh-to-jc does not let a immigration_office send health to a jobcenter',
        },
      ],
    });
  });

  it('refuses each sender type → recipient type pair without a rule, one reason each', () => {
    const check = checkRequestedFlow(
      policy,
      flow({
        senderTypes: ['immigration_office', 'social_office'],
        recipientTypes: ['jobcenter', 'social_office'],
        categories: ['identity'],
      }),
    );
    expect(check.allow).toBe(false);
    if (check.allow) return;
    // abh → jc has a rule (identity allowed); abh → so, so → jc and so → so have none.
    expect(check.reasons.map((r) => r.code)).toEqual(['no_rule', 'no_rule', 'no_rule']);
    expect(check.reasons.map((r) => r.message)).toEqual([
      'policy 2026-11-25.2 has no rule letting a immigration_office send to a social_office for labour_market_integration',
      'policy 2026-11-25.2 has no rule letting a social_office send to a jobcenter for labour_market_integration',
      'policy 2026-11-25.2 has no rule letting a social_office send to a social_office for labour_market_integration',
    ]);
  });

  it('refuses a flow to the sender’s own type and a request naming no party type', () => {
    const same = checkRequestedFlow(policy, flow({ senderTypes: ['jobcenter'] }));
    expect(same).toMatchObject({ allow: false, reasons: [{ code: 'no_rule' }] });
    expect(checkRequestedFlow(policy, flow({ recipientTypes: [] }))).toMatchObject({
      allow: false,
      reasons: [{ code: 'no_rule' }],
    });
  });

  it('refuses health under a rule that carries it without allowing special categories', async () => {
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
    // A set that did not pass loadPolicySet must not let health through either.
    const strict = { ...lax, rules: lax.rules.map((r) => ({ ...r, specialCategories: false })) };
    const request = flow({ categories: ['health'] });
    expect(checkRequestedFlow(lax, request).allow).toBe(true);
    expect(checkRequestedFlow(strict, request)).toMatchObject({
      allow: false,
      reasons: [{ code: 'category_not_allowed' }],
    });
  });

  it('reports the longest retention when two rules send to one recipient type', async () => {
    const two = await loadPolicySet({
      version: 't',
      rules: [
        { ...policy.rules[0], id: 'ra', retentionDays: 30 },
        { ...policy.rules[0], id: 'rb', from: ['social_office'], retentionDays: 90 },
      ],
    });
    const check = checkRequestedFlow(
      two,
      flow({ senderTypes: ['immigration_office', 'social_office'], categories: ['identity'] }),
    );
    expect(check).toMatchObject({
      allow: true,
      ruleIds: ['ra', 'rb'],
      retentionDays: { jobcenter: 90 },
    });
  });
});

describe('requiredAssurance', () => {
  it('takes the rule floor for its purpose and raises it by the requested categories only', async () => {
    const p = await loadPolicySet({
      version: 't',
      rules: [
        {
          ...policy.rules[0],
          minAssurance: 'substantial',
          categoryAssurance: { employment_permission: 'high' },
        },
      ],
    });
    expect(requiredAssurance(p, flow({ categories: ['residence_status'] }))).toBe('substantial');
    expect(requiredAssurance(p, flow())).toBe('high');
    expect(requiredAssurance(p, flow({ senderTypes: ['social_office'] }))).toBe('low');
  });
});

// --- Properties: random policies with random floors, against the rule stated plainly. ---

const levelArb = fc.constantFrom(...ASSURANCE_LEVELS);
const ruleArb = fc.record({
  purpose: fc.constantFrom(...PURPOSES),
  from: fc.uniqueArray(fc.constantFrom(...AGENCY_TYPES), { minLength: 1, maxLength: 2 }),
  to: fc.uniqueArray(fc.constantFrom(...AGENCY_TYPES), { minLength: 1, maxLength: 2 }),
  categories: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1, maxLength: 6 }),
  specialCategories: fc.boolean(),
  minAssurance: fc.option(levelArb, { nil: undefined }),
  raised: fc.dictionary(fc.constantFrom(...DATA_CATEGORIES), levelArb, { maxKeys: 3 }),
});

/** Random rule lists trimmed to what loadPolicySet accepts: one rule per flow, floors for health. */
const policyArb = fc.array(ruleArb, { minLength: 1, maxLength: 8 }).map((rules) => {
  const seen = new Set<string>();
  return rules.flatMap((r, i) => {
    const pairs = r.from.flatMap((f) => r.to.map((t) => `${r.purpose}:${f}->${t}`));
    if (r.from.some((f) => r.to.includes(f)) || pairs.some((p) => seen.has(p))) return [];
    pairs.forEach((p) => seen.add(p));
    const categories = r.specialCategories
      ? r.categories
      : r.categories.filter((c) => !SPECIAL_CATEGORIES.includes(c));
    if (categories.length === 0) return [];
    const categoryAssurance: Record<string, Assurance> = {};
    for (const c of categories) {
      const level = r.raised[c];
      if (level !== undefined) categoryAssurance[c] = level;
    }
    if (categories.includes('health'))
      categoryAssurance['health'] = higherAssurance(
        categoryAssurance['health'] ?? 'low',
        'substantial',
      );
    return [
      {
        id: `r${i}`,
        purpose: r.purpose,
        from: r.from,
        to: r.to,
        categories,
        legalBasis: 'GDPR Art. 6(1)(a)',
        retentionDays: 30 + i,
        specialCategories: r.specialCategories,
        categoryAssurance,
        ...(r.minAssurance === undefined ? {} : { minAssurance: r.minAssurance }),
        reason: 'property test rule',
      },
    ];
  });
});

const anyFlowArb: fc.Arbitrary<RequestedFlow> = fc.record({
  purpose: fc.constantFrom(...PURPOSES),
  senderTypes: fc.uniqueArray(fc.constantFrom(...AGENCY_TYPES), { minLength: 1, maxLength: 3 }),
  recipientTypes: fc.uniqueArray(fc.constantFrom(...AGENCY_TYPES), { minLength: 1, maxLength: 3 }),
  categories: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1, maxLength: 5 }),
});

/** A request cut from one rule: its purpose, some of its types and categories. */
const flowWithin = (r: {
  purpose: RequestedFlow['purpose'];
  from: RequestedFlow['senderTypes'];
  to: RequestedFlow['recipientTypes'];
  categories: RequestedFlow['categories'];
}): fc.Arbitrary<RequestedFlow> =>
  fc.record({
    purpose: fc.constant(r.purpose),
    senderTypes: fc.subarray([...r.from], { minLength: 1 }),
    recipientTypes: fc.subarray([...r.to], { minLength: 1 }),
    categories: fc.subarray([...r.categories], { minLength: 1 }),
  });

/** Half the requests are cut from a rule of the policy (mostly allowed), half are arbitrary. */
const scenarioArb = policyArb
  .filter((rules) => rules.length > 0)
  .chain((rules) =>
    fc.record({
      rules: fc.constant(rules),
      flow: fc.oneof(anyFlowArb, fc.constantFrom(...rules).chain(flowWithin)),
    }),
  );

const pairsOf = (f: RequestedFlow) =>
  f.senderTypes.flatMap((from) => f.recipientTypes.map((to) => ({ from, to })));
const governing = (p: PolicySet, f: RequestedFlow, from: string, to: string) =>
  p.rules.find(
    (r) => r.purpose === f.purpose && r.from.some((x) => x === from) && r.to.some((x) => x === to),
  );

/** What a request may ask, stated apart from the checker. */
function oracle(p: PolicySet, f: RequestedFlow): { allow: boolean; reasons: number } {
  let reasons = 0;
  for (const { from, to } of pairsOf(f)) {
    const rule = governing(p, f, from, to);
    if (!rule) reasons += 1;
    else reasons += f.categories.filter((c) => !rule.categories.includes(c)).length;
  }
  return { allow: reasons === 0, reasons };
}

const rank = (a: Assurance) => ASSURANCE_LEVELS.indexOf(a);

describe('checkRequestedFlow, properties', () => {
  it('allows exactly what the oracle allows, with one reason per missing rule or category', async () => {
    const outcomes = { allow: 0, deny: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ rules, flow: f }) => {
        const p = await loadPolicySet({ version: 'prop', rules });
        const check = checkRequestedFlow(p, f);
        const expected = oracle(p, f);
        expect(check.allow).toBe(expected.allow);
        outcomes[check.allow ? 'allow' : 'deny'] += 1;
        if (!check.allow) expect(check.reasons).toHaveLength(expected.reasons);
      }),
      { numRuns: 500 },
    );
    expect(outcomes.allow).toBeGreaterThan(100);
    expect(outcomes.deny).toBeGreaterThan(100);
  });

  it('asks for the highest floor of the governing rules, and substantial or more for health', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ rules, flow: f }) => {
        const p = await loadPolicySet({ version: 'prop', rules });
        const check = checkRequestedFlow(p, f);
        if (!check.allow) return;
        let expected: Assurance = 'low';
        for (const { from, to } of pairsOf(f)) {
          const rule = governing(p, f, from, to);
          for (const level of [
            rule?.minAssurance,
            ...f.categories.map((c) => rule?.categoryAssurance?.[c]),
          ]) {
            if (level !== undefined && rank(level) > rank(expected)) expected = level;
          }
        }
        expect(check.requiredAssurance).toBe(expected);
        if (f.categories.includes('health')) {
          expect(meetsAssurance(check.requiredAssurance, 'substantial')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never lowers the floor when a category is added, and ignores order and repeats', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.constantFrom(...DATA_CATEGORIES),
        async ({ rules, flow: f }, extra) => {
          const p = await loadPolicySet({ version: 'prop', rules });
          const wider = { ...f, categories: [...f.categories, extra] };
          expect(rank(requiredAssurance(p, wider))).toBeGreaterThanOrEqual(
            rank(requiredAssurance(p, f)),
          );
          const shuffled = {
            ...f,
            senderTypes: [...f.senderTypes].reverse().concat(f.senderTypes),
            recipientTypes: [...f.recipientTypes].reverse(),
            categories: [...f.categories].reverse(),
          };
          const a = checkRequestedFlow(p, f);
          const b = checkRequestedFlow(p, shuffled);
          expect(b.allow).toBe(a.allow);
          if (a.allow && b.allow) expect(b).toEqual(a);
        },
      ),
      { numRuns: 300 },
    );
  });
});
