import type {
  Assurance,
  Channel,
  ConsentRecord,
  ConsentRequestRecord,
  ConsentState,
  ConsentWithState,
  RequestState,
  RequestWithState,
  StateVersion,
} from '../../consent/index.ts';
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

export interface RequestRow extends CurrentColumns {
  id: string;
  tenant_id: string;
  subject: string;
  requested_by: string;
  senders: string[];
  recipients: string[];
  purpose: string;
  categories: string[];
  valid_until: string;
  language: string;
  notice_text: string;
  notice_hash: string;
  code_hash: string;
  second_factor_hash: string;
  identity_hash: string | null;
  code_expires_at: string;
  created_at: string;
  failed_attempts: number;
}

export interface ConsentRow extends CurrentColumns {
  id: string;
  tenant_id: string;
  subject: string;
  request_id: string;
  senders: string[];
  recipients: string[];
  purpose: string;
  categories: string[];
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

function currentOf<S extends string>(row: CurrentColumns, refId: string): StateVersion<S> {
  return {
    seq: row.v_seq,
    refId,
    version: row.v_version,
    state: row.v_state as S,
    at: row.v_at,
    actor: row.v_actor,
    ...(row.v_channel === null ? {} : { channel: row.v_channel }),
    ...(row.v_assurance === null ? {} : { assurance: row.v_assurance }),
  };
}

export function toRequest(row: RequestRow): RequestWithState {
  const request: ConsentRequestRecord = {
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
  };
  return {
    request,
    current: currentOf<RequestState>(row, row.id),
    failedAttempts: row.failed_attempts,
  };
}

export function toConsent(row: ConsentRow): ConsentWithState {
  const consent: ConsentRecord = {
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
  };
  return { consent, current: currentOf<ConsentState>(row, row.id) };
}
