import type { AgencyType, Purpose } from '../../policies/index.ts';
import type { PageLanguage } from './messages.ts';

/**
 * Names of what the figures count, for a steering group: the administrative terms the offices use
 * among themselves (Ausländerbehörde, Arbeitsmarktintegration), not the plain-language labels of
 * `policies/labels.ts`, which speak to the person whose data it is. Keyed by the vocabulary's
 * types, so a new office type or purpose is a compile error here until it has a name.
 */
type Names<K extends string> = Readonly<Record<K, Readonly<Record<PageLanguage, string>>>>;

const OFFICE_TYPES: Names<AgencyType | 'unknown' | ''> = {
  immigration_office: { de: 'Ausländerbehörde', en: 'Immigration office (Ausländerbehörde)' },
  jobcenter: { de: 'Jobcenter', en: 'Jobcenter' },
  social_office: { de: 'Sozialamt', en: 'Social welfare office (Sozialamt)' },
  unknown: { de: 'Art unbekannt', en: 'Type unknown' },
  '': { de: 'nicht angegeben', en: 'not stated' },
};

const PURPOSES: Names<Purpose | ''> = {
  labour_market_integration: { de: 'Arbeitsmarktintegration', en: 'Labour-market integration' },
  benefit_eligibility: { de: 'Prüfung des Leistungsanspruchs', en: 'Benefit eligibility' },
  residence_procedure: { de: 'Aufenthaltsverfahren', en: 'Residence procedure' },
  language_course_allocation: { de: 'Sprachkurs-Zuweisung', en: 'Language course allocation' },
  case_management: { de: 'Fallmanagement', en: 'Case management' },
  '': { de: 'nicht angegeben', en: 'not stated' },
};

const MEASURES: Names<string> = {
  requested: { de: 'Ersuchen gestellt', en: 'Requested' },
  granted: { de: 'Einwilligung erteilt', en: 'Granted' },
  declined: { de: 'Abgelehnt', en: 'Declined' },
  expiredUndecided: { de: 'Unbeantwortet abgelaufen', en: 'Expired undecided' },
  revoked: { de: 'Widerrufen', en: 'Revoked' },
  accepted: { de: 'Übermittlung angenommen', en: 'Exchange accepted' },
  delivered: { de: 'Abgeholt', en: 'Delivered (fetched)' },
  acknowledged: { de: 'Empfang bestätigt', en: 'Acknowledged' },
  withheld: { de: 'Zurückgehalten', en: 'Withheld' },
  decisionDaysMedian: { de: 'Tage bis zur Entscheidung (Median)', en: 'Days to decision (median)' },
  decisionDaysP90: {
    de: 'Tage bis zur Entscheidung (90. Perzentil)',
    en: 'Days to decision (90th percentile)',
  },
  fetchHoursMedian: { de: 'Stunden bis zur Abholung (Median)', en: 'Hours to fetch (median)' },
  total: { de: 'Ablehnungen gesamt', en: 'All refusals' },
};

/** The reason codes refused sends are audited with: the gateway's error and refusal codes. */
const REASONS: Names<string> = {
  consent_missing: { de: 'Keine Einwilligung', en: 'No consent' },
  no_consent_for_purpose: {
    de: 'Keine Einwilligung für diesen Zweck',
    en: 'No consent for this purpose',
  },
  parties_not_covered: {
    de: 'Einwilligung nennt diese Stellen nicht',
    en: 'Consent does not name these offices',
  },
  consent_revoked: { de: 'Einwilligung widerrufen', en: 'Consent revoked' },
  consent_expired: { de: 'Einwilligung abgelaufen', en: 'Consent expired' },
  consent_not_yet_valid: { de: 'Einwilligung noch nicht gültig', en: 'Consent not yet valid' },
  categories_not_covered: {
    de: 'Datenarten nicht von der Einwilligung gedeckt',
    en: 'Data categories not covered by the consent',
  },
  fields_not_covered: {
    de: 'Felder nicht von Einwilligung und Regelwerk gedeckt',
    en: 'Fields not covered by consent and policy',
  },
  policy_denied: { de: 'Regelwerk erlaubt den Fluss nicht', en: 'Policy does not allow the flow' },
  no_rule: { de: 'Keine Regel für diesen Fluss', en: 'No policy rule for this flow' },
  assurance_insufficient: { de: 'Identitätsnachweis zu schwach', en: 'Proof of identity too weak' },
  validation_failed: { de: 'Anfrage fehlerhaft', en: 'Request failed validation' },
  malformed_json: { de: 'Kein gültiges JSON', en: 'Body is not valid JSON' },
  payload_too_large: { de: 'Anfrage zu groß', en: 'Request too large' },
  unsupported_media_type: { de: 'Falsches Datenformat', en: 'Unsupported media type' },
  signature_invalid: { de: 'Signatur ungültig', en: 'Signature invalid' },
  message_invalid: {
    de: 'Nachricht passt nicht zum Format',
    en: 'Message does not fit its format',
  },
  unknown_message_type: { de: 'Unbekannte Nachrichtenart', en: 'Unknown message type' },
  message_type_not_of_sender: {
    de: 'Nachrichtenart passt nicht zur sendenden Behörde',
    en: 'Message type not sent by this office type',
  },
  unknown_recipient: { de: 'Empfänger unbekannt', en: 'Unknown recipient' },
  sender_not_an_agency: { de: 'Absender ist keine Behörde', en: 'Sender is not an office' },
  idempotency_key_reused: {
    de: 'Idempotenz-Schlüssel wiederverwendet',
    en: 'Idempotency key reused',
  },
  forbidden: { de: 'Nicht erlaubt', en: 'Not allowed' },
  conflict: { de: 'Widerspruch zum Stand', en: 'Conflict with the current state' },
  rate_limited: { de: 'Zu viele Anfragen', en: 'Too many requests' },
  unknown: { de: 'Ohne Angabe', en: 'Not stated' },
};

const named = (names: Names<string>, id: string, language: PageLanguage): string | undefined =>
  Object.hasOwn(names, id) ? names[id]?.[language] : undefined;

/** An office type's name; an id the vocabulary does not know is shown as it is. */
export const officeTypeName = (id: string, language: PageLanguage): string =>
  named(OFFICE_TYPES, id, language) ?? id;

export const purposeName = (id: string, language: PageLanguage): string =>
  named(PURPOSES, id, language) ?? id;

/** A measure's name: counts, statistics, and `total` (all refusals). */
export const measureName = (id: string, language: PageLanguage): string =>
  named(MEASURES, id, language) ?? id;

/**
 * A refusal reason in words, or undefined for a code without a name, which the page then shows
 * as the code alone. The code itself always stands beside the words: it is what the logs, the
 * API and the offices' error messages say.
 */
export const reasonName = (code: string, language: PageLanguage): string | undefined =>
  named(REASONS, code, language);
