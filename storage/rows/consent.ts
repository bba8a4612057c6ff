import type {
  Assurance,
  Channel,
  ConsentEvent,
  ConsentRecord,
  ConsentRequestRecord,
  NextVersion,
  StateVersion,
} from '../../consent/index.ts';

// The consent tables' rows as SQLite and PostgreSQL both hand them over, and the records they
// map to. The lists differ by driver: PostgreSQL answers `text[]` as arrays, SQLite keeps JSON
// text, which its adapter parses before the mappers here.

/** The agency and category lists of a request or consent; `List` is how the driver holds one. */
export interface ListColumns<List = readonly string[]> {
  senders: List;
  recipients: List;
  categories: List;
}

export interface RequestRow<List = readonly string[]> extends ListColumns<List> {
  id: string;
  tenant_id: string;
  subject: string;
  requested_by: string;
  purpose: string;
  valid_until: string;
  language: string;
  notice_text: string;
  notice_hash: string;
  code_hash: string;
  second_factor_hash: string;
  identity_hash: string | null;
  code_expires_at: string;
  created_at: string;
}

export interface ConsentRow<List = readonly string[]> extends ListColumns<List> {
  id: string;
  tenant_id: string;
  subject: string;
  request_id: string;
  purpose: string;
  valid_from: string;
  valid_until: string;
  language: string;
  notice_hash: string;
  notice_text: string | null;
  channel: Channel;
  assurance: Assurance;
  withdrawal_code_hash: string | null;
  receipt_id: string;
  receipt: string;
  created_at: string;
}

/** A row of `consent_versions`, as far as a StateVersion needs it. */
export interface VersionRow {
  seq: number;
  ref_id: string;
  version: number;
  state: string;
  at: string;
  actor: string;
  channel: Channel | null;
  assurance: Assurance | null;
}

/** A version with the purpose of its request or consent, as the agencies' event feed reads it. */
export interface EventRow {
  seq: number;
  kind: 'request' | 'consent';
  ref_id: string;
  version: number;
  state: string;
  at: string;
  actor: string;
  purpose: string;
}

export const toRequestRecord = (row: RequestRow): ConsentRequestRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  subject: row.subject,
  requestedBy: row.requested_by,
  senders: row.senders,
  recipients: row.recipients,
  purpose: row.purpose,
  categories: row.categories,
  validUntil: row.valid_until,
  language: row.language,
  noticeText: row.notice_text,
  noticeHash: row.notice_hash,
  codeHash: row.code_hash,
  secondFactorHash: row.second_factor_hash,
  ...(row.identity_hash === null ? {} : { identityHash: row.identity_hash }),
  codeExpiresAt: row.code_expires_at,
  createdAt: row.created_at,
});

export const toConsentRecord = (row: ConsentRow): ConsentRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  subject: row.subject,
  requestId: row.request_id,
  senders: row.senders,
  recipients: row.recipients,
  purpose: row.purpose,
  categories: row.categories,
  validFrom: row.valid_from,
  validUntil: row.valid_until,
  language: row.language,
  noticeHash: row.notice_hash,
  ...(row.notice_text === null ? {} : { noticeText: row.notice_text }),
  channel: row.channel,
  assurance: row.assurance,
  ...(row.withdrawal_code_hash === null ? {} : { withdrawalCodeHash: row.withdrawal_code_hash }),
  receiptId: row.receipt_id,
  receipt: row.receipt,
  createdAt: row.created_at,
});

export const toVersion = <S extends string>(row: VersionRow): StateVersion<S> => ({
  seq: row.seq,
  refId: row.ref_id,
  version: row.version,
  state: row.state as S,
  at: row.at,
  actor: row.actor,
  ...(row.channel === null ? {} : { channel: row.channel }),
  ...(row.assurance === null ? {} : { assurance: row.assurance }),
});

export const toEvent = (row: EventRow): ConsentEvent => ({
  seq: row.seq,
  kind: row.kind,
  refId: row.ref_id,
  version: row.version,
  state: row.state,
  at: row.at,
  actor: row.actor,
  purpose: row.purpose,
});

/** The columns {@link versionValues} fills, in its order. */
export const VERSION_COLUMNS =
  'tenant_id, kind, ref_id, version, state, at, actor, channel, assurance';

/** The values of a new `consent_versions` row, in the order of {@link VERSION_COLUMNS}. */
export const versionValues = (
  tenantId: string,
  kind: 'request' | 'consent',
  refId: string,
  version: number,
  next: NextVersion<string>,
) => [
  tenantId,
  kind,
  refId,
  version,
  next.state,
  next.at,
  next.actor,
  next.channel ?? null,
  next.assurance ?? null,
];
