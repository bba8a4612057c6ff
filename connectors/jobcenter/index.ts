import { z } from 'zod';
import { cefrLevel, countryCode, defineMessageType, isoDate, line, prose } from '../define.ts';
import type { Connector } from '../types.ts';

const jobseekerProfile = defineMessageType({
  id: 'jobseeker.profile',
  agencyType: 'jobcenter',
  title: 'Jobseeker profile',
  description:
    "The person's qualifications, German level and registration as a jobseeker, e.g. sent to " +
    'the immigration office for a decision on employment or to the social office.',
  fields: {
    qualifications: {
      category: 'qualifications',
      required: true,
      description: 'School, vocational and academic qualifications; empty if none.',
      schema: z
        .array(
          z.strictObject({
            title: line(200).meta({
              description:
                'As the person or the certificate names it, e.g. "Bachelor of Civil Engineering"',
            }),
            country: countryCode().meta({
              description: 'Where it was obtained (ISO 3166-1 alpha-3)',
            }),
            recognised: z
              .union([z.boolean(), z.literal('pending')], {
                error: 'true, false or "pending"',
              })
              .meta({
                description:
                  'Recognised as equivalent in Germany (BQFG or the Länder laws); "pending" while the procedure runs',
              }),
          }),
        )
        .max(30),
    },
    languageLevel: {
      category: 'language_skills',
      required: true,
      description: 'German level (CEFR) as last certified or assessed.',
      schema: cefrLevel(),
    },
    registeredSince: {
      category: 'employment_history',
      required: true,
      description: 'Since when the person is registered with the Jobcenter.',
      schema: isoDate(),
    },
  },
  example: {
    qualifications: [
      { title: 'Bachelor of Civil Engineering', country: 'SYR', recognised: 'pending' },
      { title: 'Secondary school certificate', country: 'SYR', recognised: true },
    ],
    languageLevel: 'B1',
    registeredSince: '2025-02-01',
  },
});

/** The kind of agreement the integration plan is. */
export const INTEGRATION_PLAN_KINDS = [
  /** Cooperation plan (§ 15 SGB II since 2023). */
  'kooperationsplan',
  /** Integration agreement (§ 15 SGB II before 2023; § 37 SGB III). */
  'eingliederungsvereinbarung',
] as const;

/** Kinds of measure a plan agrees on. */
export const INTEGRATION_MEASURE_TYPES = [
  'integration_course',
  'vocational_language_course',
  'recognition_counselling',
  'vocational_training',
  'further_training',
  'job_application_coaching',
  'work_trial',
  'placement_support',
  'other',
] as const;

const integrationPlanSummary = defineMessageType({
  id: 'integration_plan.summary',
  agencyType: 'jobcenter',
  title: 'Integration plan summary',
  description:
    'The goals and measures agreed with the person in the cooperation plan, e.g. sent to the ' +
    'immigration office or the social office so their case work fits the plan.',
  fields: {
    plan: {
      category: 'employment_history',
      required: true,
      description: 'Which agreement, when it was made and when it is reviewed.',
      schema: z.strictObject({
        kind: z.enum(INTEGRATION_PLAN_KINDS),
        agreedOn: isoDate(),
        reviewBy: isoDate().meta({ description: 'When the plan is next reviewed' }).optional(),
      }),
    },
    goals: {
      category: 'employment_history',
      required: true,
      description: 'The goals agreed, in the words of the plan.',
      schema: z.array(prose(500)).min(1).max(10),
    },
    measures: {
      category: 'employment_history',
      required: true,
      description: 'Measures agreed to reach the goals; empty if none yet.',
      schema: z
        .array(
          z.strictObject({
            type: z.enum(INTEGRATION_MEASURE_TYPES),
            description: prose(500).optional(),
            startDate: isoDate().optional(),
            endDate: isoDate().optional(),
          }),
        )
        .max(20),
    },
  },
  example: {
    plan: { kind: 'kooperationsplan', agreedOn: '2026-09-15', reviewBy: '2027-03-15' },
    goals: ['Employment as a site engineer', 'German at level B2 for the profession'],
    measures: [
      { type: 'vocational_language_course', startDate: '2026-11-02', endDate: '2027-04-30' },
      { type: 'recognition_counselling', description: 'IQ Netzwerk NRW, Köln' },
    ],
  },
});

/** Forms of employment a placement offer can be for. */
export const EMPLOYMENT_FORMS = [
  'full_time',
  'part_time',
  'apprenticeship',
  'marginal',
  'temporary_agency',
] as const;

const placementOffer = defineMessageType({
  id: 'placement.offer',
  agencyType: 'jobcenter',
  title: 'Placement offer',
  description:
    'A concrete job offer for the person, e.g. sent to the immigration office when the ' +
    'employment needs its permission, so the decision can be taken before the start date.',
  fields: {
    offer: {
      category: 'employment_history',
      required: true,
      description: 'The position offered.',
      schema: z.strictObject({
        employer: line(200),
        occupation: line(200).meta({ description: 'Job title, e.g. "Bauzeichner (m/w/d)"' }),
        employmentForm: z.enum(EMPLOYMENT_FORMS),
        workplaceCity: line(80).optional(),
        startDate: isoDate(),
        fixedTermUntil: isoDate()
          .meta({ description: 'Last day of a fixed-term contract; absent when open-ended' })
          .optional(),
        weeklyHours: z.number().min(1).max(48).optional(),
      }),
    },
    employmentPermission: {
      category: 'employment_permission',
      required: true,
      description:
        "Whether the employment needs the immigration office's permission, and on what basis.",
      schema: z.strictObject({
        permissionRequired: z.boolean(),
        legalBasis: line(120)
          .meta({
            description: 'The provision the permission is asked under, e.g. "§ 4a Abs. 2 AufenthG"',
          })
          .optional(),
      }),
    },
  },
  example: {
    offer: {
      employer: 'Beispiel Bau GmbH',
      occupation: 'Bauzeichner (m/w/d)',
      employmentForm: 'full_time',
      workplaceCity: 'Köln',
      startDate: '2027-01-04',
      weeklyHours: 39,
    },
    employmentPermission: { permissionRequired: true, legalBasis: '§ 4a Abs. 2 AufenthG' },
  },
});

/** The Jobcenter's messages. */
export const jobcenterConnector: Connector = {
  agencyType: 'jobcenter',
  messageTypes: [jobseekerProfile, integrationPlanSummary, placementOffer],
};
