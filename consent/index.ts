export type {
  ConsentEvent,
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
export { SESSION_IDLE_MS, MAX_SECOND_FACTOR_FAILURES, DEFAULT_CODE_LIFETIME_MS } from './deps.ts';
export { TenantHasher } from './secrets.ts';
export { SubjectIdentifier, pseudonymOf, auditSubjectRef as auditSubjectRefOf } from './subject.ts';
export { ConsentRequestInput, createConsentRequest } from './requests.ts';
export type { CreatedConsentRequest } from './requests.ts';
export {
  openPortalSession,
  portalPerson,
  endPortalSession,
  personsRequest,
  grantRequest,
  declineRequest,
  personsConsents,
  personsOpenRequests,
  revokeConsent,
  effectiveState,
  requestNotice,
} from './portal.ts';
export type { PortalPerson, ShownNotice } from './portal.ts';
export { checkConsent } from './check.ts';
export type { ConsentQuestion, CoveringConsent } from './check.ts';
export { consentsNamingAgency, consentEventsFor } from './agency-view.ts';
export type { AgencyConsentView } from './agency-view.ts';
export { RECEIPT_TYP, RECEIPT_SCHEMA } from './receipt.ts';
export { consentNotice, noticeHash } from './notice.ts';
export type { ConsentNotice, NoticeSection } from './notice.ts';
export { normalizeCode } from './codes.ts';
export { expireDue } from './expiry.ts';
export { accessReport, eraseSubject, personsHistory } from './rights.ts';
export type { AccessReport } from './rights.ts';
