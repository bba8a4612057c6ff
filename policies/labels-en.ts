import type { LanguageLabels } from './labels.ts';

/** English, in plain words: many readers have it as a second or third language. */
export const en = {
  purpose: {
    labour_market_integration: {
      name: 'Finding work or training',
      description: 'The offices work together to help you find a job or vocational training.',
    },
    benefit_eligibility: {
      name: 'Checking your right to benefits',
      description:
        "The office checks whether you can receive money or other support from the state, for example citizen's income (Bürgergeld) or social assistance.",
    },
    residence_procedure: {
      name: 'Decision on your residence',
      description:
        'The immigration office decides on your stay in Germany, for example on a residence permit.',
    },
    language_course_allocation: {
      name: 'Place in a German course',
      description:
        'The offices find a suitable German course for you, for example an integration course.',
    },
    case_management: {
      name: 'Personal case management',
      description:
        'A case manager plans the next steps with you and discusses them with the other offices.',
    },
  },
  category: {
    identity: {
      name: 'Personal details',
      description: 'Your name, your date of birth and your nationality.',
    },
    contact: {
      name: 'Contact details',
      description: 'Your address, your phone number and your email address.',
    },
    residence_status: {
      name: 'Residence status',
      description:
        'Your residence status (for example a Duldung, which suspends deportation, or a residence permit).',
    },
    employment_permission: {
      name: 'Permission to work',
      description: 'Whether you are allowed to work in Germany, and under which conditions.',
    },
    qualifications: {
      name: 'Qualifications',
      description:
        'Your school certificates, your vocational training and your studies, also from your home country.',
    },
    language_skills: {
      name: 'Language skills',
      description: 'How well you speak German and other languages (for example level B1).',
    },
    employment_history: {
      name: 'Work history',
      description: 'Where you have worked so far and since when you have been looking for work.',
    },
    benefits: {
      name: 'Benefits',
      description: 'Which money or support you receive from the office, and since when.',
    },
    household: {
      name: 'Household',
      description: 'Who lives with you in your home, for example your family.',
    },
    housing: {
      name: 'Housing',
      description:
        'Where and how you live, for example in your own flat or in shared accommodation.',
    },
    health: {
      name: 'Health',
      description: 'Information about your health, for example an illness or a disability.',
    },
  },
  agencyType: {
    immigration_office: {
      name: 'Immigration office (Ausländerbehörde)',
      description: 'The office that decides on your stay in Germany.',
    },
    jobcenter: {
      name: 'Jobcenter',
      description: "The office that helps you find work and pays citizen's income (Bürgergeld).",
    },
    social_office: {
      name: 'Social welfare office (Sozialamt)',
      description:
        "The office that gives you money to live on and other support, for example social assistance or asylum seekers' benefits.",
    },
  },
} satisfies LanguageLabels;
