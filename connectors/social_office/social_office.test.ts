import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { SPECIAL_CATEGORIES } from '../../policies/vocabulary.ts';
import { parseMessage } from '../catalogue.ts';
import { BENEFIT_TYPES, socialOfficeConnector } from './index.ts';

/** The issue paths of the refusal `fn` throws. */
function refusedAt(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    expect(error.code).toBe('validation_failed');
    return (error.errors ?? []).map((issue) => issue.path);
  }
  throw new Error('expected a refusal');
}

describe('social office connector', () => {
  it('sends the benefit status, the housing situation and the health coverage notice', () => {
    expect(socialOfficeConnector.messageTypes.map((type) => type.id)).toEqual([
      'benefit.status',
      'housing.situation',
      'health_coverage.notice',
    ]);
  });
});

describe('benefit.status', () => {
  it('carries benefits; household only with householdSize', () => {
    expect(
      parseMessage('benefit.status', { benefitType: 'AsylbLG', since: '2025-06-01' }).categories,
    ).toEqual(['benefits']);
    expect(
      parseMessage('benefit.status', {
        benefitType: 'SGB_XII',
        since: '2025-06-01',
        householdSize: 4,
      }).categories,
    ).toEqual(['benefits', 'household']);
  });

  it('accepts every benefit type, "none" included', () => {
    for (const benefitType of BENEFIT_TYPES) {
      expect(
        parseMessage('benefit.status', { benefitType, since: '2026-01-01' }).categories,
      ).toEqual(['benefits']);
    }
  });

  it('refuses household sizes outside 1..20, fractions and numbers as strings', () => {
    for (const householdSize of [0, 21, 2.5, '3']) {
      expect(
        refusedAt(() =>
          parseMessage('benefit.status', {
            benefitType: 'AsylbLG',
            since: '2025-06-01',
            householdSize,
          }),
        ),
      ).toEqual(['/payload/householdSize']);
    }
  });

  it('refuses a benefit type outside the list and a date with time', () => {
    expect(
      refusedAt(() =>
        parseMessage('benefit.status', { benefitType: 'SGB_II', since: '2025-06-01T00:00:00Z' }),
      ),
    ).toEqual(['/payload/benefitType', '/payload/since']);
  });
});

describe('housing.situation', () => {
  it('carries housing, and household and benefits only with their fields', () => {
    const accommodation = { type: 'emergency_shelter', since: '2026-08-01' };
    expect(parseMessage('housing.situation', { accommodation }).categories).toEqual(['housing']);
    expect(
      parseMessage('housing.situation', {
        accommodation,
        householdSize: 1,
        housingCostsCovered: true,
      }).categories,
    ).toEqual(['benefits', 'household', 'housing']);
  });
});

describe('health_coverage.notice', () => {
  it('carries health, a special category (GDPR Art. 9), and nothing else', () => {
    const parsed = parseMessage('health_coverage.notice', {
      coverage: { scheme: 'asylblg_limited', legalBasis: '§§ 4, 6 AsylbLG', since: '2025-06-01' },
    });
    expect(parsed.categories).toEqual(['health']);
    expect(SPECIAL_CATEGORIES).toContain('health');
  });

  it('counts the health card as health data too', () => {
    const parsed = parseMessage('health_coverage.notice', {
      coverage: { scheme: 'asylblg_analog', since: '2025-06-01' },
      healthCard: { issued: true },
    });
    expect(parsed.fields).toEqual([
      { pointer: '/coverage', category: 'health' },
      { pointer: '/healthCard', category: 'health' },
    ]);
  });

  it('refuses an unknown field inside the health card', () => {
    expect(
      refusedAt(() =>
        parseMessage('health_coverage.notice', {
          coverage: { scheme: 'none', since: '2025-06-01' },
          healthCard: { issued: true, diagnosis: 'x' },
        }),
      ),
    ).toEqual(['/payload/healthCard/diagnosis']);
  });
});
