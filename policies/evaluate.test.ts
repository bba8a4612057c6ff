import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './default-policy.ts';
import { evaluate, type ConsentVerdict, type Exchange } from './evaluate.ts';
import { loadPolicySet } from './policy.ts';

const policy = await loadPolicySet(DEFAULT_POLICY);

/** What `decideConsent` answers when a consent covers the flow: the categories it allows. */
const covered = (
  categories: readonly string[] = ['residence_status', 'employment_permission'],
): ConsentVerdict => ({ covered: true, categories });
/** What it answers when no consent in force names the parties and the purpose. */
const consentMissing = (
  reasons = [{ code: 'consent_revoked', message: 'consent cs_1 version 2 was withdrawn' }],
): ConsentVerdict => ({ covered: false, code: 'consent_missing', reasons, missing: [] });
/** What it answers when a consent in force lacks only these categories. */
const lacking = (missing: readonly string[]): ConsentVerdict => ({
  covered: false,
  code: 'fields_not_covered',
  reasons: [
    {
      code: 'categories_not_covered',
      message: `consent cs_1 version 1 does not cover ${missing.join(', ')}`,
    },
  ],
  missing,
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
  ...overrides,
});
/** A flow the default policy has no rule for: a social office to an immigration office. */
const withoutRule = (overrides: Partial<Exchange> = {}) =>
  exchange({
    sender: 'so-koeln',
    senderType: 'social_office',
    recipient: 'abh-koeln',
    recipientType: 'immigration_office',
    ...overrides,
  });

describe('evaluate', () => {
  it('never allows under a refused verdict, even when no field shows the missing category', () => {
    expect(evaluate(policy, lacking(['health']), exchange())).toMatchObject({
      allow: false,
      code: 'fields_not_covered',
      fields: [],
    });
    expect(evaluate(policy, lacking([]), exchange())).toMatchObject({ allow: false });
  });

  it('allows the core flow and names the covering rule', () => {
    const decision = evaluate(policy, covered(), exchange());
    expect(decision).toMatchObject({
      allow: true,
      rule: { id: 'lmi.abh-to-jc' },
      categories: ['residence_status', 'employment_permission'],
    });
  });

  it('lists every field outside consent ∩ policy with pointer and category', () => {
    const decision = evaluate(
      policy,
      covered(),
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
      reasons: [
        {
          code: 'fields_not_covered',
          message: 'categories outside consent ∩ policy: contact, benefits',
        },
      ],
      fields: [
        { pointer: '/address', category: 'contact' },
        { pointer: '/benefit', category: 'benefits' },
      ],
    });
  });

  it('turns a refusal for missing categories into exactly the fields of those categories, and those outside the rule', () => {
    const decision = evaluate(
      policy,
      lacking(['contact', 'identity']),
      exchange({
        fields: [
          { pointer: '/residenceTitle', category: 'residence_status' },
          { pointer: '/address', category: 'contact' },
          { pointer: '/name', category: 'identity' },
          { pointer: '/phone', category: 'contact' },
          { pointer: '/benefit', category: 'benefits' }, // outside the rule
        ],
      }),
    );
    expect(decision).toEqual({
      allow: false,
      code: 'fields_not_covered',
      reasons: [
        {
          code: 'categories_not_covered',
          message: 'consent cs_1 version 1 does not cover contact, identity',
        },
        {
          code: 'fields_not_covered',
          message: 'categories outside consent ∩ policy: contact, identity, benefits',
        },
      ],
      fields: [
        { pointer: '/address', category: 'contact' },
        { pointer: '/name', category: 'identity' },
        { pointer: '/phone', category: 'contact' },
        { pointer: '/benefit', category: 'benefits' },
      ],
    });
  });

  it('denies a flow without a rule as policy_denied, naming what is missing', () => {
    const decision = evaluate(
      policy,
      covered(),
      withoutRule({ fields: [{ pointer: '/residenceTitle', category: 'residence_status' }] }),
    );
    expect(decision).toMatchObject({ allow: false, code: 'policy_denied' });
    if (decision.allow) return;
    expect(decision.reasons[0]).toEqual({
      code: 'no_rule',
      message: `policy ${policy.version} has no rule letting a social_office send to a immigration_office for labour_market_integration`,
    });
  });

  it('reports every reason, with the consent refusal first', () => {
    const verdict = consentMissing([
      { code: 'consent_revoked', message: 'consent cs_1 version 2 was withdrawn' },
      { code: 'consent_expired', message: 'consent cs_2 version 1 ended 2026-01-01' },
    ]);
    const decision = evaluate(
      policy,
      verdict,
      exchange({ recipientType: 'social_office', purpose: 'residence_procedure' }),
    );
    expect(decision.allow).toBe(false);
    if (decision.allow) return;
    expect(decision.code).toBe('consent_missing');
    expect(decision.reasons.map((r) => r.code)).toEqual([
      'consent_revoked',
      'consent_expired',
      'no_rule',
      'fields_not_covered',
    ]);
  });

  it('refuses every refusal of consent, even where the policy and fields would allow', () => {
    expect(evaluate(policy, consentMissing(), exchange())).toEqual({
      allow: false,
      code: 'consent_missing',
      reasons: [{ code: 'consent_revoked', message: 'consent cs_1 version 2 was withdrawn' }],
      fields: [],
    });
    expect(evaluate(policy, lacking(['residence_status']), exchange())).toMatchObject({
      allow: false,
      code: 'fields_not_covered',
      fields: [{ pointer: '/residenceTitle', category: 'residence_status' }],
    });
  });

  it('refuses a field outside the categories of a covering consent', () => {
    expect(evaluate(policy, covered(['employment_permission']), exchange())).toMatchObject({
      allow: false,
      code: 'fields_not_covered',
      fields: [{ pointer: '/residenceTitle', category: 'residence_status' }],
    });
  });

  describe('answers the most fundamental code: consent_missing, then policy_denied, then fields_not_covered', () => {
    const outsideRule = [{ pointer: '/benefit', category: 'benefits' as const }];
    const cases: [string, ConsentVerdict, Exchange, string][] = [
      ['consent missing, no rule, fields out', consentMissing(), withoutRule(), 'consent_missing'],
      [
        'consent missing, fields out',
        consentMissing(),
        exchange({ fields: outsideRule }),
        'consent_missing',
      ],
      [
        'consent lacks fields, no rule',
        lacking(['residence_status']),
        withoutRule(),
        'policy_denied',
      ],
      ['covered, no rule', covered(), withoutRule(), 'policy_denied'],
      [
        'consent lacks fields, rule',
        lacking(['residence_status']),
        exchange(),
        'fields_not_covered',
      ],
      [
        'covered, field outside rule',
        covered(['benefits']),
        exchange({ fields: outsideRule }),
        'fields_not_covered',
      ],
    ];
    for (const [name, verdict, ex, code] of cases)
      it(`${name}: ${code}`, () => {
        expect(evaluate(policy, verdict, ex)).toMatchObject({ allow: false, code });
      });
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
    const verdict = covered(['health']);
    expect(evaluate(lax, verdict, ex).allow).toBe(true);
    expect(evaluate(strict, verdict, ex)).toMatchObject({
      code: 'fields_not_covered',
      fields: [{ pointer: '/h', category: 'health' }],
    });
  });
});
