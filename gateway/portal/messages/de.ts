/**
 * German, the reference catalogue: every other language must have exactly these keys (a test and
 * the `Catalogue` type both check). Written in Einfache Sprache: short sentences, everyday words,
 * one idea per sentence, long compounds split with a hyphen, the person addressed as "Sie".
 *
 * `{name}` marks a value the page fills in; keep each placeholder in every translation.
 */
export const de = {
  'language.name': 'Deutsch',
  'site.name': 'Einwilligungs-Portal',
  'site.skip': 'Zum Inhalt springen',
  'site.languages': 'Sprache wählen',
  'site.footer':
    'Ämter geben Ihre Daten hier nur weiter, wenn Sie einverstanden sind. Sie können Ihre Einwilligung jederzeit zurücknehmen.',
  'nav.label': 'Hauptmenü',
  'nav.consents': 'Meine Einwilligungen',
  'nav.history': 'Mein Verlauf',
  'nav.signOut': 'Abmelden',

  'signIn.title': 'Anmelden',
  'signIn.intro':
    'Sie haben von einem Amt einen Brief oder eine Nachricht mit einem Code bekommen. Geben Sie hier den Code und Ihr Geburtsdatum ein.',
  'signIn.code': 'Code',
  'signIn.codeHint': 'Der Code steht in Ihrem Brief. Er sieht so aus: ABCD-EFGH-2345',
  'signIn.secondFactor': 'Geburtsdatum',
  'signIn.secondFactorHint': 'Ihr Geburtsdatum, so wie es beim Amt gespeichert ist.',
  'signIn.submit': 'Anmelden',
  'signIn.privacy':
    'Wir speichern Ihren Namen und Ihre Nummer nicht. Nach 30 Minuten ohne Aktivität werden Sie abgemeldet.',
  'signIn.wrong': 'Der Code oder das Geburtsdatum stimmt nicht. Bitte prüfen Sie Ihre Eingabe.',
  'signIn.locked':
    'Es gab zu viele falsche Versuche. Der Code ist jetzt gesperrt. Bitte fragen Sie beim Amt nach einem neuen Code.',
  'signIn.expired': 'Der Code ist abgelaufen. Bitte fragen Sie beim Amt nach einem neuen Code.',
  'signIn.rateLimited':
    'Es gab zu viele Versuche. Bitte warten Sie {minutes} Minuten. Dann versuchen Sie es noch einmal.',
  'signIn.needed': 'Bitte melden Sie sich an.',
  'signIn.signedOut': 'Sie sind abgemeldet.',
  'form.expired': 'Das Formular war zu alt. Bitte versuchen Sie es noch einmal.',
  'form.errorTitle': 'Bitte prüfen Sie:',

  'request.title': 'Ein Amt bittet um Ihre Einwilligung',
  'request.lead': 'Bitte lesen Sie den Text genau. Dann entscheiden Sie: Ja oder Nein.',
  'request.glance': 'Das Wichtigste in Kürze',
  'request.askedBy': 'Wer fragt',
  'request.senders': 'Wer gibt Daten weiter',
  'request.recipients': 'Wer bekommt die Daten',
  'request.data': 'Welche Daten',
  'request.purpose': 'Wofür',
  'request.until': 'Bis wann',
  'request.howToRevoke': 'So nehmen Sie die Einwilligung zurück',
  'request.howToRevokeText':
    'Jederzeit: im Portal mit Ihrem Widerrufs-Code oder mit Ihrem Ausweis. Oder Sie sagen es einem der Ämter. Es gilt sofort.',
  'request.fullText': 'Der ganze Text',
  'request.decide': 'Ihre Entscheidung',
  'request.confirm': 'Ich habe den Text gelesen. Ich bin einverstanden.',
  'request.confirmMissing': 'Bitte setzen Sie zuerst den Haken bei „Ich bin einverstanden“.',
  'request.grant': 'Ja, ich willige ein',
  'request.decline': 'Nein, ich willige nicht ein',
  'request.declineHint': 'Wenn Sie Nein sagen, hat das keine Nachteile für Sie.',
  'request.approved': 'Sie haben eingewilligt.',
  'request.declined': 'Sie haben Nein gesagt. Es werden keine Daten weitergegeben.',
  'request.expiredState': 'Diese Anfrage ist abgelaufen. Es werden keine Daten weitergegeben.',
  'request.changed':
    'Der Text hat sich inzwischen geändert. Bitte lesen Sie ihn noch einmal und entscheiden Sie dann.',

  'consents.title': 'Meine Einwilligungen',
  'consents.intro':
    'Hier sehen Sie alle Ihre Einwilligungen. Sie können jede gültige Einwilligung zurücknehmen. Das nennt man Widerruf.',
  'consents.empty': 'Sie haben noch keine Einwilligung gegeben.',
  'consents.granted': 'Danke. Ihre Einwilligung ist gespeichert.',
  'consents.revoked':
    'Sie haben die Einwilligung zurückgenommen. Ab jetzt werden diese Daten nicht mehr weitergegeben.',
  'consents.open': 'Offene Anfragen',
  'consents.openIntro': 'Diese Ämter warten auf Ihre Entscheidung:',
  'consents.openItem': '{purpose} – angefragt von {office}',
  'consents.openLink': 'Lesen und entscheiden',
  'consents.item': 'Einwilligung: {purpose}',
  'consent.state': 'Status',
  'consent.from': 'Von',
  'consent.to': 'An',
  'consent.data': 'Daten',
  'consent.validFrom': 'Gültig seit',
  'consent.validUntil': 'Gültig bis',
  'consent.changedAt': 'Zuletzt geändert',
  'consent.receipt': 'Bestätigung ansehen',
  'consent.revokeTitle': 'Einwilligung zurücknehmen',
  'consent.revokeConfirm': 'Ja, ich nehme diese Einwilligung zurück.',
  'consent.revokeMissing': 'Bitte setzen Sie zuerst den Haken bei „Ja, ich nehme … zurück“.',
  'consent.revoke': 'Zurücknehmen',
  'consent.revokeHint':
    'Das gilt sofort. Nachrichten, die noch nicht abgeholt sind, werden nicht mehr zugestellt.',
  'state.active': 'gültig',
  'state.revoked': 'zurückgenommen',
  'state.expired': 'abgelaufen',

  'history.title': 'Mein Verlauf',
  'history.intro':
    'Hier sehen Sie, welches Amt welche Daten über Sie bekommen hat. Und wann und warum.',
  'history.empty': 'Bis jetzt hat kein Amt Daten über Sie bekommen.',
  'history.caption': 'Was mit Ihren Daten passiert ist, das Neueste zuerst',
  'history.when': 'Wann',
  'history.what': 'Was',
  'history.from': 'Von',
  'history.to': 'An',
  'history.data': 'Daten',
  'history.purpose': 'Wofür',
  'history.consent': 'Einwilligung',
  'event.consent.requested': 'Ein Amt hat um Einwilligung gebeten',
  'event.consent.granted': 'Sie haben eingewilligt',
  'event.consent.declined': 'Sie haben Nein gesagt',
  'event.consent.revoked': 'Sie haben die Einwilligung zurückgenommen',
  'event.consent.expired': 'Die Einwilligung ist abgelaufen',
  'event.request.expired': 'Die Anfrage ist abgelaufen',
  'event.exchange.accepted': 'Daten wurden an das Amt geschickt',
  'event.exchange.refused': 'Daten wurden nicht geschickt: nicht erlaubt',
  'event.exchange.delivered': 'Das Amt hat die Daten abgeholt',
  'event.exchange.acknowledged': 'Das Amt hat den Empfang bestätigt',
  'event.exchange.withheld': 'Daten wurden zurückgehalten: keine gültige Einwilligung',
  'event.exchange.purged': 'Daten wurden gelöscht: nicht rechtzeitig abgeholt',
  'event.other': 'Sonstiges',

  'receipt.title': 'Bestätigung Ihrer Einwilligung',
  'receipt.intro':
    'Das ist die Bestätigung Ihrer Einwilligung. Sie ist elektronisch unterschrieben. Sie können die Seite drucken.',
  'receipt.id': 'Nummer der Bestätigung',
  'receipt.issuedAt': 'Ausgestellt am',
  'receipt.consentId': 'Nummer der Einwilligung',
  'receipt.parties': 'Beteiligte Ämter',
  'receipt.roleSender': 'gibt Daten weiter',
  'receipt.roleRecipient': 'bekommt Daten',
  'receipt.legalBasis': 'Rechts-Grundlage',
  'receipt.withdrawal': 'So nehmen Sie die Einwilligung zurück',
  'receipt.noticeHash': 'Prüf-Summe des Textes, den Sie gelesen haben (SHA-256)',
  'receipt.download': 'Unterschriebene Datei herunterladen',
  'receipt.downloadHint':
    'Mit dieser Datei können Sie später zeigen, wozu Sie eingewilligt haben. Jeder kann die Unterschrift prüfen.',
  'receipt.print': 'Drucken: Nutzen Sie die Druck-Funktion Ihres Browsers.',
  'receipt.back': 'Zurück zu meinen Einwilligungen',

  'error.title': 'Etwas hat nicht geklappt',
  'error.notFound': 'Diese Seite gibt es nicht. Oder sie gehört nicht zu Ihnen.',
  'error.conflict': 'Das geht gerade nicht. Der Stand hat sich geändert.',
  'error.generic': 'Bitte versuchen Sie es später noch einmal.',
  'error.overloaded':
    'Das Portal ist gerade überlastet. Bitte warten Sie einen Moment. Dann versuchen Sie es noch einmal.',
  'error.reference': 'Fehler-Nummer für das Amt',
  'error.home': 'Zur Startseite',
  'nav.report': 'Bericht über meine Daten (Art. 15 DSGVO)',
  'report.download': 'Bericht herunterladen',
  'signIn.codeUsed':
    'Dieser Code wurde schon benutzt. Über die Anfrage ist schon entschieden. Sie möchten eine Einwilligung ansehen oder zurücknehmen? Dann nutzen Sie den Widerrufs-Code aus Ihrer Bestätigung. Oder melden Sie sich mit Ihrem Ausweis an. Oder sagen Sie es dem Amt.',
  'signIn.withdrawalTitle': 'Mit Widerrufs-Code anmelden',
  'signIn.withdrawalIntro':
    'Mit dem Widerrufs-Code aus Ihrer Bestätigung können Sie diese Einwilligung zurücknehmen. Sie sehen auch, wer Ihre Daten dafür bekommen hat. Und Sie können die Bestätigung noch einmal herunterladen.',
  'signIn.withdrawalCode': 'Widerrufs-Code',
  'signIn.withdrawalHint':
    'Der Widerrufs-Code steht auf Ihrer Bestätigung. Er sieht so aus: WXYZ-2345-ABCD-6789-EFGH',
  'signIn.withdrawalWrong': 'Der Widerrufs-Code stimmt nicht. Bitte prüfen Sie Ihre Eingabe.',
  'signIn.eidTitle': 'Mit dem Ausweis anmelden',
  'signIn.eidIntro':
    'Mit Ihrem Ausweis (Online-Ausweis) sehen Sie alle Ihre Anfragen und Einwilligungen. Sie sehen auch alles, was mit Ihren Daten passiert ist. Und Sie können einen Bericht über Ihre Daten herunterladen.',
  'signIn.eidButton': 'Mit dem Ausweis anmelden',
  'signIn.eidFailed':
    'Die Anmeldung mit dem Ausweis hat nicht geklappt. Bitte versuchen Sie es noch einmal.',
  'signIn.eidNoMatch':
    'Wir haben keine Anfragen für Sie gefunden. Vielleicht hat das Amt Ihren Namen und Ihr Geburtsdatum nicht eingetragen. Oder es hat sie anders geschrieben. Bitte fragen Sie beim Amt nach.',
  'signIn.eidUnavailable': 'Die Anmeldung mit dem Ausweis gibt es hier nicht.',
  'withdrawal.title': 'Ihr Widerrufs-Code',
  'withdrawal.intro':
    'Heben Sie diesen Code gut auf. Nur Sie haben diesen Code. Das Amt hat ihn nicht. Mit dem Code können Sie Ihre Einwilligung jederzeit zurücknehmen.',
  'withdrawal.print': 'Drucken Sie diese Seite aus. Oder schreiben Sie den Code auf.',
  'assurance.title': 'Hier müssen Sie sich mit dem Ausweis anmelden',
  'assurance.text':
    'Bei dieser Einwilligung geht es um Gesundheits-Daten oder um andere besonders geschützte Daten. Dafür verlangt das Gesetz einen sicheren Nachweis, wer Sie sind (§ 67b SGB X). Bitte melden Sie sich mit Ihrem Ausweis an. Dann entscheiden Sie.',
  'assurance.low': 'niedrig: Es ist nicht sicher, wer es war.',
  'assurance.substantial': 'mittel: Es ist ziemlich sicher, wer es war.',
  'assurance.high': 'hoch: Es ist sehr sicher, wer es war.',
  'channel.portal-code': 'im Portal, mit dem Code aus dem Brief',
  'channel.portal-eid': 'im Portal, mit dem Ausweis',
  'channel.assisted': 'beim Amt: Das Amt hat es eingetragen',
  'channel.paper': 'auf Papier',
  'consent.revokedBy': 'Zurückgenommen über: {channel}',
  'receipt.channel': 'So wurde eingewilligt',
  'receipt.assurance': 'Sicherheit der Anmeldung',
  'receipt.withdrawalCode': 'Widerrufs-Code',
  'receipt.withdrawalWays':
    'Im Portal mit Ihrem Widerrufs-Code oder mit Ihrem Ausweis. Oder Sie sagen es einem der Ämter. Das Amt trägt es ein.',
  'receipt.controllers': 'Wer ist verantwortlich?',
  'receipt.address': 'Adresse',
  'receipt.dpo': 'Datenschutz-Beauftragte',
  'receipt.retention': 'So lange darf das Amt die Daten aufheben',
  'receipt.retentionDays': 'höchstens {days} Tage',
  'receipt.complaint': 'Beschwerde bei der Datenschutz-Aufsicht',
  // Issue 17: the birth date in three fields, HTML error pages, links named by what they open.
  'signIn.dateHint': 'Zum Beispiel: 27 3 1990',
  'signIn.day': 'Tag',
  'signIn.month': 'Monat',
  'signIn.year': 'Jahr',
  'signIn.codeMissing': 'Bitte geben Sie den Code ein. Er steht in Ihrem Brief.',
  'signIn.dateMissing': 'Bitte geben Sie Ihr Geburtsdatum ein.',
  'signIn.dayMissing': 'Beim Geburtsdatum fehlt der Tag.',
  'signIn.monthMissing': 'Beim Geburtsdatum fehlt der Monat.',
  'signIn.yearMissing': 'Beim Geburtsdatum fehlt das Jahr.',
  'signIn.dayInvalid': 'Der Tag muss eine Zahl von 1 bis 31 sein.',
  'signIn.monthInvalid': 'Der Monat muss eine Zahl von 1 bis 12 sein.',
  'signIn.yearInvalid': 'Das Jahr muss 4 Ziffern haben. Zum Beispiel: 1990',
  'signIn.dateNotReal': 'Dieses Datum gibt es nicht. Bitte prüfen Sie den Tag und den Monat.',
  'signIn.dateFuture': 'Das Geburtsdatum muss in der Vergangenheit liegen.',
  'form.errorPrefix': 'Fehler',
  'error.notFoundTitle': 'Diese Seite gibt es nicht',
  'error.notFoundHelp':
    'Vielleicht ist die Adresse falsch geschrieben. Bitte prüfen Sie die Adresse. Oder beginnen Sie auf der Startseite.',
  'error.methodNotAllowed':
    'So kann man diese Seite nicht öffnen. Bitte beginnen Sie auf der Startseite.',
  'error.badRequest': 'Die Anfrage war nicht in Ordnung. Bitte versuchen Sie es noch einmal.',
  'error.forbidden': 'Diese Seite dürfen Sie nicht sehen. Bitte melden Sie sich an.',
  'error.rateLimited':
    'Es gab zu viele Anfragen. Bitte warten Sie einen Moment. Dann versuchen Sie es noch einmal.',
  'history.receiptLink': 'Bestätigung der Einwilligung für „{purpose}“ ansehen',
  'history.receiptLinkPlain': 'Bestätigung dieser Einwilligung ansehen',
  'consent.receiptFor': 'Bestätigung für „{purpose}“ ansehen',
  'consents.openLinkFor': 'Anfrage „{purpose}“ lesen und entscheiden',
} as const;

/** The keys every catalogue has. */
export type MessageKey = keyof typeof de;

/** A catalogue: one text for every key of the German one. */
export type Catalogue = Readonly<Record<MessageKey, string>>;
