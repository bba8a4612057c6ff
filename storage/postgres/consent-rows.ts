import {
  toConsentWithState,
  toRequestWithState,
  type ConsentWithStateRow,
  type RequestWithStateRow,
} from '../rows/consent-state.ts';

export type RequestRow = RequestWithStateRow;
export type ConsentRow = ConsentWithStateRow;

/** PostgreSQL answers `text[]` lists as arrays: its rows go to the shared mappers as they are. */
export const toRequest = toRequestWithState;
export const toConsent = toConsentWithState;

// The state is the newest version; one query answers a record with it, not one per row.
const current = (alias: 'r' | 'c') => `CROSS JOIN LATERAL (
    SELECT seq AS v_seq, version AS v_version, state AS v_state, at AS v_at, actor AS v_actor,
      channel AS v_channel, assurance AS v_assurance
    FROM consent_versions cv WHERE cv.tenant_id = ${alias}.tenant_id AND cv.ref_id = ${alias}.id
    ORDER BY cv.version DESC LIMIT 1) v`;

/** Requests (`r`) with their current version and failed attempts; append WHERE and ORDER BY. */
export const SELECT_REQUESTS = `SELECT r.*, v.*,
    (SELECT count(*)::int FROM code_attempts a WHERE a.request_id = r.id) AS failed_attempts
  FROM consent_requests r ${current('r')}`;

/** Consents (`c`) with their current version; append WHERE and ORDER BY. */
export const SELECT_CONSENTS = `SELECT c.*, v.*
  FROM consents c ${current('c')}`;
