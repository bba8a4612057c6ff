import type { LanguageLabels } from './labels.ts';

/** German: Einfache Sprache, long compounds split with a hyphen, the person addressed as "Sie". */
export const de = {
  purpose: {
    labour_market_integration: {
      name: 'Arbeit oder Ausbildung finden',
      description: 'Die Ämter helfen Ihnen gemeinsam, eine Arbeit oder eine Ausbildung zu finden.',
    },
    benefit_eligibility: {
      name: 'Prüfen, ob Sie Leistungen bekommen',
      description:
        'Das Amt prüft, ob Sie Geld oder andere Hilfe vom Staat bekommen können, zum Beispiel Bürgergeld oder Sozial-Hilfe.',
    },
    residence_procedure: {
      name: 'Entscheidung über Ihren Aufenthalt',
      description:
        'Die Ausländer-Behörde entscheidet über Ihren Aufenthalt in Deutschland, zum Beispiel über eine Aufenthalts-Erlaubnis.',
    },
    language_course_allocation: {
      name: 'Platz in einem Deutsch-Kurs',
      description:
        'Die Ämter suchen für Sie einen passenden Deutsch-Kurs, zum Beispiel einen Integrations-Kurs.',
    },
    case_management: {
      name: 'Persönliche Begleitung (Case Management)',
      description:
        'Eine Fall-Managerin oder ein Fall-Manager plant mit Ihnen die nächsten Schritte und spricht darüber mit den anderen Ämtern.',
    },
  },
  category: {
    identity: {
      name: 'Angaben zu Ihrer Person',
      description: 'Ihr Name, Ihr Geburts-Datum und Ihre Staats-Angehörigkeit.',
    },
    contact: {
      name: 'Kontakt-Daten',
      description: 'Ihre Adresse, Ihre Telefon-Nummer und Ihre E-Mail-Adresse.',
    },
    residence_status: {
      name: 'Aufenthalts-Status',
      description: 'Ihr Aufenthalts-Status (zum Beispiel Duldung oder Aufenthalts-Erlaubnis).',
    },
    employment_permission: {
      name: 'Erlaubnis zum Arbeiten',
      description: 'Ob Sie in Deutschland arbeiten dürfen und unter welchen Bedingungen.',
    },
    qualifications: {
      name: 'Abschlüsse und Ausbildung',
      description:
        'Ihre Schul-Abschlüsse, Ihre Ausbildung und Ihr Studium, auch aus Ihrem Herkunfts-Land.',
    },
    language_skills: {
      name: 'Sprach-Kenntnisse',
      description: 'Wie gut Sie Deutsch und andere Sprachen können (zum Beispiel Niveau B1).',
    },
    employment_history: {
      name: 'Bisherige Arbeit',
      description: 'Wo Sie schon gearbeitet haben und seit wann Sie Arbeit suchen.',
    },
    benefits: {
      name: 'Leistungen vom Amt',
      description: 'Welches Geld oder welche Hilfe Sie vom Amt bekommen und seit wann.',
    },
    household: {
      name: 'Haushalt',
      description: 'Wer mit Ihnen in einer Wohnung lebt, zum Beispiel Ihre Familie.',
    },
    housing: {
      name: 'Wohnen',
      description:
        'Wo und wie Sie wohnen, zum Beispiel in einer eigenen Wohnung oder in einer Unterkunft.',
    },
    health: {
      name: 'Gesundheit',
      description:
        'Angaben zu Ihrer Gesundheit, zum Beispiel eine Krankheit oder eine Behinderung.',
    },
  },
  agencyType: {
    immigration_office: {
      name: 'Ausländer-Behörde',
      description: 'Das Amt, das über Ihren Aufenthalt in Deutschland entscheidet.',
    },
    jobcenter: {
      name: 'Jobcenter',
      description: 'Das Amt, das Ihnen hilft, Arbeit zu finden, und Bürgergeld zahlt.',
    },
    social_office: {
      name: 'Sozial-Amt',
      description:
        'Das Amt, das Ihnen Geld zum Leben und andere Hilfe gibt, zum Beispiel Sozial-Hilfe oder Leistungen für Asyl-Bewerber.',
    },
  },
} satisfies LanguageLabels;
