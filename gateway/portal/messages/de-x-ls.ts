import type { Catalogue } from './de.ts';

/**
 * German in Leichte Sprache (`de-x-ls`, DIN SPEC 33429, rules of the Netzwerk Leichte Sprache):
 * one statement per sentence, everyday words, no passive where it can be avoided, no genitive
 * ("von der Bestätigung"), no abbreviations, numbers as digits, compounds split with a Mediopunkt
 * ("Widerrufs·code"), a hard word explained where it comes first, the person addressed as "Sie".
 * The Mediopunkt rather than the hyphen of the German catalogue: it is the convention of the
 * Netzwerk and of federal portals in Leichte Sprache, and it leaves the word's spelling intact.
 *
 * `§ 67b SGB X` stays in `assurance.text`: an office's staff and a supporter must find the rule.
 */
export const deXLs = {
  'language.name': 'Leichte Sprache',
  'site.name': 'Einwilligungs·portal',
  'site.skip': 'Direkt zum Text',
  'site.languages': 'Sprache wählen',
  'site.footer':
    'Die Ämter geben Ihre Daten hier nur weiter, wenn Sie Ja sagen. Sie können Ihr Ja jederzeit zurücknehmen.',
  'nav.label': 'Haupt·menü',
  'nav.consents': 'Meine Einwilligungen',
  'nav.history': 'Was mit meinen Daten passiert',
  'nav.signOut': 'Abmelden',

  'signIn.title': 'Anmelden',
  'signIn.intro':
    'Sie haben von einem Amt einen Brief bekommen. Oder eine Nachricht. Darin steht ein Code. Geben Sie hier den Code ein. Und Ihr Geburts·datum.',
  'signIn.code': 'Code',
  'signIn.codeHint': 'Der Code steht in Ihrem Brief. Der Code sieht so aus: ABCD-EFGH-2345',
  'signIn.secondFactor': 'Geburts·datum',
  'signIn.secondFactorHint':
    'Das Amt hat Ihr Geburts·datum gespeichert. Geben Sie das gleiche Datum ein.',
  'signIn.submit': 'Anmelden',
  'signIn.privacy':
    'Wir speichern Ihren Namen nicht. Wir speichern auch Ihre Nummer nicht. Sie machen 30 Minuten lang nichts? Dann melden wir Sie ab.',
  'signIn.wrong': 'Der Code oder das Geburts·datum ist falsch. Bitte prüfen Sie Ihre Eingabe.',
  'signIn.locked':
    'Sie haben zu oft etwas Falsches eingegeben. Der Code ist jetzt gesperrt. Gesperrt heißt: Der Code geht nicht mehr. Bitte fragen Sie beim Amt nach einem neuen Code.',
  'signIn.expired':
    'Der Code ist zu alt. Der Code geht nicht mehr. Bitte fragen Sie beim Amt nach einem neuen Code.',
  'signIn.rateLimited':
    'Es gab zu viele Versuche. Bitte warten Sie {minutes} Minuten. Dann versuchen Sie es noch einmal.',
  'signIn.needed': 'Bitte melden Sie sich an.',
  'signIn.signedOut': 'Sie sind jetzt abgemeldet.',
  'form.expired': 'Die Seite war zu lange offen. Bitte versuchen Sie es noch einmal.',
  'form.errorTitle': 'Bitte prüfen Sie:',

  'request.title': 'Ein Amt fragt nach Ihrer Einwilligung',
  'request.lead': 'Bitte lesen Sie den Text genau. Dann entscheiden Sie: Ja oder Nein.',
  'request.glance': 'Das Wichtigste kurz',
  'request.askedBy': 'Wer fragt',
  'request.senders': 'Wer gibt Daten weiter',
  'request.recipients': 'Wer bekommt die Daten',
  'request.data': 'Welche Daten',
  'request.purpose': 'Wofür',
  'request.until': 'Bis wann',
  'request.howToRevoke': 'So nehmen Sie die Einwilligung zurück',
  'request.howToRevokeText':
    'Das geht jederzeit. Im Portal mit Ihrem Widerrufs·code. Oder im Portal mit Ihrem Ausweis. Oder Sie sagen es einem von den Ämtern. Das Zurücknehmen gilt sofort.',
  'request.fullText': 'Der ganze Text',
  'request.decide': 'Ihre Entscheidung',
  'request.confirm': 'Ich habe den Text gelesen. Ich bin einverstanden.',
  'request.confirmMissing': 'Bitte machen Sie zuerst einen Haken bei „Ich bin einverstanden“.',
  'request.grant': 'Ja, ich willige ein',
  'request.decline': 'Nein, ich willige nicht ein',
  'request.declineHint': 'Sie sagen Nein? Das hat keine Nachteile für Sie.',
  'request.approved': 'Sie haben Ja gesagt.',
  'request.declined': 'Sie haben Nein gesagt. Die Ämter geben keine Daten weiter.',
  'request.expiredState': 'Diese Anfrage ist zu Ende. Die Ämter geben keine Daten weiter.',
  'request.changed':
    'Der Text ist jetzt anders. Bitte lesen Sie den Text noch einmal. Dann entscheiden Sie.',

  'consents.title': 'Meine Einwilligungen',
  'consents.intro':
    'Hier sehen Sie alle Ihre Einwilligungen. Sie können jede gültige Einwilligung zurücknehmen. Das Zurücknehmen heißt auch: Widerruf.',
  'consents.empty': 'Sie haben noch keine Einwilligung gegeben.',
  'consents.granted': 'Danke. Ihre Einwilligung ist gespeichert.',
  'consents.revoked':
    'Sie haben die Einwilligung zurückgenommen. Ab jetzt geben die Ämter diese Daten nicht mehr weiter.',
  'consents.open': 'Offene Anfragen',
  'consents.openIntro': 'Diese Ämter warten auf Ihre Entscheidung:',
  'consents.openItem': '{purpose} – Frage von: {office}',
  'consents.openLink': 'Lesen und entscheiden',
  'consents.item': 'Einwilligung: {purpose}',
  'consent.state': 'Stand',
  'consent.from': 'Von',
  'consent.to': 'An',
  'consent.data': 'Daten',
  'consent.validFrom': 'Gilt seit',
  'consent.validUntil': 'Gilt bis',
  'consent.changedAt': 'Zuletzt geändert',
  'consent.receipt': 'Bestätigung ansehen',
  'consent.revokeTitle': 'Einwilligung zurücknehmen',
  'consent.revokeConfirm': 'Ja, ich nehme diese Einwilligung zurück.',
  'consent.revokeMissing':
    'Bitte machen Sie zuerst einen Haken bei „Ja, ich nehme diese Einwilligung zurück.“',
  'consent.revoke': 'Zurücknehmen',
  'consent.revokeHint':
    'Das gilt sofort. Dann geben die Ämter diese Daten nicht mehr weiter. Auch Nachrichten auf dem Weg zu einem Amt kommen nicht mehr an.',
  'state.active': 'gültig',
  'state.revoked': 'zurückgenommen',
  'state.expired': 'zu Ende',

  'history.title': 'Was mit meinen Daten passiert',
  'history.intro':
    'Hier sehen Sie: Welches Amt hat welche Daten über Sie bekommen? Wann war das? Und wofür?',
  'history.empty': 'Bis jetzt hat kein Amt Daten über Sie bekommen.',
  'history.caption': 'Was mit Ihren Daten passiert ist. Das Neueste steht oben.',
  'history.when': 'Wann',
  'history.what': 'Was',
  'history.from': 'Von',
  'history.to': 'An',
  'history.data': 'Daten',
  'history.purpose': 'Wofür',
  'history.consent': 'Einwilligung',
  'event.consent.requested': 'Ein Amt hat nach Ihrer Einwilligung gefragt',
  'event.consent.granted': 'Sie haben Ja gesagt',
  'event.consent.declined': 'Sie haben Nein gesagt',
  'event.consent.revoked': 'Sie haben die Einwilligung zurückgenommen',
  'event.consent.expired': 'Die Einwilligung ist zu Ende',
  'event.request.expired': 'Die Anfrage ist zu Ende',
  'event.exchange.accepted': 'Ein Amt hat Daten geschickt',
  'event.exchange.refused': 'Daten nicht geschickt: Das war nicht erlaubt',
  'event.exchange.delivered': 'Das Amt hat die Daten abgeholt',
  'event.exchange.acknowledged': 'Das Amt hat gesagt: Die Daten sind angekommen',
  'event.exchange.withheld': 'Daten nicht weitergegeben: Es gab keine gültige Einwilligung',
  'event.exchange.purged': 'Daten gelöscht: Das Amt hat die Daten nicht rechtzeitig abgeholt',
  'event.other': 'Etwas anderes',

  'receipt.title': 'Bestätigung für Ihre Einwilligung',
  'receipt.intro':
    'Das ist die Bestätigung für Ihre Einwilligung. Die Bestätigung hat eine elektronische Unterschrift. Sie können diese Seite drucken.',
  'receipt.id': 'Nummer von der Bestätigung',
  'receipt.issuedAt': 'Gemacht am',
  'receipt.consentId': 'Nummer von der Einwilligung',
  'receipt.parties': 'Diese Ämter sind dabei',
  'receipt.roleSender': 'gibt Daten weiter',
  'receipt.roleRecipient': 'bekommt Daten',
  'receipt.legalBasis': 'Gesetz',
  'receipt.withdrawal': 'So nehmen Sie die Einwilligung zurück',
  'receipt.noticeHash': 'Prüf·summe von dem Text, den Sie gelesen haben (SHA-256)',
  'receipt.download': 'Unterschriebene Datei herunterladen',
  'receipt.downloadHint':
    'Mit dieser Datei können Sie später zeigen: Dazu habe ich Ja gesagt. Jeder kann die Unterschrift prüfen.',
  'receipt.print':
    'Drucken: Nutzen Sie die Druck·funktion von Ihrem Browser. Der Browser ist das Programm für das Internet.',
  'receipt.back': 'Zurück zu meinen Einwilligungen',

  'error.title': 'Etwas hat nicht geklappt',
  'error.notFound': 'Diese Seite gibt es nicht. Oder die Seite gehört nicht zu Ihnen.',
  'error.conflict': 'Das geht gerade nicht. Etwas hat sich in der Zwischen·zeit geändert.',
  'error.generic': 'Bitte versuchen Sie es später noch einmal.',
  'error.overloaded':
    'Gerade wollen sehr viele Menschen das Portal benutzen. Bitte warten Sie kurz. Dann versuchen Sie es noch einmal.',
  'error.reference': 'Fehler·nummer für das Amt',
  'error.home': 'Zur Start·seite',
  'nav.report': 'Bericht über meine Daten',
  'report.download': 'Bericht herunterladen',
  'signIn.codeUsed':
    'Dieser Code ist schon benutzt. Die Anfrage hat schon eine Entscheidung. Sie möchten eine Einwilligung ansehen? Oder zurücknehmen? Dann nehmen Sie den Widerrufs·code von Ihrer Bestätigung. Oder melden Sie sich mit Ihrem Ausweis an. Oder sagen Sie es dem Amt.',
  'signIn.withdrawalTitle': 'Mit Widerrufs·code anmelden',
  'signIn.withdrawalIntro':
    'Den Widerrufs·code haben Sie mit Ihrer Bestätigung bekommen. Mit dem Widerrufs·code können Sie Ihre Einwilligung zurücknehmen. Sie sehen auch: Wer hat Ihre Daten bekommen? Und Sie können die Bestätigung noch einmal herunterladen.',
  'signIn.withdrawalCode': 'Widerrufs·code',
  'signIn.withdrawalHint':
    'Der Widerrufs·code steht auf Ihrer Bestätigung. Der Code sieht so aus: WXYZ-2345-ABCD-6789-EFGH',
  'signIn.withdrawalWrong': 'Der Widerrufs·code ist falsch. Bitte prüfen Sie Ihre Eingabe.',
  'signIn.eidTitle': 'Mit dem Ausweis anmelden',
  'signIn.eidIntro':
    'Sie können sich auch mit Ihrem Ausweis anmelden. Ihr Ausweis muss dafür im Internet funktionieren. Der Name dafür ist: Online·ausweis. Dann sehen Sie alle Ihre Anfragen und Einwilligungen. Sie sehen auch alles, was mit Ihren Daten passiert ist. Und Sie können einen Bericht über Ihre Daten herunterladen.',
  'signIn.eidButton': 'Mit dem Ausweis anmelden',
  'signIn.eidFailed':
    'Die Anmeldung mit dem Ausweis hat nicht geklappt. Bitte versuchen Sie es noch einmal.',
  'signIn.eidNoMatch':
    'Wir haben keine Anfragen für Sie gefunden. Vielleicht hat das Amt Ihren Namen nicht eingetragen. Oder Ihr Geburts·datum. Oder das Amt hat etwas anders geschrieben. Bitte fragen Sie beim Amt nach.',
  'signIn.eidUnavailable': 'Die Anmeldung mit dem Ausweis gibt es hier nicht.',
  'withdrawal.title': 'Ihr Widerrufs·code',
  'withdrawal.intro':
    'Heben Sie diesen Code gut auf. Nur Sie haben diesen Code. Das Amt hat den Code nicht. Mit dem Code können Sie Ihre Einwilligung jederzeit zurücknehmen.',
  'withdrawal.print': 'Drucken Sie diese Seite aus. Oder schreiben Sie den Code auf.',
  'assurance.title': 'Bitte melden Sie sich hier mit dem Ausweis an',
  'assurance.text':
    'Bei dieser Einwilligung geht es um Daten über Ihre Gesundheit. Oder um andere besonders geschützte Daten. Dann muss das Amt sicher wissen: Das sind wirklich Sie. So steht es im Sozial·gesetz·buch (§ 67b SGB X). Bitte melden Sie sich mit Ihrem Ausweis an. Dann entscheiden Sie.',
  'assurance.low': 'niedrig: Es ist nicht sicher, wer es war.',
  'assurance.substantial': 'mittel: Es ist ziemlich sicher, wer es war.',
  'assurance.high': 'hoch: Es ist sehr sicher, wer es war.',
  'channel.portal-code': 'im Portal, mit dem Code aus dem Brief',
  'channel.portal-eid': 'im Portal, mit dem Ausweis',
  'channel.assisted': 'beim Amt: Das Amt hat es eingetragen',
  'channel.paper': 'auf Papier',
  'consent.revokedBy': 'So zurückgenommen: {channel}',
  'receipt.channel': 'So haben Sie Ja gesagt',
  'receipt.assurance': 'So sicher war die Anmeldung',
  'receipt.withdrawalCode': 'Widerrufs·code',
  'receipt.withdrawalWays':
    'Im Portal mit Ihrem Widerrufs·code. Oder im Portal mit Ihrem Ausweis. Oder Sie sagen es einem von den Ämtern. Das Amt schreibt das auf.',
  'receipt.controllers': 'Wer ist verantwortlich?',
  'receipt.address': 'Adresse',
  'receipt.dpo': 'Daten·schutz·beauftragte',
  'receipt.retention': 'So lange darf das Amt die Daten behalten',
  'receipt.retentionDays': 'höchstens {days} Tage',
  'receipt.complaint': 'Beschwerde bei der Daten·schutz·aufsicht',

  // Issue 17: the birth date in three fields, HTML error pages, links named by what they open.
  'signIn.dateHint': 'Zum Beispiel: 27 3 1990',
  'signIn.day': 'Tag',
  'signIn.month': 'Monat',
  'signIn.year': 'Jahr',
  'signIn.codeMissing': 'Bitte geben Sie den Code ein. Der Code steht in Ihrem Brief.',
  'signIn.dateMissing': 'Bitte geben Sie Ihr Geburts·datum ein.',
  'signIn.dayMissing': 'Beim Geburts·datum fehlt der Tag.',
  'signIn.monthMissing': 'Beim Geburts·datum fehlt der Monat.',
  'signIn.yearMissing': 'Beim Geburts·datum fehlt das Jahr.',
  'signIn.dayInvalid': 'Der Tag muss eine Zahl von 1 bis 31 sein.',
  'signIn.monthInvalid': 'Der Monat muss eine Zahl von 1 bis 12 sein.',
  'signIn.yearInvalid': 'Das Jahr muss 4 Ziffern haben. Zum Beispiel: 1990',
  'signIn.dateNotReal': 'Dieses Datum gibt es nicht. Bitte prüfen Sie den Tag und den Monat.',
  'signIn.dateFuture': 'Das Geburts·datum muss vor heute sein.',
  'form.errorPrefix': 'Fehler',
  'error.notFoundTitle': 'Diese Seite gibt es nicht',
  'error.notFoundHelp':
    'Vielleicht ist die Adresse falsch geschrieben. Bitte prüfen Sie die Adresse. Oder fangen Sie auf der Start·seite an.',
  'error.methodNotAllowed':
    'So kann man diese Seite nicht öffnen. Bitte fangen Sie auf der Start·seite an.',
  'error.badRequest': 'Bei der Anfrage ist etwas falsch. Bitte versuchen Sie es noch einmal.',
  'error.forbidden': 'Diese Seite dürfen Sie nicht sehen. Bitte melden Sie sich an.',
  'error.rateLimited':
    'Es gab zu viele Anfragen. Bitte warten Sie kurz. Dann versuchen Sie es noch einmal.',
  'history.receiptLink': 'Bestätigung für die Einwilligung „{purpose}“ ansehen',
  'history.receiptLinkPlain': 'Bestätigung für diese Einwilligung ansehen',
  'consent.receiptFor': 'Bestätigung für „{purpose}“ ansehen',
  'consents.openLinkFor': 'Anfrage „{purpose}“ lesen und entscheiden',
} as const satisfies Catalogue;
