import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { parseMessage } from '../catalogue.ts';
import { CEFR_LEVELS } from '../define.ts';
import { jobcenterConnector } from './index.ts';

/** The issues of the refusal `fn` throws. */
function refusal(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    expect(error.code).toBe('validation_failed');
    return (error.errors ?? []).map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected a refusal');
}

const profile = {
  qualifications: [{ title: 'Diploma in Nursing', country: 'UKR', recognised: true }],
  languageLevel: 'B1',
  registeredSince: '2025-02-01',
};

describe('jobcenter connector', () => {
  it('sends the jobseeker profile, the integration plan summary and placement offers', () => {
    expect(jobcenterConnector.messageTypes.map((type) => type.id)).toEqual([
      'jobseeker.profile',
      'integration_plan.summary',
      'placement.offer',
    ]);
  });
});

describe('jobseeker.profile', () => {
  it('carries qualifications, language skills and employment history', () => {
    expect(parseMessage('jobseeker.profile', profile).fields).toEqual([
      { pointer: '/qualifications', category: 'qualifications' },
      { pointer: '/languageLevel', category: 'language_skills' },
      { pointer: '/registeredSince', category: 'employment_history' },
    ]);
  });

  it('accepts recognised as true, false or "pending", and every CEFR level', () => {
    for (const recognised of [true, false, 'pending']) {
      for (const languageLevel of CEFR_LEVELS) {
        const message = {
          ...profile,
          languageLevel,
          qualifications: [{ title: 'Abitur', country: 'DEU', recognised }],
        };
        expect(parseMessage('jobseeker.profile', message).categories).toHaveLength(3);
      }
    }
  });

  it('refuses other recognition states, levels outside CEFR and fields inside a qualification', () => {
    const issues = refusal(() =>
      parseMessage('jobseeker.profile', {
        ...profile,
        languageLevel: 'B3',
        qualifications: [
          { title: 'Abitur', country: 'DEU', recognised: 'yes' },
          { title: 'BSc', country: 'IRN', recognised: false, grade: '1,3' },
        ],
      }),
    );
    expect(issues).toEqual([
      { path: '/payload/qualifications/0/recognised', message: 'true, false or "pending"' },
      { path: '/payload/qualifications/1/grade', message: 'unknown field' },
      { path: '/payload/languageLevel', message: expect.any(String) as string },
    ]);
  });

  it('refuses more than 30 qualifications', () => {
    const many = Array.from({ length: 31 }, () => profile.qualifications[0]);
    expect(
      refusal(() => parseMessage('jobseeker.profile', { ...profile, qualifications: many })),
    ).toEqual([{ path: '/payload/qualifications', message: expect.any(String) as string }]);
  });
});

describe('integration_plan.summary', () => {
  it('carries employment history only', () => {
    const parsed = parseMessage('integration_plan.summary', {
      plan: { kind: 'eingliederungsvereinbarung', agreedOn: '2022-05-01' },
      goals: ['Ausbildung als Pflegefachkraft'],
      measures: [],
    });
    expect(parsed.categories).toEqual(['employment_history']);
  });

  it('refuses a plan without goals', () => {
    expect(
      refusal(() =>
        parseMessage('integration_plan.summary', {
          plan: { kind: 'kooperationsplan', agreedOn: '2026-09-15' },
          goals: [],
          measures: [],
        }),
      ).map((issue) => issue.path),
    ).toEqual(['/payload/goals']);
  });
});

describe('placement.offer', () => {
  it('carries employment history and employment permission', () => {
    const parsed = parseMessage('placement.offer', {
      offer: {
        employer: 'Beispiel Pflege gGmbH',
        occupation: 'Pflegehilfskraft',
        employmentForm: 'part_time',
        startDate: '2027-02-01',
        fixedTermUntil: '2028-01-31',
        weeklyHours: 19.5,
      },
      employmentPermission: { permissionRequired: false },
    });
    expect(parsed.categories).toEqual(['employment_permission', 'employment_history']);
  });

  it('refuses an offer of more than 48 hours a week', () => {
    expect(
      refusal(() =>
        parseMessage('placement.offer', {
          offer: {
            employer: 'X',
            occupation: 'Y',
            employmentForm: 'full_time',
            startDate: '2027-02-01',
            weeklyHours: 60,
          },
          employmentPermission: { permissionRequired: true },
        }),
      ).map((issue) => issue.path),
    ).toEqual(['/payload/offer/weeklyHours']);
  });
});
