import { z } from 'zod';
import { defineMessageType, householdSize, isoDate, line } from '../define.ts';
import type { Connector } from '../types.ts';

/** The benefit schemes a social office (Sozialamt) pays under. */
export const BENEFIT_TYPES = [
  /** Basic benefits under the Asylum Seekers' Benefits Act (§§ 3, 3a AsylbLG). */
  'AsylbLG',
  /** Benefits analogous to SGB XII after 36 months (§ 2 AsylbLG). */
  'AsylbLG_analog',
  /** Social assistance (SGB XII), e.g. basic income in old age or reduced earning capacity. */
  'SGB_XII',
  /** No benefits: with `since`, the day benefits ended. */
  'none',
] as const;

const benefitStatus = defineMessageType({
  id: 'benefit.status',
  agencyType: 'social_office',
  title: 'Benefit status',
  description:
    'Which benefits the social office pays the person and since when, e.g. sent to the Jobcenter ' +
    'when responsibility moves to it after recognition (change of legal sphere, Rechtskreiswechsel).',
  fields: {
    benefitType: {
      category: 'benefits',
      required: true,
      description: 'The benefit scheme; "none" when no benefits are paid.',
      schema: z.enum(BENEFIT_TYPES),
    },
    since: {
      category: 'benefits',
      required: true,
      description: 'Since when the benefit type applies (for "none": since when nothing is paid).',
      schema: isoDate(),
    },
    householdSize: {
      category: 'household',
      required: false,
      description: 'People in the household the benefits are calculated for.',
      schema: householdSize(),
    },
  },
  example: { benefitType: 'AsylbLG', since: '2025-06-01', householdSize: 3 },
});

/** Kinds of accommodation. */
export const ACCOMMODATION_TYPES = [
  /** State reception facility (in NRW: EAE/ZUE). */
  'reception_centre',
  /** Municipal shared accommodation (Gemeinschaftsunterkunft). */
  'shared_accommodation',
  /** Flat rented or provided by the municipality for the household alone. */
  'own_flat',
  'shared_flat',
  'with_relatives_or_friends',
  /** Emergency accommodation for homeless people (Obdachlosenunterkunft). */
  'emergency_shelter',
  'other',
] as const;

const housingSituation = defineMessageType({
  id: 'housing.situation',
  agencyType: 'social_office',
  title: 'Housing situation',
  description:
    'Where and how the person lives, e.g. sent to the Jobcenter for housing costs or to the ' +
    'immigration office when a residence obligation (§ 12a AufenthG) is reviewed.',
  fields: {
    accommodation: {
      category: 'housing',
      required: true,
      description: 'The kind of accommodation and since when.',
      schema: z.strictObject({
        type: z.enum(ACCOMMODATION_TYPES),
        since: isoDate(),
        description: line(200)
          .meta({ description: 'Further detail, e.g. "Übergangsheim, Zimmer mit eigener Küche"' })
          .optional(),
      }),
    },
    lookingForFlat: {
      category: 'housing',
      required: false,
      description: 'Whether the person is looking for a flat of their own.',
      schema: z.boolean(),
    },
    householdSize: {
      category: 'household',
      required: false,
      description: 'People living in the household.',
      schema: householdSize(),
    },
    housingCostsCovered: {
      category: 'benefits',
      required: false,
      description: 'Whether the social office pays the costs of accommodation.',
      schema: z.boolean(),
    },
  },
  example: {
    accommodation: { type: 'shared_accommodation', since: '2025-05-20' },
    lookingForFlat: true,
    householdSize: 3,
  },
});

/** How a person's medical care is covered. */
export const HEALTH_COVERAGE_SCHEMES = [
  /** Care limited to acute illness, pain, pregnancy and what is essential (§§ 4, 6 AsylbLG). */
  'asylblg_limited',
  /** Care as in statutory insurance via a health insurer (§ 2 AsylbLG with § 264 Abs. 2 SGB V). */
  'asylblg_analog',
  /** Member of statutory health insurance. */
  'statutory_insurance',
  'private_insurance',
  'none',
] as const;

const healthCoverageNotice = defineMessageType({
  id: 'health_coverage.notice',
  agencyType: 'social_office',
  title: 'Health coverage notice',
  description:
    "How the person's medical care is covered and whether an electronic health card was issued " +
    '(in NRW municipalities that joined the framework agreement issue one under the AsylbLG ' +
    'too). Health data is a special category (GDPR Art. 9): only with explicit consent.',
  fields: {
    coverage: {
      category: 'health',
      required: true,
      description: 'The coverage scheme, its legal basis and its period.',
      schema: z.strictObject({
        scheme: z.enum(HEALTH_COVERAGE_SCHEMES),
        legalBasis: line(120)
          .meta({ description: 'The provision, e.g. "§§ 4, 6 AsylbLG"' })
          .optional(),
        since: isoDate(),
        until: isoDate().optional(),
      }),
    },
    healthCard: {
      category: 'health',
      required: false,
      description: 'The electronic health card, if one was issued.',
      schema: z.strictObject({
        issued: z.boolean(),
        insurer: line(120)
          .meta({ description: 'The health insurer that issued it, e.g. "AOK Rheinland/Hamburg"' })
          .optional(),
      }),
    },
  },
  example: {
    coverage: { scheme: 'asylblg_limited', legalBasis: '§§ 4, 6 AsylbLG', since: '2025-06-01' },
    healthCard: { issued: true, insurer: 'AOK Rheinland/Hamburg' },
  },
});

/** The social office's (Sozialamt) messages. */
export const socialOfficeConnector: Connector = {
  agencyType: 'social_office',
  messageTypes: [benefitStatus, housingSituation, healthCoverageNotice],
};
