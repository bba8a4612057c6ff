export type {
  ConsentEvent,
  EidSignIn,
  NextVersion,
  PortalAccess,
  ConsentRecord,
  ConsentRequestRecord,
  ConsentState,
  ConsentStore,
  ConsentWithState,
  PortalSession,
  RequestState,
  RequestWithState,
  StateVersion,
  SubjectRecord,
} from './ports.ts';
export type { ConsentDeps } from './deps.ts';
export { ASSURANCE_LEVELS, CHANNELS, meetsAssurance, higherAssurance } from './assurance.ts';
export type { Assurance, Channel } from './assurance.ts';
export { SESSION_IDLE_MS, MAX_SECOND_FACTOR_FAILURES, DEFAULT_CODE_LIFETIME_MS } from './deps.ts';
export { TenantHasher, tenantHmacKey } from './secrets.ts';
export { SubjectIdentifier, pseudonymOf, auditSubjectRef as auditSubjectRefOf } from './subject.ts';
export { ConsentRequestInput, createConsentRequest } from './requests.ts';
export { IdentityInput, identityHash, normaliseIdentity, normaliseName } from './identity.ts';
export type { CreatedConsentRequest } from './requests.ts';
export {
  openPortalSession,
  openWithdrawalSession,
  openEidSession,
  portalPerson,
  endPortalSession,
} from './portal-session.ts';
export {
  personsRequest,
  personsConsent,
  personsConsents,
  personsOpenRequests,
  personsHistory,
  reachesConsent,
  reachesRequest,
} from './portal-access.ts';
export type { PortalPerson, HistoryLine, TenantSubject } from './portal-access.ts';
export {
  grantRequest,
  declineRequest,
  revokeConsent,
  revokeDeclared,
  requestNotice,
} from './portal.ts';
export type { Grant, ShownNotice } from './portal.ts';
export { decideConsent, standingAt, effectiveState } from './decision.ts';
export type {
  ConsentDecision,
  ConsentFlow,
  ConsentReasonCode,
  ConsentStanding,
} from './decision.ts';
export { agencyConsentView, consentsNamingAgency, consentEventsFor } from './agency-view.ts';
export type { AgencyConsentView } from './agency-view.ts';
export { RECEIPT_TYP, RECEIPT_SCHEMA } from './receipt.ts';
export { consentNotice, noticeHash } from './notice.ts';
export type { ConsentNotice, NoticeSection } from './notice.ts';
export { normalizeCode } from './codes.ts';
export { expireDue } from './expiry.ts';
export { accessReport, eraseSubject, ownAccessReport } from './rights.ts';
export type { AccessReport } from './rights.ts';
