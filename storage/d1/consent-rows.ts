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
  type ListColumns,
  type RequestRow as RequestColumns,
} from '../rows/consent.ts';

/** The newest version of a ref, as the `v_*` columns the selects below add to each row. */
interface CurrentColumns {
  v_seq: number;
  v_version: number;
  v_state: string;
  v_at: string;
  v_actor: string;
  v_channel: Channel | null;
  v_assurance: Assurance | null;
}

/** D1 keeps the lists as JSON text, as SQLite does. */
export interface RequestRow extends RequestColumns<string>, CurrentColumns {
  failed_attempts: number;
}

export type ConsentRow = ConsentColumns<string> & CurrentColumns;

// The state is the newest version; one query answers a record with it, not one per row.
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

const parsedLists = (row: ListColumns<string>): ListColumns => ({
  senders: JSON.parse(row.senders) as string[],
  recipients: JSON.parse(row.recipients) as string[],
  categories: JSON.parse(row.categories) as string[],
});

/** The lists as D1 keeps them: JSON text. */
export const listsAsJson = (record: ListColumns): ListColumns<string> => ({
  senders: JSON.stringify(record.senders),
  recipients: JSON.stringify(record.recipients),
  categories: JSON.stringify(record.categories),
});

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
    request: toRequestRecord({ ...row, ...parsedLists(row) }),
    current: currentOf<RequestState>(row, row.id),
    failedAttempts: row.failed_attempts,
  };
}

export function toConsent(row: ConsentRow): ConsentWithState {
  return {
    consent: toConsentRecord({ ...row, ...parsedLists(row) }),
    current: currentOf<ConsentState>(row, row.id),
  };
}
