/**
 * The page texts of the steering group's view, in German (the offices' language and the default)
 * and English. English must name every key German has: a missing one is a compile error.
 */
const de = {
  'language.name': 'Deutsch',
  'site.name': 'Monitoring – Einwilligungs-Gateway',
  'site.skip': 'Zum Inhalt springen',
  'site.languages': 'Sprache',
  'site.nav': 'Monitoring',
  'site.footer':
    'Nur zusammengefasste Zahlen aus dem Prüfprotokoll: keine Person, kein Vorgang, keine Einwilligung ist einzeln zu sehen.',
  'nav.tenant': 'Unsere Kommune',
  'nav.programme': 'Programm',
  'nav.signOut': 'Abmelden',
  'signIn.title': 'Anmeldung zum Monitoring',
  'signIn.intro':
    'Hier sehen die Lenkungsgruppe und der Datenschutz die Zahlen des Gateways. Zur Anmeldung brauchen Sie das Schlüsselpaar Ihres Zugangs (Art „monitor“ oder „dpo“).',
  'signIn.step1': 'Erzeugen Sie auf Ihrem Rechner einen Anmelde-Token:',
  'signIn.step2':
    'Kopieren Sie die ausgegebene Zeile und fügen Sie sie unten ein. Der Token gilt 2 Minuten und nur einmal.',
  'signIn.token': 'Anmelde-Token',
  'signIn.tokenHint': 'Eine lange Zeile aus drei Teilen, getrennt durch Punkte.',
  'signIn.submit': 'Anmelden',
  'signIn.session': 'Die Anmeldung gilt 8 Stunden auf diesem Gerät, bis Sie sich abmelden.',
  'signIn.signedOut': 'Sie sind abgemeldet.',
  'signIn.needed': 'Bitte melden Sie sich an, um die Zahlen zu sehen.',
  'signIn.ended':
    'Ihre Anmeldung ist beendet: Sie ist abgelaufen, ungültig oder Ihr Zugang wurde widerrufen. Bitte melden Sie sich neu an.',
  'signIn.empty': 'Bitte fügen Sie einen Anmelde-Token ein.',
  'signIn.invalid':
    'Die Anmeldung ist nicht gelungen: Der Token ist ungültig oder abgelaufen. Erzeugen Sie einen neuen und fügen Sie ihn gleich ein.',
  'signIn.revoked':
    'Die Anmeldung ist nicht gelungen: Das Zertifikat dieses Zugangs wurde widerrufen.',
  'signIn.replayed':
    'Die Anmeldung ist nicht gelungen: Dieser Token wurde schon benutzt. Jeder Token gilt nur einmal.',
  'signIn.wrongKind':
    'Dieser Zugang darf das Monitoring nicht sehen: Nur Zugänge der Lenkungsgruppe („monitor“) und des Datenschutzes („dpo“) sind zugelassen.',
  'signIn.throttled':
    'Zu viele fehlgeschlagene Anmeldungen von dieser Adresse. Bitte versuchen Sie es in {minutes} Minuten wieder.',
  'signIn.technical': 'Technische Angabe',
  'form.expired':
    'Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.',
  'error.title': 'Das hat nicht geklappt',
  'error.generic':
    'Die Seite kann gerade nicht angezeigt werden. Bitte versuchen Sie es später noch einmal.',
  'error.period':
    'Diesen Zeitraum gibt es nicht. Ein Zeitraum ist ein Monat (2026-11), ein Quartal (2026-Q4) oder ein Jahr (2026).',
  'error.noProgramme': 'Ihre Kommune nimmt an keinem Programm teil; es gibt keine Programmansicht.',
  'error.notFound': 'Diese Seite gibt es nicht.',
  'error.rateLimited': 'Zu viele Abrufe in kurzer Zeit. Bitte warten Sie {seconds} Sekunden.',
  'error.reference': 'Vorgangsnummer für Rückfragen',
  'error.back': 'Zurück zum Monitoring',
  'tenant.title': 'Monitoring: {name}',
  'tenant.lead':
    'Zahlen für {period}: vom Einwilligungs-Ersuchen über die Entscheidung bis zur Übermittlung und Empfangsbestätigung.',
  'programme.title': 'Programm {programme}: alle Kommunen',
  'programme.lead':
    'Die teilnehmenden Kommunen nebeneinander, eine Zeile je Kommune, für {period}. Jede Zeile sind die Summen aus den eigenen Tabellen der Kommune, geschützt wie dort.',
  'programme.noTotal':
    'Eine Summe über alle Kommunen gibt es absichtlich nicht: Mit ihr ließen sich geheim gehaltene Werte ausrechnen.',
  'programme.link': 'Programmansicht „{programme}“: alle Kommunen nebeneinander',
  'programme.back': 'Zur Ansicht unserer Kommune',
  'programme.municipality': 'Kommune',
  'programme.treeHead': 'Baumkopf',
  'programme.flows': 'Einwilligungen und Übermittlungen je Kommune',
  'programme.refusals': 'Abgelehnte Sendungen nach Grund je Kommune',
  'programme.empty': 'Es nehmen noch keine Kommunen teil.',
  'period.label': 'Zeitraum',
  'period.months': 'Monate',
  'period.quarters': 'Quartale',
  'period.years': 'Jahre',
  'period.show': 'Anzeigen',
  'period.quarter': '{quarter}. Quartal {year}',
  'downloads.title': 'Dieselben Zahlen als Datei',
  'downloads.csv': 'CSV (eine Angabe je Zeile)',
  'downloads.json': 'JSON (wie die Schnittstelle)',
  'about.title': 'Woher die Zahlen kommen',
  'about.treeHead':
    'Berechnet aus dem Prüfprotokoll bis zum Eintrag {size} (Baumkopf mit Wurzel-Hash {hash}, signiert am {at}). Der Datenschutz kann die Zahlen aus einem Export dieses Protokolls nachrechnen.',
  'about.jws': 'Signierter Baumkopf (JWS)',
  'about.withheld': '• heißt: geheim gehalten (Schutz kleiner Fallzahlen).',
  'about.rule': 'Geheimhaltungsregel ({rule})',
  'note.rule': 'Geheimhaltung: {sentence}',
  'note.head': 'Berechnet aus dem Baumkopf mit {size} Einträgen, Wurzel-Hash:',
  'note.heads': 'Berechnet aus den Baumköpfen: {heads}.',
  'note.headItem': '{size} Einträge, Wurzel-Hash {hash}',
  'note.perRow': 'Jede Zeile nennt den Baumkopf, aus dem sie berechnet wurde.',
  'chain.title': 'Von der Anfrage bis zur Empfangsbestätigung',
  'chain.intro':
    'Wie viele Ersuchen zu einer Einwilligung führten, wie viele Übermittlungen folgten und wie viele abgeholt und bestätigt wurden.',
  'chain.chart': 'Balkendiagramm: Kette von der Anfrage bis zur Bestätigung, {period}',
  'chain.table': 'Kette von der Anfrage bis zur Bestätigung, {period}',
  'chain.stage': 'Schritt',
  'chain.count': 'Anzahl',
  'chain.main': 'Hauptkette',
  'chain.side': 'daneben',
  'refusals.title': 'Abgelehnte Sendungen nach Grund im Zeitverlauf',
  'refusals.intro':
    'Sendungen, die das Gateway abgelehnt hat, je Monat. Das Diagramm zeigt alle Ablehnungen und die häufigsten Gründe; alle Gründe stehen in der Tabelle.',
  'refusals.chart': 'Säulendiagramme: abgelehnte Sendungen je Monat und Grund, {from} bis {to}',
  'refusals.table': 'Abgelehnte Sendungen je Monat und Grund, {from} bis {to}',
  'refusals.month': 'Monat',
  'refusals.none': 'In diesen Monaten wurde keine Sendung abgelehnt.',
  'tables.title': 'Tabellen nach Behördenart',
  'tables.intro':
    'Jede Zeile ist ein Paar aus sendender und empfangender Behördenart mit dem Zweck. Die letzte Zeile ist die Summe.',
  'tables.agencies': 'Tabellen nach einzelner Behörde',
  'tables.agenciesIntro':
    'Dieselben Zahlen, aufgeteilt auf die einzelnen Behörden. Kleine Werte sind hier häufiger geheim gehalten.',
  'tables.empty': 'Für diesen Zeitraum gibt es keine Zahlen.',
  'tables.total': 'Summe',
  'tables.scroll': '{caption} (seitlich verschiebbar)',
  'table.consents-by-office-type': 'Einwilligungs-Ersuchen nach Behördenart und Zweck',
  'table.exchanges-by-office-type': 'Übermittlungen nach Behördenart und Zweck',
  'table.refusals-by-office-type': 'Abgelehnte Sendungen nach Behördenart, Zweck und Grund',
  'table.consents-by-agency': 'Einwilligungs-Ersuchen nach Behörde und Zweck',
  'table.exchanges-by-agency': 'Übermittlungen nach Behörde und Zweck',
  'table.refusals-by-agency': 'Abgelehnte Sendungen nach Behörde, Zweck und Grund',
  'key.senderType': 'Von (Behördenart)',
  'key.recipientType': 'An (Behördenart)',
  'key.sender': 'Von (Behörde)',
  'key.recipient': 'An (Behörde)',
  'key.purpose': 'Zweck',
  'value.withheld': 'geheim gehalten',
  'value.fewCases': 'weniger als 5 Fälle',
} as const;

