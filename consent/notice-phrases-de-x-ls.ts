import { four } from './notice-dates.ts';
import type { NoticePhrases } from './notice-phrases.ts';

const MONTHS = [
  'Januar',
  'Februar',
  'März',
  'April',
  'Mai',
  'Juni',
  'Juli',
  'August',
  'September',
  'Oktober',
  'November',
  'Dezember',
] as const;

/** 365 days and its multiples also in years, which a person can picture; other counts stay days. */
function atMost(days: number): string {
  const count = `höchstens ${String(days)} ${days === 1 ? 'Tag' : 'Tage'}`;
  if (days < 365 || days % 365 !== 0) return count;
  const years = days / 365;
  const inYears =
    years === 1 ? 'das ist ungefähr 1 Jahr' : `das sind ungefähr ${String(years)} Jahre`;
  return `${count}, ${inYears}`;
}

/**
 * German in Leichte Sprache (DIN SPEC 33429): one statement per sentence and one sentence per
 * line (the portal keeps the line breaks), everyday words, hard words explained where they first
 * come, no abbreviations, compounds split with a Mediopunkt, the person addressed as "Sie". It says
 * everything the German reference says (Art. 7 and 13 GDPR), in more and shorter sentences. The
 * legal basis keeps one line each, as every language does, so it may hold two sentences.
 */
