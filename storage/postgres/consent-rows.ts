import type {
  Assurance,
  Channel,
  ConsentState,
  ConsentWithState,
  RequestState,
  RequestWithState,
  StateVersion,
} from '../../consent/index.ts';
import {
  toConsentRecord,
  toRequestRecord,
  toVersion,
  type ConsentRow as ConsentColumns,
  type RequestRow as RequestColumns,
} from '../rows/consent.ts';
import type { Row } from './database.ts';

/** The newest version of a ref, as the `v_*` columns the selects below add to each row. */
interface CurrentColumns extends Row {
  v_seq: number;
  v_version: number;
  v_state: string;
  v_at: string;
  v_actor: string;
  v_channel: Channel | null;
  v_assurance: Assurance | null;
}

export interface RequestRow extends RequestColumns, CurrentColumns {
  failed_attempts: number;
}

export type ConsentRow = ConsentColumns & CurrentColumns;

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

// The version's columns carry a `v_` prefix here: a consent has a channel and assurance of its own.
const currentOf = <S extends string>(row: CurrentColumns, refId: string): StateVersion<S> =>
  toVersion<S>({
    seq: row.v_seq,
    ref_id: refId,
    version: row.v_version,
    state: row.v_state,
    at: row.v_at,
    actor: row.v_actor,
    channel: row.v_channel,
    assurance: row.v_assurance,
  });

export function toRequest(row: RequestRow): RequestWithState {
  return {
    request: toRequestRecord(row),
    current: currentOf<RequestState>(row, row.id),
    failedAttempts: row.failed_attempts,
  };
}

export function toConsent(row: ConsentRow): ConsentWithState {
  return { consent: toConsentRecord(row), current: currentOf<ConsentState>(row, row.id) };
}
