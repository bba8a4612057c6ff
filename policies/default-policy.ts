import type { z } from 'zod';
import type { PolicySetInput } from './policy.ts';

/**
 * The default policy set for the programme "Einwanderung gestalten NRW": the flows between the
 * immigration office, the Jobcenter and the social office that labour-market integration, benefit
 * decisions and residence procedures need, and nothing more. Consent is the legal basis of every
 * flow (GDPR Art. 6(1)(a)); the reason names the duty or decision the data serves. A municipality
 * replaces it with its own file (GATEWAY_POLICY_FILE), reviewed by its data-protection officer.
 * Version 2026-11-25.2 added assurance floors (health: `substantial`).
 */
export const DEFAULT_POLICY: z.input<typeof PolicySetInput> = {
  version: '2026-11-25.2',
  rules: [
    {
      id: 'lmi.abh-to-jc',
      purpose: 'labour_market_integration',
      from: ['immigration_office'],
      to: ['jobcenter'],
      categories: ['identity', 'contact', 'residence_status', 'employment_permission'],
      legalBasis: 'GDPR Art. 6(1)(a); placement under § 16 SGB II, permission under § 4a AufenthG',
      retentionDays: 365,
      reason:
        'The core flow of the programme: the Jobcenter can only place a person in work or training ' +
        'when it knows the residence title and whether and how the person may work.',
    },
    {
      id: 'lmi.jc-to-abh',
      purpose: 'labour_market_integration',
      from: ['jobcenter'],
      to: ['immigration_office'],
      categories: ['employment_history'],
      legalBasis: 'GDPR Art. 6(1)(a); employment-related permissions under § 39 AufenthG',
      retentionDays: 365,
      reason:
        'A job offer or training place may need the immigration office to grant or widen an ' +
        'employment permission; it needs to know what the Jobcenter arranged.',
    },
    {
      id: 'rp.jc-to-abh',
      purpose: 'residence_procedure',
      from: ['jobcenter'],
      to: ['immigration_office'],
      categories: ['qualifications', 'language_skills', 'employment_history'],
      legalBasis: 'GDPR Art. 6(1)(a); integration achievements under §§ 25a, 25b, 60d AufenthG',
      retentionDays: 730,
      reason:
        'Qualifications, language skills and work count in residence decisions (e.g. § 25b ' +
        'AufenthG, Beschäftigungsduldung § 60d); the person gains from the office knowing them.',
    },
    {
      id: 'rp.so-to-abh',
      purpose: 'residence_procedure',
      from: ['social_office'],
      to: ['immigration_office'],
      categories: ['benefits', 'household'],
      legalBasis: 'GDPR Art. 6(1)(a); securing livelihood under § 5(1) no. 1 AufenthG',
      retentionDays: 730,
      reason:
        'Whether the livelihood is secured decides many residence titles; the social office ' +
        'can confirm which benefits the household receives.',
    },
    {
      id: 'be.abh-to-so',
      purpose: 'benefit_eligibility',
      from: ['immigration_office'],
      to: ['social_office'],
      categories: ['identity', 'residence_status'],
      legalBasis: 'GDPR Art. 6(1)(a); entitlement under § 1 AsylbLG, § 23 SGB XII',
      retentionDays: 365,
      reason:
        'Whether AsylbLG or SGB XII applies depends on the residence title; the social office ' +
        'needs it to decide quickly and correctly.',
    },
    {
      id: 'be.abh-to-jc',
      purpose: 'benefit_eligibility',
      from: ['immigration_office'],
      to: ['jobcenter'],
      categories: ['identity', 'residence_status', 'employment_permission'],
      legalBasis: 'GDPR Art. 6(1)(a); eligibility under § 7 SGB II',
      retentionDays: 365,
      reason:
        'SGB II eligibility depends on the residence title and access to the labour market; ' +
        'it moves people from AsylbLG to the Jobcenter without gaps.',
    },
    {
      id: 'be.so-to-jc',
      purpose: 'benefit_eligibility',
      from: ['social_office'],
      to: ['jobcenter'],
      categories: ['benefits', 'household', 'housing'],
      legalBasis: 'GDPR Art. 6(1)(a); change of responsible authority, § 7 SGB II, § 44a SGB II',
      retentionDays: 365,
      reason:
        'When a person moves from the social office to the Jobcenter, prior benefits, household ' +
        'and housing avoid asking the person everything again.',
    },
    {
      id: 'lca.abh-to-jc',
      purpose: 'language_course_allocation',
      from: ['immigration_office'],
      to: ['jobcenter'],
      categories: ['residence_status', 'language_skills'],
      legalBasis: 'GDPR Art. 6(1)(a); integration course entitlement § 44 AufenthG',
      retentionDays: 365,
      reason:
        'The Jobcenter can only book the right language course when it knows the entitlement ' +
        'to an integration course and the level reached.',
    },
    {
      id: 'lca.jc-to-abh',
      purpose: 'language_course_allocation',
      from: ['jobcenter'],
      to: ['immigration_office'],
      categories: ['language_skills'],
      legalBasis: 'GDPR Art. 6(1)(a); course obligation § 44a AufenthG',
      retentionDays: 365,
      reason:
        'Language levels the Jobcenter recorded spare the person a second placement test for ' +
        'the integration course.',
    },
    {
      id: 'cm.so-to-jc',
      purpose: 'case_management',
      from: ['social_office'],
      to: ['jobcenter'],
      categories: ['contact', 'household', 'housing', 'health'],
      legalBasis: 'GDPR Art. 6(1)(a) and Art. 9(2)(a); joint case management § 16a SGB II',
      retentionDays: 180,
      specialCategories: true,
      // Consent to health data needs written or electronic form (§ 67b(2) SGB X): an eID sign-in.
      categoryAssurance: { health: 'substantial' },
      reason:
        'In joint case management, health limits that affect which work or measure is suitable ' +
        'may be shared — only with explicit consent, and kept for six months at most.',
    },
    {
      id: 'cm.jc-to-so',
      purpose: 'case_management',
      from: ['jobcenter'],
      to: ['social_office'],
      categories: ['contact', 'household', 'employment_history'],
      legalBasis: 'GDPR Art. 6(1)(a); joint case management § 16a SGB II, § 11 SGB XII',
      retentionDays: 180,
      reason:
        'The social office coordinates support in the household; it needs the Jobcenter’s view.',
    },
    {
      id: 'cm.abh-to-so-jc',
      purpose: 'case_management',
      from: ['immigration_office'],
      to: ['social_office', 'jobcenter'],
      categories: ['identity', 'contact', 'residence_status'],
      legalBasis: 'GDPR Art. 6(1)(a); coordination in the municipal integration management',
      retentionDays: 180,
      reason:
        'Case managers in the integration management need the current residence status to plan ' +
        'the next steps with the person.',
    },
  ],
};
