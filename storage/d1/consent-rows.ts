import type { ConsentWithState, RequestWithState } from '../../consent/index.ts';
import { parsedLists } from '../rows/consent.ts';
import {
  toConsentWithState,
  toRequestWithState,
  type ConsentWithStateRow,
  type RequestWithStateRow,
} from '../rows/consent-state.ts';

/** D1 keeps the lists as JSON text, as SQLite does. */
export type RequestRow = RequestWithStateRow<string>;
export type ConsentRow = ConsentWithStateRow<string>;

// The state is the newest version; one query answers a record with it, not one per row. D1 has no
// LATERAL join (PostgreSQL's form of this), so the newest version is matched by max(version).
const current = (alias: 'r' | 'c') => `JOIN consent_versions v ON v.ref_id = ${alias}.id
    AND v.version = (SELECT max(version) FROM consent_versions WHERE ref_id = ${alias}.id)`;
const VERSION = `v.seq AS v_seq, v.version AS v_version, v.state AS v_state, v.at AS v_at,
  v.actor AS v_actor, v.channel AS v_channel, v.assurance AS v_assurance`;

/** Requests (`r`) with their current version and failed attempts; append WHERE and ORDER BY. */
export const SELECT_REQUESTS = `SELECT r.*, ${VERSION},
    (SELECT count(*) FROM code_attempts a WHERE a.request_id = r.id) AS failed_attempts
  FROM consent_requests r ${current('r')}`;

/** Consents (`c`) with their current version; append WHERE and ORDER BY. */
export const SELECT_CONSENTS = `SELECT c.*, ${VERSION} FROM consents c ${current('c')}`;

export const toRequest = (row: RequestRow): RequestWithState =>
  toRequestWithState({ ...row, ...parsedLists(row) });

export const toConsent = (row: ConsentRow): ConsentWithState =>
  toConsentWithState({ ...row, ...parsedLists(row) });
