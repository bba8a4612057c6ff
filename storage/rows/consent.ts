import type {
  Assurance,
  Channel,
  ConsentEvent,
  ConsentRecord,
  ConsentRequestRecord,
  NextVersion,
  StateVersion,
} from '../../consent/index.ts';

// The consent tables' rows as SQLite, PostgreSQL and D1 hand them over, and the records they
// map to. The lists differ by driver: PostgreSQL answers `text[]` as arrays, SQLite and D1 keep
// JSON text, which their adapters parse ({@link parsedLists}) before the mappers here.

/** The agency and category lists of a request or consent; `List` is how the driver holds one. */
export interface ListColumns<List = readonly string[]> {
  senders: List;
  recipients: List;
  categories: List;
}

/** The lists as SQLite and D1 keep them, JSON text, as the mappers here take them. */
export const parsedLists = (row: ListColumns<string>): ListColumns => ({
  senders: JSON.parse(row.senders) as string[],
  recipients: JSON.parse(row.recipients) as string[],
  categories: JSON.parse(row.categories) as string[],
});

/** The lists as SQLite and D1 keep them: JSON text. */
export const listsAsJson = (record: ListColumns): ListColumns<string> => ({
  senders: JSON.stringify(record.senders),
  recipients: JSON.stringify(record.recipients),
  categories: JSON.stringify(record.categories),
});

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

/** The columns {@link requestValues} fills, in its order. */
export const REQUEST_COLUMNS = `id, tenant_id, subject, requested_by, senders, recipients, purpose,
  categories, valid_until, language, notice_text, notice_hash, code_hash, second_factor_hash,
  identity_hash, code_expires_at, created_at`;

/**
 * The values of a new `consent_requests` row, in the order of {@link REQUEST_COLUMNS}, with the
 * lists as the driver keeps them (arrays for PostgreSQL, {@link listsAsJson} for D1).
 */
export const requestValues = <List>(r: ConsentRequestRecord, lists: ListColumns<List>) => [
  r.id,
  r.tenantId,
  r.subject,
  r.requestedBy,
  lists.senders,
  lists.recipients,
  r.purpose,
  lists.categories,
  r.validUntil,
  r.language,
  r.noticeText,
  r.noticeHash,
  r.codeHash,
  r.secondFactorHash,
  r.identityHash ?? null,
  r.codeExpiresAt,
  r.createdAt,
];

/** The columns {@link consentValues} fills, in its order. */
export const CONSENT_COLUMNS = `id, tenant_id, subject, request_id, senders, recipients, purpose,
  categories, valid_from, valid_until, language, notice_hash, notice_text, channel, assurance,
  withdrawal_code_hash, receipt_id, receipt, created_at`;

/** The values of a new `consents` row, in the order of {@link CONSENT_COLUMNS}; lists as above. */
export const consentValues = <List>(c: ConsentRecord, lists: ListColumns<List>) => [
  c.id,
  c.tenantId,
  c.subject,
  c.requestId,
  lists.senders,
  lists.recipients,
  c.purpose,
  lists.categories,
  c.validFrom,
  c.validUntil,
  c.language,
  c.noticeHash,
  c.noticeText ?? null,
  c.channel,
  c.assurance,
  c.withdrawalCodeHash ?? null,
  c.receiptId,
  c.receipt,
  c.createdAt,
];
