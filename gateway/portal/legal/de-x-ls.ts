import type { LegalTexts } from './texts.ts';

/**
 * German in Leichte Sprache (`de-x-ls`), from the German reference (`de.ts`): one statement per
 * sentence, everyday words, hard words explained where they first come, compounds split with a
 * Mediopunkt. The legal references stay exact, in brackets as in German, since a lawyer or a
 * supporter must find the rule; the privacy page says once that the reader may skip the brackets.
 */
export const deXLs: LegalTexts = {
  links: {
    label: 'Informationen zum Portal',
    impressum: 'Impressum',
    privacy: 'Daten·schutz',
    accessibility: 'Barriere·freiheit',
    help: 'Hilfe',
  },
  notSet: 'Diese Angabe fehlt noch.',
  impressum: {
    title: 'Impressum',
    intro:
      'Hier steht: Wer macht dieses Portal? Das muss jede Seite im Internet sagen. (§ 5 DDG und § 18 MStV)',
    municipality: 'Stadt oder Gemeinde',
    operator: 'Betreiber von der Seite',
    representative: 'Vertreterin oder Vertreter',
    supervision: 'Aufsicht über den Daten·schutz',
    supervisionText: 'Dieses Amt prüft den Daten·schutz bei der Stadt oder Gemeinde:',
    email: 'E-Mail',
    web: 'Internet',
  },
  privacy: {
    title: 'Daten·schutz im Portal',
    intro:
      'Hier steht: Welche Daten benutzt das Portal? Warum? Wie lange? Und welche Rechte haben Sie? In Klammern stehen die Gesetze dazu. Die Klammern müssen Sie nicht lesen. (Art. 13 DSGVO)',
    controllerHeading: 'Wer ist verantwortlich?',
    controllerText: 'Verantwortlich für dieses Portal ist:',
    dpoHeading: 'Daten·schutz·beauftragte',
    dpoText:
      'Die Daten·schutz·beauftragte ist eine Person für den Daten·schutz. So erreichen Sie diese Person:',
    dataHeading: 'Welche Daten benutzt das Portal?',
    data: [
      'Den Code aus dem Brief vom Amt. Mit dem Code öffnen Sie eine Anfrage.',
      'Ihr Geburts·datum. Das Amt hat Ihr Geburts·datum gespeichert. Das Portal vergleicht Ihre Eingabe damit. Das Portal speichert Ihre Eingabe nicht.',
      'Ihre Entscheidungen: Ja, Nein oder Zurücknehmen. Und wann Sie entschieden haben. Das Portal speichert Ihre Entscheidungen als Beweis. Die Ämter müssen sich an Ihre Entscheidungen halten.',
      'Ein Cookie für die Anmeldung. Ein Cookie ist eine kleine Datei in Ihrem Browser. In dem Cookie steht nur eine zufällige Nummer. So weiß das Portal: Sie sind angemeldet.',
      'Ein Cookie für die Sprache. In dem Cookie steht nur Ihre Sprache.',
      'Die Internet·adresse von Ihrem Gerät (IP-Adresse). Damit zählt das Portal falsche Anmeldungen. Das schützt vor Angriffen. Die Adresse bleibt dafür nur kurz im Arbeits·speicher. Das Portal schreibt die Adresse nicht auf die Fest·platte. Und nicht in das Protokoll. Das Protokoll ist eine Liste: Was ist im Portal passiert?',
    ],
    eid: 'Sie können sich auch mit Ihrem Ausweis anmelden. Ihr Ausweis muss dafür im Internet funktionieren (Online-Ausweis). Dann schickt das Portal Sie zu einem Anmelde·dienst. Der Anmelde·dienst gibt dem Portal Ihren Namen und Ihr Geburts·datum. Damit sucht das Portal die Anfragen von den Ämtern an Sie.',
    noTracking: [
      'Keine Werbung. Keine Programme, die Sie beobachten. Das Portal lädt nichts von anderen Firmen: keine Schriften, keine Karten, keine Videos.',
      'Das Portal gibt Ihre Daten an niemanden weiter. Die Ämter bekommen Daten nur mit Ihrer Einwilligung.',
      'Im Protokoll stehen keine Daten über Sie: keine IP-Adresse, kein Code, kein Geburts·datum. Im Protokoll steht nur: eine Seite, die Uhrzeit und ob es geklappt hat.',
    ],
    purposesHeading: 'Wofür? Und welches Gesetz erlaubt das?',
    purposes: [
      'Sie sollen hier Einwilligungen geben, ablehnen, ansehen und zurücknehmen können. Und das Portal soll Ihre Daten vor Angriffen schützen.',
      'Für Ihre Einwilligung gilt die Daten·schutz·grund·verordnung. Das ist ein Gesetz für ganz Europa. (Art. 6 Abs. 1 Buchst. a und Art. 7 DSGVO; bei besonders geschützten Daten, zum Beispiel zur Gesundheit, auch Art. 9 Abs. 2 Buchst. a DSGVO)',
      'Das Portal muss gut und sicher funktionieren. Das erlaubt auch das Daten·schutz·gesetz von dem Bundes·land. (Art. 6 Abs. 1 Buchst. e und Abs. 3 DSGVO mit dem Datenschutz-Gesetz des Landes, in Nordrhein-Westfalen § 3 DSG NRW)',
      'Die 2 Cookies braucht das Portal. Ohne die Cookies funktioniert das Portal nicht. Darum fragt das Portal Sie dafür nicht nach einer Einwilligung. (§ 25 Abs. 2 Nr. 2 TDDDG)',
    ],
    retentionHeading: 'Wie lange?',
    retention: [
      'Sie machen {minutes} Minuten lang nichts? Dann endet die Anmeldung. Sie können sich auch selbst abmelden. Ihr Browser löscht das Cookie für die Anmeldung, wenn Sie den Browser schließen.',
      'Das Cookie für die Sprache bleibt {days} Tage. Sie können das Cookie in Ihrem Browser löschen.',
      'Ein Code gilt nur bis zu dem Tag im Brief. Nach Ihrer Entscheidung gilt der Code nicht mehr.',
      'Einwilligungen und das Protokoll darüber bleiben als Beweis gespeichert. Im Protokoll steht nicht Ihr Name. Dort steht nur eine Nummer für Sie. Das Portal löscht Ihre Daten? Dann kann niemand mehr lesen: Diese Nummer gehört zu Ihnen.',
    ],
    rightsHeading: 'Ihre Rechte',
    rightsIntro: 'Sie haben diese Rechte:',
    rights: [
      'Auskunft: Sie können fragen: Welche Daten über mich sind gespeichert? (Art. 15 DSGVO)',
      'Berichtigung: Sie können falsche Daten richtig machen lassen. (Art. 16 DSGVO)',
      'Löschung: Sie können Ihre Daten löschen lassen, wenn es dafür einen Grund gibt. (Art. 17 DSGVO)',
      'Einschränkung: Ihre Daten bleiben eine Zeit lang nur gespeichert. Niemand darf die Daten in der Zeit benutzen. (Art. 18 DSGVO)',
      'Widerspruch: Sie können sagen: Ich will das nicht. Das gilt für Daten für den Betrieb von dem Portal. (Art. 21 DSGVO)',
      'Daten mitnehmen: Sie bekommen Ihre Daten in einer Datei. Aber nur die Daten, die Sie selbst gegeben haben. (Art. 20 DSGVO)',
      'Widerruf: Sie können jede Einwilligung jederzeit zurücknehmen. Hier im Portal oder beim Amt. Was vorher war, bleibt erlaubt. (Art. 7 Abs. 3 DSGVO)',
    ],
    rightsHow:
      'Schreiben Sie dafür an das Amt. Das Amt hat Ihnen den Brief geschrieben. Oder schreiben Sie an die Daten·schutz·beauftragte. Die Adresse steht oben.',
    complaintHeading: 'Beschwerde',
    complaintText:
      'Sie denken: Wir machen mit Ihren Daten etwas falsch? Dann können Sie sich beschweren. Das geht bei der Aufsicht über den Daten·schutz (Art. 77 DSGVO):',
  },
  accessibility: {
    title: 'Erklärung zur Barriere·freiheit',
    intro:
      '{name} möchte: Alle Menschen können dieses Portal gut benutzen. Barriere·freiheit heißt: Es gibt keine Hindernisse für Menschen mit Behinderung. Diese Erklärung gilt für das Einwilligungs·portal.',
    basis:
      'Es gibt Regeln für Barriere·freiheit. Die Regeln stehen in Gesetzen. (Richtlinie (EU) 2016/2102, BITV 2.0; in Nordrhein-Westfalen die BITV NRW; Maßstab: EN 301 549 und WCAG 2.1, Stufe AA)',
    statusHeading: 'Wie barriere·frei ist das Portal?',
    status:
      'Das Portal ist nur zum Teil barriere·frei. Einige Dinge fehlen noch. Diese Dinge stehen unten. Wir haben das Portal selbst geprüft: mit Computer·programmen und mit unserem Team. Eine Prüfung von außen gab es noch nicht.',
    limitsHeading: 'Was ist noch nicht barriere·frei?',
    limits: [
      'Sie können die Bestätigung als Datei herunterladen. Die Datei ist für Prüf·programme. Menschen können die Datei schlecht lesen. Lesen Sie die Bestätigung lieber auf der Seite im Portal. Diese Seite können Sie auch drucken.',
      'Es gibt noch keine Informationen in Deutscher Gebärden·sprache.',
      'Die Namen und die Adressen von den Ämtern stehen so da, wie die Ämter sie schreiben. Sie sind nicht in Leichter Sprache.',
    ],
    dateHeading: 'Datum',
    date: 'Diese Erklärung ist vom {date}.',
    feedbackHeading: 'Barriere melden',
    feedbackText:
      'Sie finden eine Barriere? Oder Sie brauchen einen Text in einer anderen Form? Dann melden Sie sich hier:',
    enforcementHeading: 'Schlichtung',
    enforcement: [
      'Sie haben keine Antwort bekommen? Oder die Antwort hilft Ihnen nicht? Dann können Sie sich an eine Schlichtungs·stelle wenden. Die Schlichtungs·stelle hilft bei Streit. In Nordrhein-Westfalen ist das die Ombuds·stelle für barriere·freie Informations·technik. Die Ombuds·stelle gehört zu dem Beauftragten von der Landes·regierung für Menschen mit Behinderung.',
      'Die Schlichtung kostet nichts. Sie brauchen dafür keinen Anwalt.',
    ],
  },
  help: {
    title: 'Hilfe',
    intro: 'Hier finden Sie Antworten auf Fragen. Viele Menschen haben diese Fragen.',
    codeHeading: 'Was ist ein Code?',
    code: [
      'Ein Amt hat Ihnen einen Brief geschrieben. In dem Brief steht ein Code.',
      'Mit dem Code und mit Ihrem Geburts·datum öffnen Sie hier die Anfrage vom Amt. Der Code öffnet nur diese eine Anfrage.',
      'Der Code gilt nur bis zu dem Tag im Brief. Nach Ihrer Entscheidung gilt der Code nicht mehr.',
    ],
    withdrawalHeading: 'Was ist ein Widerrufs·code?',
    withdrawal: [
      'Sie sagen Ja? Dann zeigt das Portal Ihnen einen Widerrufs·code. Nur Sie bekommen diesen Code. Das Amt kennt den Code nicht.',
      'Das Portal zeigt den Code nur 1 Mal. Schreiben Sie den Code auf. Oder drucken Sie die Seite aus.',
      'Mit dem Widerrufs·code können Sie Ihre Einwilligung später zurücknehmen. Sie können es auch dem Amt sagen.',
    ],
    birthDateHeading: 'Wofür ist das Geburts·datum?',
    birthDate: [
      'Das Amt hat Ihr Geburts·datum gespeichert. Damit prüft das Portal: Der Code gehört zu Ihnen.',
      'Sie geben {failures} Mal etwas Falsches ein? Dann ist der Code gesperrt. Dann fragen Sie beim Amt nach einem neuen Code.',
    ],
    askHeading: 'Wen kann ich fragen?',
    askOffice:
      'Sie haben Fragen zu einer Anfrage? Dann fragen Sie das Amt. Das Amt hat Ihnen den Brief geschrieben. Die Adresse steht im Brief.',
    askDpo: 'Fragen zum Daten·schutz:',
    askAccessibility: 'Probleme mit dem Portal oder Barrieren:',
  },
};
