import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './default-policy.ts';
import { evaluate, type ConsentTerms, type Exchange } from './evaluate.ts';
import { loadPolicySet, type PolicySet } from './policy.ts';
import {
  AGENCY_TYPES,
  DATA_CATEGORIES,
  PURPOSES,
  SPECIAL_CATEGORIES,
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
        { ...policy.rules[0], categories: ['residence_status', 'health'], specialCategories: true },
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
const times = [
  '2026-01-01T00:00:00.000Z',
  '2026-06-01T00:00:00.000Z',
  '2027-01-01T00:00:00.000Z',
  '2028-01-01T00:00:00.000Z',
];

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
      reason: 'property test rule',
    }))
    .filter((r) => r.categories.length > 0);
});
const consentArb = fc.option(
  fc.record({
    id: fc.constant('cs'),
    senders: fc.uniqueArray(fc.constantFrom(...agencies), { minLength: 1, maxLength: 3 }),
    recipients: fc.uniqueArray(fc.constantFrom(...agencies), { minLength: 1, maxLength: 3 }),
    purpose: fc.constantFrom(...PURPOSES),
    categories: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1, maxLength: 8 }),
    validFrom: fc.constantFrom(...times.slice(0, 2)),
    validUntil: fc.constantFrom(...times.slice(2)),
    state: fc.constantFrom<ConsentTerms['state']>(
      'active',
      'active',
      'active',
      'revoked',
      'expired',
    ),
  }),
  { nil: undefined },
);
const exchangeArb = fc.record({
  sender: fc.constantFrom(...agencies),
  recipient: fc.constantFrom(...agencies),
  purpose: fc.constantFrom(...PURPOSES),
  categories: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1, maxLength: 5 }),
  at: fc.constantFrom(...times),
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

describe('evaluate, properties', () => {
  it('allows exactly when consent ∩ policy covers every field and parties, purpose and time match', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, consentArb, exchangeArb, async (rules, terms, ex) => {
        fc.pre(rules.length > 0);
        const p = await loadPolicySet({ version: 'prop', rules });
        const e: Exchange = {
          sender: ex.sender,
          senderType: typeOf[ex.sender],
          recipient: ex.recipient,
          recipientType: typeOf[ex.recipient],
          purpose: ex.purpose,
          fields: ex.categories.map((category: DataCategory) => ({
            pointer: `/${category}`,
            category,
          })),
          at: ex.at,
        };
        const decision = evaluate(p, terms, e);
        expect(decision.allow).toBe(oracle(p, terms, e));
        if (!decision.allow) expect(decision.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 1500, seed: 20261125 },
    );
  });

  it('never allows a field whose category lies outside the consent', () => {
    fc.assert(
      fc.property(consentArb, exchangeArb, (terms, ex) => {
        const e: Exchange = {
          sender: ex.sender,
          senderType: typeOf[ex.sender],
          recipient: ex.recipient,
          recipientType: typeOf[ex.recipient],
          purpose: ex.purpose,
          fields: ex.categories.map((category: DataCategory) => ({
            pointer: `/${category}`,
            category,
          })),
          at: ex.at,
        };
        const decision = evaluate(policy, terms, e);
        if (decision.allow) {
          for (const f of e.fields) expect(terms?.categories).toContain(f.category);
        } else if (decision.code === 'fields_not_covered') {
          for (const f of decision.fields) expect(e.fields).toContainEqual(f);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
