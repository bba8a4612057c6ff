import { dotted } from './notice-dates.ts';
import type { NoticePhrases } from './notice-phrases.ts';

/** German, the reference: Einfache Sprache, the person addressed as "Sie". */
export const de: NoticePhrases = {
  title: 'Einwilligung: Dürfen Ämter Ihre Daten austauschen?',
  parties: {
    heading: 'Wer gibt Ihre Daten an wen?',
    intro: 'Die Ämter fragen Sie, ob sie Daten über Sie austauschen dürfen.',
    senders: 'Diese Ämter geben Ihre Daten weiter:',
    recipients: 'Diese Ämter bekommen Ihre Daten:',
  },
  data: { heading: 'Welche Daten?', intro: 'Es geht nur um diese Daten:' },
  special: {
    heading: 'Gesundheits-Daten',
    body: 'Daten über Ihre Gesundheit sind besonders geschützt (Art. 9 DSGVO). Mit Ihrer Einwilligung erlauben Sie ausdrücklich, dass die Ämter auch diese Daten austauschen.',
  },
  purpose: { heading: 'Wofür?', intro: 'Die Ämter nutzen Ihre Daten nur für diesen Zweck:' },
  duration: {
    heading: 'Wie lange?',
    body: (date) => `Ihre Einwilligung gilt bis zum ${date}. Dann endet sie von selbst.`,
  },
  retention: {
    heading: 'Wie lange heben die Ämter Ihre Daten auf?',
    intro:
      'So lange darf jedes Amt Ihre Daten höchstens aufheben, nachdem es sie bekommen hat. Danach muss das Amt die Daten löschen.',
    atMost: (days) => `höchstens ${String(days)} ${days === 1 ? 'Tag' : 'Tage'}`,
  },
  voluntary: {
    heading: 'Freiwillig',
    body: 'Ihre Einwilligung ist freiwillig. Wenn Sie nein sagen, hat das keine Nachteile für Ihren Antrag. Sie bekommen trotzdem alle Leistungen, auf die Sie ein Recht haben. Die Ämter fragen Sie dann selbst nach den Unterlagen, die sie brauchen.',
  },
  withdrawal: {
    heading: 'Einwilligung zurücknehmen',
    intro:
      'Sie können Ihre Einwilligung jederzeit zurücknehmen. Das nennt man Widerruf. Dafür gibt es diese Wege:',
    methods: {
      'portal-withdrawal-code':
        '- Im Portal mit Ihrem Widerrufs-Code. Den Code bekommen Sie, wenn Sie einwilligen. Nur Sie bekommen diesen Code.',
      'portal-eid': '- Im Portal mit Ihrem Ausweis (Online-Ausweis).',
      office:
        '- Bei einem der Ämter oben: Sagen Sie dort, dass Sie die Einwilligung zurücknehmen. Das Amt trägt es ein.',
    },
    effect:
      'Das gilt sofort. Auch Nachrichten, die noch nicht beim Amt angekommen sind, werden dann nicht mehr weitergegeben. Was die Ämter vorher schon ausgetauscht haben, bleibt erlaubt.',
  },
  controllers: {
    heading: 'Wer ist verantwortlich?',
    intro:
      'Jedes Amt ist selbst verantwortlich für Ihre Daten. Haben Sie Fragen zum Datenschutz? Dann fragen Sie die Datenschutz-Beauftragten des Amts.',
    address: 'Adresse',
    dpo: 'Datenschutz-Beauftragte',
    noAddress: 'hier nicht eingetragen. Bitte fragen Sie das Amt.',
    noDpo: 'über die Adresse des Amts',
  },
  complaint: {
    heading: 'Beschwerde',
    intro:
      'Sie denken, ein Amt geht nicht richtig mit Ihren Daten um? Dann können Sie sich beschweren. Zuständig ist die Datenschutz-Aufsicht:',
    email: 'E-Mail',
    web: 'Internet',
  },
  legalBasis: {
    heading: 'Rechts-Grundlage',
    consent: 'Art. 6 Abs. 1 lit. a DSGVO (Einwilligung)',
    special: 'Art. 9 Abs. 2 lit. a DSGVO (ausdrückliche Einwilligung für Gesundheits-Daten)',
  },
  date: dotted,
};