export const deXLs: NoticePhrases = {
  title: 'Einwilligung: Dürfen die Ämter Ihre Daten austauschen?',
  parties: {
    heading: 'Wer gibt Ihre Daten an wen?',
    intro: [
      'Die Ämter möchten Daten über Sie austauschen.',
      'Daten sind Angaben über Sie.',
      'Zum Beispiel: Ihr Name oder Ihre Adresse.',
      'Für den Austausch brauchen die Ämter Ihre Einwilligung.',
      'Einwilligung heißt: Sie sagen Ja.',
      'Sie erlauben den Ämtern dann den Austausch.',
    ].join('\n'),
    senders: 'Diese Ämter geben Ihre Daten weiter:',
    recipients: 'Diese Ämter bekommen Ihre Daten:',
  },
  data: { heading: 'Welche Daten?', intro: 'Es geht nur um diese Daten:' },
  special: {
    heading: 'Daten über Ihre Gesundheit',
    body: [
      'Es geht auch um Daten über Ihre Gesundheit.',
      'Diese Daten sind besonders geschützt.',
      'Für diese Daten brauchen die Ämter ein ausdrückliches Ja von Ihnen.',
      'Ausdrücklich heißt: Sie sagen klar Ja zu diesen Daten.',
      'Mit Ihrer Einwilligung sagen Sie klar Ja.',
    ].join('\n'),
  },
  purpose: { heading: 'Wofür?', intro: 'Die Ämter benutzen Ihre Daten nur dafür:' },
  duration: {
    heading: 'Wie lange gilt Ihre Einwilligung?',
    body: (date) =>
      [
        `Ihre Einwilligung gilt bis zum ${date}.`,
        'Dann endet Ihre Einwilligung von selbst.',
        'Sie müssen dafür nichts tun.',
      ].join('\n'),
  },
  retention: {
    heading: 'Wie lange dürfen die Ämter Ihre Daten behalten?',
    intro: [
      'Jedes Amt darf Ihre Daten nur für eine bestimmte Zeit behalten.',
      'Die Zeit fängt an, wenn das Amt die Daten bekommt.',
      'Nach der Zeit muss das Amt die Daten löschen.',
      'Löschen heißt: Das Amt macht die Daten weg.',
      'So lange darf jedes Amt die Daten behalten:',
    ].join('\n'),
    atMost,
  },
  voluntary: {
    heading: 'Sie entscheiden selbst',
    body: [
      'Die Einwilligung ist freiwillig.',
      'Freiwillig heißt: Sie entscheiden selbst.',
      'Sie können Ja sagen.',
      'Sie können auch Nein sagen.',
      'Ein Nein hat keine Nachteile für Sie.',
      'Nachteil heißt: etwas Schlechtes.',
      'Ihr Antrag wird durch ein Nein nicht schlechter.',
      'Sie haben ein Recht auf Geld oder Hilfe?',
      'Dann bekommen Sie das Geld oder die Hilfe auch nach einem Nein.',
      'Die Ämter fragen Sie dann selbst nach den Papieren für Ihren Antrag.',
    ].join('\n'),
  },
  withdrawal: {
    heading: 'Einwilligung zurücknehmen',
    intro: [
      'Sie können Ihre Einwilligung jederzeit zurücknehmen.',
      'Jederzeit heißt: Das geht immer, auch morgen oder in 1 Jahr.',
      'Das Zurücknehmen hat auch einen eigenen Namen: Widerruf.',
      'Es gibt diese Wege:',
    ].join('\n'),
    methods: {
      'portal-withdrawal-code': [
        '- Im Portal mit Ihrem Widerrufs·code.',
        '  Das Portal ist eine Seite im Internet.',
        '  Den Widerrufs·code bekommen Sie nach Ihrem Ja.',
        '  Nur Sie bekommen diesen Code.',
      ].join('\n'),
      'portal-eid': [
        '- Im Portal mit Ihrem Ausweis.',
        '  Ihr Ausweis muss dafür im Internet funktionieren.',
        '  Der Name dafür ist: Online·ausweis.',
      ].join('\n'),
      office: [
        '- Bei einem von den Ämtern oben.',
        '  Sagen Sie dort: Ich nehme meine Einwilligung zurück.',
        '  Das Amt schreibt das auf.',
      ].join('\n'),
    },
    effect: [
      'Das Zurücknehmen gilt sofort.',
      'Dann geben die Ämter Ihre Daten nicht mehr weiter.',
      'Das gilt auch für Nachrichten auf dem Weg zu einem Amt.',
      'Aber: Der Austausch vor dem Zurücknehmen bleibt erlaubt.',
    ].join('\n'),
  },
  controllers: {
    heading: 'Wer ist verantwortlich?',
    intro: [
      'Jedes Amt ist selbst für Ihre Daten verantwortlich.',
      'Sie haben Fragen zum Daten·schutz?',
      'Dann fragen Sie die Person für Daten·schutz in dem Amt.',
      'Diese Person heißt: Daten·schutz·beauftragte.',
    ].join('\n'),
    address: 'Adresse',
    dpo: 'Daten·schutz·beauftragte',
    noAddress: 'steht hier nicht. Bitte fragen Sie das Amt.',
    noDpo: 'über die Adresse von dem Amt',
  },
  complaint: {
    heading: 'Beschwerde',
    intro: [
      'Sie denken: Ein Amt geht nicht richtig mit Ihren Daten um?',
      'Dann können Sie sich beschweren.',
      'Beschweren heißt: Sie sagen, was nicht gut war.',
      'Dafür gibt es ein eigenes Amt: die Daten·schutz·aufsicht.',
      'Die Daten·schutz·aufsicht prüft die Ämter.',
      'Die Beschwerde kostet nichts.',
      'Hier können Sie sich beschweren:',
    ].join('\n'),
    email: 'E-Mail',
    web: 'Internet',
  },
  legalBasis: {
    heading: 'Welches Gesetz erlaubt den Austausch?',
    consent:
      'Das Gesetz für den Daten·schutz in Europa: Daten·schutz·grund·verordnung, Artikel 6, Absatz 1, Buchstabe a. Der Austausch ist nur mit Ihrer Einwilligung erlaubt.',
    special:
      'Für Daten über Ihre Gesundheit gilt auch: Daten·schutz·grund·verordnung, Artikel 9, Absatz 2, Buchstabe a. Dafür brauchen die Ämter Ihr ausdrückliches Ja.',
  },
  date: ({ year, month, day }) => `${String(day)}. ${MONTHS[month - 1] ?? ''} ${four(year)}`,
};
