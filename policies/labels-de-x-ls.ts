import type { LanguageLabels } from './labels.ts';

/**
 * German in Leichte Sprache (DIN SPEC 33429, Netzwerk Leichte Sprache), for people who read German
 * with difficulty. Short everyday words; long compounds split with a Mediopunkt ("Bürger·geld"),
 * which, unlike the hyphen of Einfache Sprache, keeps the spelling of the word on the person's
 * letters recognisable; a hard word is explained where it comes first. No abbreviations, no
 * genitive. Each description stays one sentence, as in the other languages, but says one thing.
 */
export const deXLs = {
  purpose: {
    labour_market_integration: {
      name: 'Arbeit oder Ausbildung finden',
      description:
        'Die Ämter helfen Ihnen zusammen bei der Suche nach Arbeit oder nach einer Ausbildung.',
    },
    benefit_eligibility: {
      name: 'Ihr Recht auf Geld vom Amt prüfen',
      description:
        'Das Amt prüft Ihr Recht auf Geld oder andere Hilfe vom Staat, zum Beispiel auf Bürger·geld oder auf Sozial·hilfe.',
    },
    residence_procedure: {
      name: 'Entscheidung über Ihren Aufenthalt',
      description:
        'Die Ausländer·behörde entscheidet über Ihren Aufenthalt, das heißt: wie lange Sie in Deutschland bleiben dürfen.',
    },
    language_course_allocation: {
      name: 'Platz in einem Deutsch·kurs',
      description:
        'Die Ämter suchen für Sie einen guten Kurs zum Deutsch·lernen, zum Beispiel einen Integrations·kurs.',
    },
    case_management: {
      name: 'Persönliche Begleitung',
      description:
        'Eine feste Person vom Amt plant mit Ihnen die nächsten Schritte und spricht darüber mit den anderen Ämtern.',
    },
  },
  category: {
    identity: {
      name: 'Angaben zu Ihrer Person',
      description:
        'Ihr Name, Ihr Geburts·datum und Ihre Staats·angehörigkeit, das heißt: zu welchem Land Sie gehören.',
    },
    contact: {
      name: 'Kontakt·daten',
      description: 'Ihre Adresse, Ihre Telefon·nummer und Ihre E-Mail-Adresse.',
    },
    residence_status: {
      name: 'Aufenthalts·status',
      description:
        'Welches Papier Sie für Ihren Aufenthalt in Deutschland haben, zum Beispiel eine Duldung oder eine Aufenthalts·erlaubnis.',
    },
    employment_permission: {
      name: 'Erlaubnis zum Arbeiten',
      description: 'Ob Sie in Deutschland arbeiten dürfen und welche Regeln es dafür gibt.',
    },
    qualifications: {
      name: 'Schule und Ausbildung',
      description:
        'Ihre Zeugnisse von der Schule, von der Ausbildung und vom Studium, auch aus Ihrem Heimat·land.',
    },
    language_skills: {
      name: 'Sprachen',
      description:
        'Wie gut Sie Deutsch und andere Sprachen können, zum Beispiel Deutsch auf der Stufe B1.',
    },
    employment_history: {
      name: 'Ihre Arbeit bis jetzt',
      description: 'Wo Sie schon gearbeitet haben und seit wann Sie eine Arbeit suchen.',
    },
    benefits: {
      name: 'Geld und Hilfe vom Amt',
      description: 'Welches Geld und welche Hilfe Sie schon vom Amt bekommen und seit wann.',
    },
    household: {
      name: 'Haushalt',
      description: 'Welche Menschen mit Ihnen in einer Wohnung leben, zum Beispiel Ihre Familie.',
    },
    housing: {
      name: 'Wohnen',
      description:
        'Wo und wie Sie wohnen, zum Beispiel in einer eigenen Wohnung oder in einer Unterkunft mit anderen Menschen.',
    },
    health: {
      name: 'Gesundheit',
      description:
        'Angaben zu Ihrer Gesundheit, zum Beispiel zu einer Krankheit oder zu einer Behinderung.',
    },
  },
  agencyType: {
    immigration_office: {
      name: 'Ausländer·behörde',
      description: 'Dieses Amt entscheidet über Ihren Aufenthalt in Deutschland.',
    },
    jobcenter: {
      name: 'Jobcenter',
      description: 'Dieses Amt hilft Ihnen bei der Suche nach Arbeit und zahlt das Bürger·geld.',
    },
    social_office: {
      name: 'Sozial·amt',
      description:
        'Dieses Amt gibt Ihnen Geld zum Leben und andere Hilfe, zum Beispiel Sozial·hilfe oder Geld für Menschen im Asyl·verfahren.',
    },
  },
} satisfies LanguageLabels;