export type MessageKey = keyof typeof de;
export type Catalogue = Readonly<Record<MessageKey, string>>;

const en: Catalogue = {
  'language.name': 'English',
  'site.name': 'Monitoring – Consent Gateway',
  'site.skip': 'Skip to content',
  'site.languages': 'Language',
  'site.nav': 'Monitoring',
  'site.footer':
    'Aggregate figures from the audit log only: no person, case or consent can be seen on its own.',
  'nav.tenant': 'Our municipality',
  'nav.programme': 'Programme',
  'nav.signOut': 'Sign out',
  'signIn.title': 'Sign in to monitoring',
  'signIn.intro':
    "The steering group and the data-protection officer read the gateway's figures here. To sign in you need the key pair of your access (kind “monitor” or “dpo”).",
  'signIn.step1': 'Make a sign-in token on your computer:',
  'signIn.step2':
    'Copy the line it prints and paste it below. The token is valid for 2 minutes and once only.',
  'signIn.token': 'Sign-in token',
  'signIn.tokenHint': 'One long line of three parts separated by dots.',
  'signIn.submit': 'Sign in',
  'signIn.session': 'You stay signed in on this device for 8 hours, until you sign out.',
  'signIn.signedOut': 'You are signed out.',
  'signIn.needed': 'Please sign in to see the figures.',
  'signIn.ended':
    'Your session has ended: it expired, is not valid, or your access was revoked. Please sign in again.',
  'signIn.empty': 'Please paste a sign-in token.',
  'signIn.invalid':
    'Sign-in failed: the token is not valid or has expired. Make a new one and paste it right away.',
  'signIn.revoked': 'Sign-in failed: the certificate of this access has been revoked.',
  'signIn.replayed': 'Sign-in failed: this token was used before. Each token works once only.',
  'signIn.wrongKind':
    'This access may not see monitoring: only steering-group (“monitor”) and data-protection (“dpo”) accesses are allowed.',
  'signIn.throttled':
    'Too many failed sign-ins from this address. Please try again in {minutes} minutes.',
  'signIn.technical': 'Technical detail',
  'form.expired': 'The form has expired. Please reload the page and try again.',
  'error.title': 'That did not work',
  'error.generic': 'The page cannot be shown right now. Please try again later.',
  'error.period':
    'There is no such period. A period is a month (2026-11), a quarter (2026-Q4) or a year (2026).',
  'error.noProgramme': 'Your municipality takes part in no programme; there is no programme view.',
  'error.notFound': 'There is no such page.',
  'error.rateLimited': 'Too many requests in a short time. Please wait {seconds} seconds.',
  'error.reference': 'Reference for enquiries',
  'error.back': 'Back to monitoring',
  'tenant.title': 'Monitoring: {name}',
  'tenant.lead':
    'Figures for {period}: from the consent request through the decision to the exchange and its acknowledgement.',
  'programme.title': 'Programme {programme}: all municipalities',
  'programme.lead':
    "The municipalities taking part side by side, one row each, for {period}. Each row is the totals of the municipality's own tables, protected as there.",
  'programme.noTotal':
    'There is deliberately no total across municipalities: it would let suppressed values be computed.',
  'programme.link': 'Programme view “{programme}”: all municipalities side by side',
  'programme.back': 'To the view of our municipality',
  'programme.municipality': 'Municipality',
  'programme.treeHead': 'Tree head',
  'programme.flows': 'Consents and exchanges per municipality',
  'programme.refusals': 'Refused sends by reason per municipality',
  'programme.empty': 'No municipality takes part yet.',
  'period.label': 'Period',
  'period.months': 'Months',
  'period.quarters': 'Quarters',
  'period.years': 'Years',
  'period.show': 'Show',
  'period.quarter': 'Q{quarter} {year}',
  'downloads.title': 'The same figures as a file',
  'downloads.csv': 'CSV (one value a line)',
  'downloads.json': 'JSON (as the API answers)',
  'about.title': 'Where the figures come from',
  'about.treeHead':
    'Computed from the audit log up to entry {size} (tree head with root hash {hash}, signed {at}). The data-protection officer can recompute them from an export of this log.',
  'about.jws': 'Signed tree head (JWS)',
  'about.withheld': '• means: suppressed (protection of small counts).',
  'about.rule': 'Suppression rule ({rule})',
  'note.rule': 'Suppression: {sentence}',
  'note.head': 'Computed from the tree head of {size} entries, root hash:',
  'note.heads': 'Computed from the tree heads: {heads}.',
  'note.headItem': '{size} entries, root hash {hash}',
  'note.perRow': 'Each row names the tree head it was computed from.',
  'chain.title': 'From request to acknowledgement',
  'chain.intro':
    'How many requests led to a consent, how many exchanges followed, and how many were fetched and acknowledged.',
  'chain.chart': 'Bar chart: the chain from request to acknowledgement, {period}',
  'chain.table': 'The chain from request to acknowledgement, {period}',
  'chain.stage': 'Step',
  'chain.count': 'Count',
  'chain.main': 'main chain',
  'chain.side': 'beside',
  'refusals.title': 'Refused sends by reason over time',
  'refusals.intro':
    'Sends the gateway refused, per month. The chart shows all refusals and the most frequent reasons; the table has every reason.',
  'refusals.chart': 'Column charts: refused sends per month and reason, {from} to {to}',
  'refusals.table': 'Refused sends per month and reason, {from} to {to}',
  'refusals.month': 'Month',
  'refusals.none': 'No send was refused in these months.',
  'tables.title': 'Tables by office type',
  'tables.intro':
    'Each row is a pair of sending and receiving office type with the purpose. The last row is the total.',
  'tables.agencies': 'Tables by office',
  'tables.agenciesIntro':
    'The same figures split by office. Small values are suppressed more often here.',
  'tables.empty': 'There are no figures for this period.',
  'tables.total': 'Total',
  'tables.scroll': '{caption} (scrolls sideways)',
  'table.consents-by-office-type': 'Consent requests by office type and purpose',
  'table.exchanges-by-office-type': 'Exchanges by office type and purpose',
  'table.refusals-by-office-type': 'Refused sends by office type, purpose and reason',
  'table.consents-by-agency': 'Consent requests by office and purpose',
  'table.exchanges-by-agency': 'Exchanges by office and purpose',
  'table.refusals-by-agency': 'Refused sends by office, purpose and reason',
  'key.senderType': 'From (office type)',
  'key.recipientType': 'To (office type)',
  'key.sender': 'From (office)',
  'key.recipient': 'To (office)',
  'key.purpose': 'Purpose',
  'value.withheld': 'suppressed',
  'value.fewCases': 'fewer than 5 cases',
};

export const PAGE_LANGUAGES = ['de', 'en'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

export const CATALOGUES: Readonly<Record<PageLanguage, Catalogue>> = { de, en };
