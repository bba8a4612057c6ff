import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './default-policy.ts';
import { requiredAssurance } from './flow.ts';
import { loadPolicySet } from './policy.ts';

const rule = (overrides: Record<string, unknown> = {}) => ({
  id: 'r1',
  purpose: 'labour_market_integration',
  from: ['immigration_office'],
  to: ['jobcenter'],
  categories: ['residence_status'],
  legalBasis: 'GDPR Art. 6(1)(a)',
  retentionDays: 30,
  reason: 'a reason long enough',
  ...overrides,
});

async function refusal(input: unknown): Promise<{ path: string; message: string }[]> {
  try {
    await loadPolicySet(input);
  } catch (error) {
    expect(error).toMatchObject({ code: 'validation_failed' });
    return (error as { errors: { path: string; message: string }[] }).errors;
  }
  throw new Error('expected a refusal');
}

describe('the default policy set', () => {
  it('is valid and sealed with a stable hash', async () => {
    const a = await loadPolicySet(DEFAULT_POLICY);
    const b = await loadPolicySet(structuredClone(DEFAULT_POLICY));
    expect(a.hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.hash).toBe(b.hash);
  });

  it('carries the core flows of the programme, each with a reason', async () => {
    const policy = await loadPolicySet(DEFAULT_POLICY);
    const flow = (purpose: string, from: string, to: string) =>
      policy.rules.find(
        (r) =>
          r.purpose === purpose && r.from.includes(from as never) && r.to.includes(to as never),
      );
    expect(
      flow('labour_market_integration', 'immigration_office', 'jobcenter')?.categories,
    ).toEqual(expect.arrayContaining(['residence_status', 'employment_permission']));
    expect(flow('residence_procedure', 'jobcenter', 'immigration_office')?.categories).toEqual(
      expect.arrayContaining(['qualifications', 'language_skills']),
    );
    for (const purpose of [
      'labour_market_integration',
      'benefit_eligibility',
      'residence_procedure',
      'language_course_allocation',
      'case_management',
    ]) {
      expect(
        policy.rules.some((r) => r.purpose === purpose),
        purpose,
      ).toBe(true);
    }
    for (const type of ['immigration_office', 'jobcenter', 'social_office']) {
      expect(
        policy.rules.some((r) => r.from.includes(type as never)),
        type,
      ).toBe(true);
    }
    for (const r of policy.rules) expect(r.reason.length).toBeGreaterThan(20);
  });

  it('allows health only under a rule that says so', async () => {
    const policy = await loadPolicySet(DEFAULT_POLICY);
    for (const r of policy.rules) {
      if (r.categories.includes('health')) expect(r.specialCategories).toBe(true);
    }
  });
});

describe('assurance floors', () => {
  const health = (overrides: Record<string, unknown> = {}) =>
    rule({ categories: ['residence_status', 'health'], specialCategories: true, ...overrides });

  it('the default set asks substantial for health in case management, low elsewhere', async () => {
    const policy = await loadPolicySet(DEFAULT_POLICY);
    const cm = policy.rules.find((r) => r.id === 'cm.so-to-jc');
    expect(cm?.categoryAssurance).toEqual({ health: 'substantial' });
    expect(policy.version).toBe('2026-11-25.2');
    for (const r of policy.rules) {
      const floor = requiredAssurance(policy, {
        purpose: r.purpose,
        senderTypes: r.from,
        recipientTypes: r.to,
        categories: r.categories,
      });
      expect(floor, r.id).toBe(r.categories.includes('health') ? 'substantial' : 'low');
    }
  });

  it('refuses a special category whose floor stays below substantial (§ 67b(2) SGB X)', async () => {
    for (const overrides of [
      {},
      { minAssurance: 'low' },
      { categoryAssurance: { health: 'low' } },
      { categoryAssurance: { residence_status: 'high' } },
    ]) {
      const errors = await refusal({ version: '1', rules: [health(overrides)] });
      expect(errors, JSON.stringify(overrides)).toEqual([
        {
          path: '/rules/0/categoryAssurance/health',
          message: expect.stringContaining('at least substantial') as string,
        },
      ]);
    }
  });

  it('accepts the floor for health from the category or from the whole rule', async () => {
    for (const overrides of [
      { categoryAssurance: { health: 'substantial' } },
      { categoryAssurance: { health: 'high' } },
      { minAssurance: 'substantial' },
      { minAssurance: 'high', categoryAssurance: { health: 'low' } },
    ]) {
      await expect(
        loadPolicySet({ version: '1', rules: [health(overrides)] }),
      ).resolves.toBeDefined();
    }
  });

  it('refuses a floor for a category the rule does not carry, and an unknown level', async () => {
    expect(
      await refusal({ version: '1', rules: [rule({ categoryAssurance: { contact: 'high' } })] }),
    ).toEqual([
      {
        path: '/rules/0/categoryAssurance/contact',
        message: 'contact is not a category of this rule',
      },
    ]);
    await refusal({ version: '1', rules: [rule({ minAssurance: 'medium' })] });
    await refusal({
      version: '1',
      rules: [rule({ categoryAssurance: { residence_status: 'x' } })],
    });
    await refusal({ version: '1', rules: [rule({ categoryAssurance: { gossip: 'low' } })] });
  });

  it('adds no floor to a rule that names none, so older policy files keep their hash', async () => {
    const policy = await loadPolicySet({ version: '1', rules: [rule()] });
    expect(policy.rules[0]).not.toHaveProperty('minAssurance');
    expect(policy.rules[0]).not.toHaveProperty('categoryAssurance');
  });
});

describe('loadPolicySet refuses', () => {
  it('a change of any rule changes the hash', async () => {
    const base = await loadPolicySet({ version: '1', rules: [rule()] });
    const changed = await loadPolicySet({ version: '1', rules: [rule({ retentionDays: 31 })] });
    expect(changed.hash).not.toBe(base.hash);
  });

  it('unknown fields, purposes, categories and agency types', async () => {
    const errors = await refusal({
      version: '1',
      rules: [
        rule({ purpose: 'curiosity', categories: ['shoe_size'], from: ['police'], extra: 1 }),
      ],
    });
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/rules/0/purpose',
        '/rules/0/categories/0',
        '/rules/0/from/0',
        '/rules/0',
      ]),
    );
  });

  it('health without "specialCategories": true', async () => {
    const errors = await refusal({
      version: '1',
      rules: [rule({ categories: ['health'], categoryAssurance: { health: 'substantial' } })],
    });
    expect(errors).toEqual([
      {
        path: '/rules/0/categories',
        message: expect.stringContaining('specialCategories') as string,
      },
    ]);
  });

  it('two rules for the same purpose, sender type and recipient type', async () => {
    const errors = await refusal({
      version: '1',
      rules: [rule(), rule({ id: 'r2', to: ['jobcenter', 'social_office'] })],
    });
    expect(errors[0]?.message).toContain('governed by rule r1');
  });

  it('duplicate ids and a flow from a type to itself', async () => {
    const errors = await refusal({
      version: '1',
      rules: [
        rule(),
        rule({ purpose: 'case_management' }),
        rule({ id: 'r3', purpose: 'benefit_eligibility', to: ['immigration_office'] }),
      ],
    });
    expect(errors.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        'duplicate rule id r1',
        'immigration_office cannot send to its own type',
      ]),
    );
  });

  it('an empty set and a missing reason', async () => {
    await refusal({ version: '1', rules: [] });
    await refusal({ version: '1', rules: [rule({ reason: '' })] });
  });
});
