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
  type ConsentRow,
  type RequestRow,
} from './consent.ts';

// A request or consent read together with its newest version (its state) in one query, as the
// PostgreSQL and D1 adapters select it; each adapter writes its own join for that (a lateral
// subquery there, a correlated max(version) here), both answering the `v_*` columns below.

/** The newest version of a ref, as the `v_*` columns the adapters' selects add to each row. */
export interface CurrentColumns {
  v_seq: number;
  v_version: number;
  v_state: string;
  v_at: string;
  v_actor: string;
  v_channel: Channel | null;
  v_assurance: Assurance | null;
}

/** A request with its current version and failed attempts; `List` as in {@link RequestRow}. */
export interface RequestWithStateRow<List = readonly string[]>
  extends RequestRow<List>, CurrentColumns {
  failed_attempts: number;
}

/** A consent with its current version; `List` as in {@link ConsentRow}. */
export type ConsentWithStateRow<List = readonly string[]> = ConsentRow<List> & CurrentColumns;

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

export const toRequestWithState = (row: RequestWithStateRow): RequestWithState => ({
  request: toRequestRecord(row),
  current: currentOf<RequestState>(row, row.id),
  failedAttempts: row.failed_attempts,
});

export const toConsentWithState = (row: ConsentWithStateRow): ConsentWithState => ({
  consent: toConsentRecord(row),
  current: currentOf<ConsentState>(row, row.id),
});
