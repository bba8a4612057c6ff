import type { LegalTexts } from './texts.ts';

/**
 * German, the reference. Written in Einfache Sprache like the portal's catalogue: short
 * sentences, everyday words, one idea per sentence, the person addressed as "Sie". Legal
 * references stay exact, in brackets, so a lawyer can check them and a reader can skip them.
 */
export const de: LegalTexts = {
  links: {
    label: 'Informationen zum Portal',
    impressum: 'Impressum',
    privacy: 'Datenschutz',
    accessibility: 'Barrierefreiheit',
    help: 'Hilfe',
  },
  notSet: 'Diese Angabe fehlt noch.',
  impressum: {
    title: 'Impressum',
    intro: 'Hier steht, wer dieses Portal anbietet (Angaben nach § 5 DDG und § 18 MStV).',
    municipality: 'Kommune',
    operator: 'Betreiber der Seite',
    representative: 'Vertreten durch',
    supervision: 'Aufsicht über den Datenschutz',
    supervisionText: 'Diese Stelle prüft, ob die Kommune Ihre Daten richtig schützt:',
    email: 'E-Mail',
    web: 'Internet',
  },
  privacy: {
    title: 'Datenschutz im Portal',
    intro:
      'Hier steht, welche Daten dieses Portal verarbeitet. Und warum, wie lange und welche Rechte Sie haben (Art. 13 DSGVO).',
    controllerHeading: 'Wer ist verantwortlich?',
    controllerText: 'Verantwortlich für dieses Portal ist:',
    dpoHeading: 'Datenschutz-Beauftragte',
    dpoText: 'So erreichen Sie die Datenschutz-Beauftragte oder den Datenschutz-Beauftragten:',
    dataHeading: 'Welche Daten verarbeitet das Portal?',
    data: [
      'Den Code aus dem Brief des Amts. Damit öffnen Sie eine Anfrage.',
      'Ihr Geburtsdatum. Das Portal vergleicht es nur mit dem Geburtsdatum, das das Amt gespeichert hat. Ihre Eingabe speichert das Portal nicht.',
      'Ihre Entscheidungen: ob Sie einverstanden sind, ablehnen oder widerrufen, und wann. Das Portal speichert sie als Nachweis. Die Ämter müssen sich daran halten.',
      'Ein Cookie für die Anmeldung (Sitzungs-Cookie). Es enthält nur eine zufällige Nummer. Daran erkennt das Portal, dass Sie angemeldet sind.',
      'Ein Cookie für die Sprache. Es enthält nur die Sprache, die Sie gewählt haben.',
      'Die Internet-Adresse (IP-Adresse) Ihres Geräts. Damit zählt das Portal falsche Anmeldungen, zum Schutz vor Angriffen. Die Adresse bleibt dafür nur im Arbeitsspeicher des Servers. Sie kommt nicht auf die Festplatte und nicht ins Protokoll.',
    ],
    eid: 'Sie können sich auch mit Ihrem Ausweis anmelden (Online-Ausweis). Dann schickt das Portal Sie zu einem Anmelde-Dienst. Von dort bekommt das Portal Ihren Namen und Ihr Geburtsdatum. Damit sucht es die Anfragen der Ämter an Sie.',
    noTracking: [
      'Keine Werbung, keine Analyse-Programme, kein Tracking. Das Portal lädt nichts von anderen Anbietern: keine Schriften, keine Karten, keine Videos.',
      'Das Portal selbst gibt Ihre Daten an niemanden weiter. Ämter bekommen Daten nur, wenn Sie eingewilligt haben.',
      'Das Protokoll des Servers enthält keine Daten über Sie: keine IP-Adresse, keinen Code, kein Geburtsdatum. Es enthält nur, welche Seite wann aufgerufen wurde und ob es geklappt hat.',
    ],
    purposesHeading: 'Wozu und mit welchem Recht?',
    purposes: [
      'Damit Sie Einwilligungen geben, ablehnen, ansehen und widerrufen können. Und damit das Portal Ihre Daten vor Angriffen schützt.',
      'Für Ihre Einwilligung: Art. 6 Abs. 1 Buchst. a und Art. 7 DSGVO. Bei besonders geschützten Daten, zum Beispiel zur Gesundheit, auch Art. 9 Abs. 2 Buchst. a DSGVO.',
      'Für den Betrieb und die Sicherheit des Portals: Art. 6 Abs. 1 Buchst. e und Abs. 3 DSGVO mit dem Datenschutz-Gesetz des Landes (in Nordrhein-Westfalen § 3 DSG NRW).',
      'Die beiden Cookies braucht das Portal, damit es funktioniert. Dafür fragt es nicht nach Ihrer Einwilligung (§ 25 Abs. 2 Nr. 2 TDDDG).',
    ],
    retentionHeading: 'Wie lange?',
    retention: [
      'Die Anmeldung endet nach {minutes} Minuten ohne Aktivität. Oder wenn Sie sich abmelden. Das Sitzungs-Cookie löscht Ihr Browser, wenn Sie ihn schließen.',
      'Das Sprach-Cookie bleibt {days} Tage. Sie können es in Ihrem Browser löschen.',
      'Ein Code gilt nur bis zu dem Tag, der im Brief steht. Wenn Sie entschieden haben, gilt er nicht mehr.',
      'Einwilligungen und das Protokoll darüber bleiben als Nachweis gespeichert. Das Protokoll nennt Sie nicht mit Namen, nur mit einer Kennung. Werden Ihre Daten gelöscht, wird die Verbindung zwischen Ihnen und dieser Kennung unlesbar gemacht.',
    ],
    rightsHeading: 'Ihre Rechte',
    rightsIntro: 'Sie haben diese Rechte:',
    rights: [
      'Auskunft: Sie können fragen, welche Daten über Sie gespeichert sind (Art. 15 DSGVO).',
      'Berichtigung: Falsche Daten werden korrigiert (Art. 16 DSGVO).',
      'Löschung: Ihre Daten werden gelöscht, wenn es dafür einen Grund gibt (Art. 17 DSGVO).',
      'Einschränkung: Ihre Daten werden eine Zeit lang nur aufbewahrt und nicht genutzt (Art. 18 DSGVO).',
      'Widerspruch: Sie können einer Verarbeitung für den Betrieb des Portals widersprechen (Art. 21 DSGVO).',
      'Daten mitnehmen: Sie bekommen die Daten, die Sie gegeben haben, in einer Datei (Art. 20 DSGVO).',
      'Widerruf: Sie können jede Einwilligung jederzeit zurücknehmen, hier im Portal oder beim Amt. Was vorher geschah, bleibt erlaubt (Art. 7 Abs. 3 DSGVO).',
    ],
    rightsHow:
      'Schreiben Sie dafür an das Amt, das Ihnen geschrieben hat. Oder an die Datenschutz-Beauftragten (Kontakt oben).',
    complaintHeading: 'Beschwerde',
    complaintText:
      'Sie finden, dass wir mit Ihren Daten etwas falsch machen? Dann können Sie sich bei der Aufsicht über den Datenschutz beschweren (Art. 77 DSGVO):',
  },
  accessibility: {
    title: 'Erklärung zur Barrierefreiheit',
    intro:
      '{name} möchte, dass alle Menschen dieses Portal gut nutzen können. Diese Erklärung gilt für das Einwilligungs-Portal.',
    basis:
      'Grundlage sind die Richtlinie (EU) 2016/2102 und die Verordnungen über barrierefreie Informationstechnik (BITV 2.0; in Nordrhein-Westfalen die BITV NRW). Maßstab sind die Norm EN 301 549 und die WCAG 2.1, Stufe AA.',
    statusHeading: 'Wie barrierefrei ist das Portal?',
    status:
      'Das Portal ist teilweise barrierefrei. Das heißt: Es erfüllt die Anforderungen zum Teil. Was noch fehlt, steht unten. Die Bewertung ist eine Selbstbewertung: automatische Tests und Prüfung durch das Entwicklungs-Team. Eine unabhängige Prüfung gab es noch nicht.',
    limitsHeading: 'Was ist noch nicht barrierefrei?',
    limits: [
      'Die Bestätigung zum Herunterladen ist eine signierte Datei für Prüf-Programme. Menschen können sie schlecht lesen. Lesen Sie die Bestätigung auf der Seite im Portal. Diese Seite können Sie auch drucken.',
      'Es gibt noch keine Informationen in Deutscher Gebärdensprache.',
      'Namen und Adressen der Ämter gibt es nur auf Deutsch.',
    ],
    dateHeading: 'Datum',
    date: 'Diese Erklärung ist vom {date}.',
    feedbackHeading: 'Barriere melden',
    feedbackText:
      'Sie finden eine Barriere? Oder Sie brauchen einen Inhalt in einer anderen Form? Dann melden Sie sich hier:',
    enforcementHeading: 'Schlichtung',
    enforcement: [
      'Sie haben keine Antwort bekommen? Oder die Antwort hilft Ihnen nicht? Dann können Sie sich an eine Schlichtungs-Stelle wenden. In Nordrhein-Westfalen ist das die Ombudsstelle für barrierefreie Informationstechnik beim Beauftragten der Landesregierung für Menschen mit Behinderung.',
      'Die Schlichtung kostet nichts. Sie brauchen dafür keinen Anwalt.',
    ],
  },
  help: {
    title: 'Hilfe',
    intro: 'Hier finden Sie Antworten auf häufige Fragen.',
    codeHeading: 'Was ist ein Code?',
    code: [
      'Ein Amt hat Ihnen einen Brief geschrieben. Darin steht ein Code.',
      'Mit dem Code und Ihrem Geburtsdatum öffnen Sie hier die Anfrage des Amts. Der Code öffnet nur diese eine Anfrage.',
      'Der Code gilt nur bis zu dem Tag, der im Brief steht. Wenn Sie entschieden haben, gilt er nicht mehr.',
    ],
    withdrawalHeading: 'Was ist ein Widerrufs-Code?',
    withdrawal: [
      'Wenn Sie einverstanden sind, zeigt das Portal Ihnen einen Widerrufs-Code. Nur Sie bekommen ihn. Das Amt kennt ihn nicht.',
      'Das Portal zeigt ihn nur ein Mal. Schreiben Sie ihn auf oder drucken Sie die Seite.',
      'Mit dem Widerrufs-Code können Sie Ihre Einwilligung später zurücknehmen. Sie können es auch dem Amt sagen.',
    ],
    birthDateHeading: 'Wozu das Geburtsdatum?',
    birthDate: [
      'Das Amt hat Ihr Geburtsdatum gespeichert. Damit prüft das Portal, dass der Code zu Ihnen gehört.',
      'Nach {failures} falschen Versuchen ist der Code gesperrt. Dann fragen Sie beim Amt nach einem neuen Code.',
    ],
    askHeading: 'Wen kann ich fragen?',
    askOffice:
      'Fragen zu einer Anfrage: das Amt, das Ihnen geschrieben hat. Die Adresse steht im Brief.',
    askDpo: 'Fragen zum Datenschutz:',
    askAccessibility: 'Probleme bei der Bedienung oder Barrieren:',
  },
};
