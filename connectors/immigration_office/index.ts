import { z } from 'zod';
import {
  defineMessageType,
  germanAddress,
  isoDate,
  languageCode,
  countryCode,
  line,
  prose,
} from '../define.ts';
import type { Connector } from '../types.ts';

/**
 * Kinds of residence document an Ausländerbehörde issues or records. Ids are lower-case German
 * terms, since they name German legal instruments that have no exact English equivalent.
 */
export const RESIDENCE_TITLE_KINDS = [
  /** Permission to stay during the asylum procedure (§ 55 AsylG). */
  'aufenthaltsgestattung',
  /** Temporary suspension of deportation (§ 60a AufenthG); not a residence title. */
  'duldung',
  /** Temporary residence permit (§ 7 AufenthG), e.g. § 25 or § 24 (temporary protection). */
  'aufenthaltserlaubnis',
  /** Permanent settlement permit (§ 9 AufenthG). */
  'niederlassungserlaubnis',
  /** EU long-term residence (§ 9a AufenthG). */
  'erlaubnis_zum_daueraufenthalt_eu',
  /** EU Blue Card (§ 18g AufenthG). */
  'blaue_karte_eu',
  /** Certificate that a title applied for counts as granted meanwhile (§ 81 Abs. 3–5 AufenthG). */
  'fiktionsbescheinigung',
  /** National visa (§ 6 Abs. 3 AufenthG). */
  'visum',
] as const;

const residenceStatusNotice = defineMessageType({
  id: 'residence_status.notice',
  agencyType: 'immigration_office',
  title: 'Residence status notice',
  description:
    'The current residence document and whether it permits employment, e.g. sent to the ' +
    'Jobcenter when a title is issued, extended or replaced.',
  fields: {
    residenceTitle: {
      category: 'residence_status',
      required: true,
      description: 'The residence document currently held.',
      schema: z.strictObject({
        kind: z.enum(RESIDENCE_TITLE_KINDS),
        legalBasis: line(120).meta({
          description: 'The provision it was issued under, e.g. "§ 60a Abs. 2 AufenthG"',
        }),
        validUntil: isoDate()
          .meta({ description: 'Last day of validity; absent for unlimited titles' })
          .optional(),
      }),
    },
    employmentPermission: {
      category: 'employment_permission',
      required: true,
      description: 'Whether the document permits employment, and under which conditions.',
      schema: z.strictObject({
        allowed: z.boolean(),
        conditions: prose(500)
          .meta({
            description:
              'Conditions as entered in the document, e.g. "Beschäftigung nur mit Erlaubnis ' +
              'der Ausländerbehörde"',
          })
          .optional(),
      }),
    },
    address: {
      category: 'contact',
      required: false,
      description: 'The address the immigration office has on record.',
      schema: germanAddress(),
    },
  },
  example: {
    residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
    employmentPermission: {
      allowed: true,
      conditions: 'Beschäftigung nur mit Erlaubnis der Ausländerbehörde gestattet.',
    },
    address: { street: 'Beispielweg 4', postalCode: '50667', city: 'Köln' },
  },
});

const identitySummary = defineMessageType({
  id: 'identity.summary',
  agencyType: 'immigration_office',
  title: 'Identity summary',
  description:
    'Identity data as established by the immigration office, so other offices need not record ' +
    'it again and spell names the same way.',
  fields: {
    familyName: {
      category: 'identity',
      required: true,
      description: 'Family name as in the residence document.',
      schema: line(120),
    },
    givenNames: {
      category: 'identity',
      required: false,
      description:
        'Given names as in the residence document; absent when the person has none recorded.',
      schema: line(120),
    },
    birthDate: {
      category: 'identity',
      required: true,
      description: 'Date of birth as recorded in the residence document.',
      schema: isoDate(),
    },
    nationalities: {
      category: 'identity',
      required: true,
      description:
        'Nationalities as ISO 3166-1 alpha-3 codes; "XXA" stateless, "XXX" unclear, as in ICAO 9303.',
      schema: z.array(countryCode()).min(1).max(5),
    },
    languagesSpoken: {
      category: 'language_skills',
      required: false,
      description: 'Languages the person speaks (ISO 639), the preferred one first.',
      schema: z.array(languageCode()).min(1).max(10),
    },
  },
  example: {
    familyName: 'Haddad',
    givenNames: 'Lina Maryam',
    birthDate: '1994-07-12',
    nationalities: ['SYR'],
    languagesSpoken: ['ar', 'ku'],
  },
});

/** Grounds on which a person may or must attend an integration course. */
export const INTEGRATION_COURSE_GROUNDS = [
  /** Entitled to attend (§ 44 Abs. 1 AufenthG). */
  'entitlement',
  /** Admitted within available places without an entitlement (§ 44 Abs. 4 AufenthG). */
  'admission',
  /** Obliged to attend (§ 44a AufenthG). */
  'obligation',
] as const;

/** Kinds of integration course (Integrationskursverordnung). */
export const INTEGRATION_COURSE_TYPES = [
  'general',
  'literacy',
  'second_script',
  'youth',
  'parents_and_women',
  'intensive',
  'special_needs',
] as const;

const integrationCourseEntitlement = defineMessageType({
  id: 'integration_course.entitlement',
  agencyType: 'immigration_office',
  title: 'Integration course entitlement',
  description:
    'That the person is entitled, admitted or obliged to attend an integration course, and ' +
    'which kind of course fits, e.g. sent to the Jobcenter so it can plan around the course.',
  fields: {
    grounds: {
      // The entitlement or obligation follows from the residence title (§§ 44, 44a AufenthG).
      category: 'residence_status',
      required: true,
      description: 'Why the person may or must attend, and from when to when.',
      schema: z.strictObject({
        kind: z.enum(INTEGRATION_COURSE_GROUNDS),
        legalBasis: line(120).meta({
          description: 'The provision, e.g. "§ 44 Abs. 1 Satz 1 Nr. 1 AufenthG"',
        }),
        issuedOn: isoDate(),
        expiresOn: isoDate()
          .meta({
            description: 'When an entitlement lapses if not used (§ 44 Abs. 2 AufenthG)',
          })
          .optional(),
      }),
    },
    course: {
      // The course type is chosen by the person's literacy and language level.
      category: 'language_skills',
      required: true,
      description: 'The kind of course and its length, as established for the person.',
      schema: z.strictObject({
        type: z.enum(INTEGRATION_COURSE_TYPES),
        teachingUnits: z
          .int()
          .min(100)
          .max(1500)
          .meta({ description: 'Teaching units of 45 minutes, e.g. 700 for a general course' })
          .optional(),
      }),
    },
  },
  example: {
    grounds: {
      kind: 'obligation',
      legalBasis: '§ 44a Abs. 1 Satz 1 Nr. 1 AufenthG',
      issuedOn: '2026-10-01',
    },
    course: { type: 'literacy', teachingUnits: 1000 },
  },
});

/** The immigration office's (Ausländerbehörde) messages. */
export const immigrationOfficeConnector: Connector = {
  agencyType: 'immigration_office',
  messageTypes: [residenceStatusNotice, identitySummary, integrationCourseEntitlement],
};
