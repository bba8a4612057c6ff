/**
 * The shared vocabulary of the contract (`../shared/API.md`, Vocabulary): extend, never rename.
 * Plain-language labels in every portal language come with the policies issue.
 */
/** Agency types: the offices that exchange case data. */
export const AGENCY_TYPES = ['immigration_office', 'jobcenter', 'social_office'] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

export const PURPOSES = [
  'labour_market_integration',
  'benefit_eligibility',
  'residence_procedure',
  'language_course_allocation',
  'case_management',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const DATA_CATEGORIES = [
  'identity',
  'contact',
  'residence_status',
  'employment_permission',
  'qualifications',
  'language_skills',
  'employment_history',
  'benefits',
  'household',
  'housing',
  'health',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** Special categories of personal data (GDPR Art. 9): consent must be explicit. */
export const SPECIAL_CATEGORIES: readonly DataCategory[] = ['health'];

/**
 * Languages the portal and receipts speak, in the order the language switch lists them; `ar` and
 * `fa` are written right to left. `de-x-ls` is German in Leichte Sprache (DIN SPEC 33429): a
 * private-use tag, since BCP 47 registers none, so screen readers fall back to German. It follows
 * `de` because it is a way of reading German, not another language.
 */
export const LANGUAGES = ['de', 'de-x-ls', 'en', 'ar', 'uk', 'fa', 'tr'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * How sure the gateway is that an act was the person's own, in eIDAS's levels (Regulation
 * 910/2014, Art. 8), lowest first. Policy rules set floors in these terms; `consent/` re-uses them.
 */
export const ASSURANCE_LEVELS = ['low', 'substantial', 'high'] as const;
export type Assurance = (typeof ASSURANCE_LEVELS)[number];

export const isPurpose = (value: string): value is Purpose =>
  (PURPOSES as readonly string[]).includes(value);
export const isDataCategory = (value: string): value is DataCategory =>
  (DATA_CATEGORIES as readonly string[]).includes(value);
