import { z } from 'zod';
import type { AuditDraft, AuditLog, PreparedAppend } from '../audit/index.ts';
import {
  tenantPgpKey,
  type AuthenticatedPrincipal,
  type CertificateRecord,
  type GatewaySigner,
  type PkiStore,
} from '../certs/index.ts';
import {
  pseudonymOf,
  SubjectIdentifier,
  type ConsentStore,
  type TenantHasher,
} from '../consent/index.ts';
import {
  canonicalJson,
  GatewayError,
  isGatewayError,
  randomId,
  sha256,
  type Clock,
} from '../core/index.ts';
import { PURPOSES, type PolicySet } from '../policies/index.ts';
import { sealForRecipient } from './envelope.ts';
import type { ExchangeStore, MailboxMessage, WebhookNotification } from './ports.ts';
import {
  approvedFlow,
  auditedRefusal,
  auditedSend,
  checkedSend,
  recipientCertificate,
  type ApprovedFlow,
  type CheckedSend,
} from './send-checks.ts';

export const ATTESTATION_TYP = 'exchange-attestation+jwt';
const MAX_JWS = 900 * 1024;

/** The body of `POST /v1/exchanges`. */
export const ExchangeInput = z.strictObject({
  recipient: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/),
  subject: SubjectIdentifier,
  purpose: z.enum(PURPOSES),
  messageType: z.string().min(1).max(80),
  payload: z
    .string()
    .min(1)
    .max(MAX_JWS)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a compact JWS'),
});
export type ExchangeInput = z.infer<typeof ExchangeInput>;

export interface ExchangeDeps {
  readonly exchanges: ExchangeStore;
  readonly consents: ConsentStore;
  readonly pki: PkiStore;
  readonly hasher: TenantHasher;
  readonly signer: GatewaySigner;
  readonly audit: AuditLog;
  readonly policy: PolicySet;
  readonly clock: Clock;
  readonly masterKey: CryptoKey;
}

export interface Accepted {
  readonly id: string;
  readonly status: 'queued';
  readonly consentId: string;
  readonly auditSeq: number;
}

/**
 * The gateway's main job: a case message crosses from one office to another only when the
 * sender's signature holds, the message fits its connector, and a consent of the person and the
 * policy both cover sender, recipient, purpose, every field's category and the time. It is then
 * attested, signed, encrypted to the recipient and queued — and the acceptance audited — in one
 * transaction. Every refusal after authentication is audited too (`exchange.refused` with its
 * reason codes): a bad signature, an unknown or invalid message, a recipient that is not an
 * agency or has no valid certificate, as well as consent and policy refusals.
 */
export async function sendExchange(
  deps: ExchangeDeps,
  caller: AuthenticatedPrincipal,
  input: ExchangeInput,
  idempotencyKey?: string,
): Promise<Accepted> {
  const tenantId = caller.tenantId;
  const requestHash = await sha256(canonicalJson(input));
  if (idempotencyKey !== undefined) {
    const earlier = await earlierAcceptance(deps, caller, idempotencyKey, requestHash);
    if (earlier) return earlier;
  }

  const subject = await pseudonymOf(deps.hasher, tenantId, input.subject);
  const base = await auditedSend(deps, caller, input, subject);
  const refused = auditedRefusal(deps.audit, tenantId, base);
  const checked = await checkedSend(deps.pki, caller, input, refused);
  const approved = await approvedFlow(deps, caller, input, subject, checked, base);
  const id = randomId('ex');
  const acceptedAt = approved.now.toISOString();
  const recipientCert = await recipientCertificate(deps.pki, caller, checked, acceptedAt, refused);
  const exchange = { id, caller, input, subject, checked, approved, acceptedAt, recipientCert };
  const idempotency =
    idempotencyKey === undefined ? undefined : { key: idempotencyKey, requestHash };
  const sealing: Sealing = {};
  try {
    await deps.audit.record(
      tenantId,
      (seq) => attestedAcceptance(deps, exchange, seq, sealing),
      (prepared) => queueAccepted(deps, exchange, prepared, sealing, idempotency),
    );
  } catch (error) {
    // A concurrent retry with the same key was queued first (its idempotency record won the
    // unique constraint, and this transaction rolled back whole): answer its result.
    if (idempotencyKey === undefined || !isGatewayError(error) || error.code !== 'conflict')
      throw error;
    const earlier = await earlierAcceptance(deps, caller, idempotencyKey, requestHash);
    if (earlier) return earlier;
    throw error;
  }
  if (!sealing.response) throw new GatewayError('internal_error');
  return sealing.response;
}

/**
 * The answer to an earlier send under the same Idempotency-Key, if there was one. The key names
 * one request: reused for another, it is refused and audited.
 */
async function earlierAcceptance(
  deps: Pick<ExchangeDeps, 'exchanges' | 'audit'>,
  caller: AuthenticatedPrincipal,
  key: string,
  requestHash: string,
): Promise<Accepted | undefined> {
  const earlier = await deps.exchanges.idempotent(caller.tenantId, caller.id, key);
  if (!earlier) return undefined;
  if (earlier.requestHash !== requestHash) {
    await recordRefusedRequest(deps, caller, ['idempotency_key_reused']);
    throw new GatewayError('conflict', {
      detail: 'this Idempotency-Key was used for another request',
    });
  }
  return JSON.parse(earlier.response) as Accepted;
}

/** A send that passed every check, to be attested, sealed, queued and audited. */
interface AcceptedExchange {
  readonly id: string;
  readonly caller: AuthenticatedPrincipal;
  readonly input: ExchangeInput;
  /** The subject's pseudonym. */
  readonly subject: string;
  readonly checked: CheckedSend;
  readonly approved: ApprovedFlow;
  readonly acceptedAt: string;
  readonly recipientCert: CertificateRecord;
}

/**
 * What the acceptance's audit draft hands its commit. The draft may run again for another seq
 * (see `AuditLog.record`); the commit then takes what the last run sealed.
 */
interface Sealing {
  sealed?: { envelope: 'jwe' | 'openpgp'; ciphertext: string };
  response?: Accepted;
}

/**
 * The audit draft of an acceptance at `seq`: the attestation names its own audit seq, so it is
 * signed and sealed here, and the entry records the digest of the ciphertext the recipient gets.
 */
async function attestedAcceptance(
  deps: ExchangeDeps,
  exchange: AcceptedExchange,
  seq: number,
  sealing: Sealing,
): Promise<AuditDraft> {
  const { id, caller, input, checked, approved, acceptedAt } = exchange;
  const tenantId = caller.tenantId;
  const { consent, rule, flow } = approved;
  const attestation = await deps.signer.sign(
    tenantId,
    {
      senderJws: input.payload,
      consentId: consent.consent.id,
      consentVersion: consent.current.version,
      policyVersion: flow.policyVersion,
      auditSeq: seq,
      acceptedAt,
      messageType: input.messageType,
      purpose: input.purpose,
      categories: [...checked.parsed.categories],
    },
    ATTESTATION_TYP,
  );
  const sealed = await sealForRecipient({
    recipient: checked.recipient,
    certificatePem: exchange.recipientCert.certificatePem,
    attestationJws: attestation,
    pgpSigningKey: async () => (await tenantPgpKey(deps, tenantId)).privateKey,
    clock: deps.clock,
  });
  sealing.sealed = sealed;
  sealing.response = { id, status: 'queued', consentId: consent.consent.id, auditSeq: seq };
  return {
    ...flow,
    event: 'exchange.accepted',
    outcome: 'ok',
    exchangeId: id,
    consentId: consent.consent.id,
    consentVersion: consent.current.version,
    legalBasis: rule.legalBasis,
    ciphertextDigest: await sha256(sealed.ciphertext),
  };
}

/**
 * The commit of an acceptance: queues the sealed message for the recipient with its audit entry,
 * the idempotency record and, where the recipient has a webhook, its notification.
 */
async function queueAccepted(
  deps: Pick<ExchangeDeps, 'exchanges'>,
  exchange: AcceptedExchange,
  prepared: PreparedAppend,
  sealing: Sealing,
  idempotency: { key: string; requestHash: string } | undefined,
): Promise<void> {
  const { sealed, response } = sealing;
  if (!sealed || !response) throw new GatewayError('internal_error');
  await deps.exchanges.accept(
    queuedMessage(exchange, sealed, prepared.entry.ciphertextDigest ?? ''),
    prepared,
    idempotency === undefined ? undefined : { ...idempotency, response: JSON.stringify(response) },
    webhookNotification(exchange),
  );
}

function queuedMessage(
  exchange: AcceptedExchange,
  sealed: NonNullable<Sealing['sealed']>,
  ciphertextDigest: string,
): MailboxMessage {
  const { id, caller, input, checked, approved, acceptedAt } = exchange;
  return {
    id,
    tenantId: caller.tenantId,
    sender: caller.id,
    recipient: checked.recipient.id,
    subject: exchange.subject,
    consentId: approved.consent.consent.id,
    messageType: input.messageType,
    purpose: input.purpose,
    categories: [...checked.parsed.categories],
    envelope: sealed.envelope,
    ciphertext: sealed.ciphertext,
    ciphertextDigest,
    receivedAt: acceptedAt,
    retainUntil: new Date(
      approved.now.getTime() + approved.rule.retentionDays * 86_400_000,
    ).toISOString(),
    state: 'queued',
  };
}

/** The recipient's notification that a message waits; none without a webhook. */
function webhookNotification(exchange: AcceptedExchange): WebhookNotification | undefined {
  const { id, caller, input, checked, acceptedAt } = exchange;
  const { recipient } = checked;
  if (recipient.webhookUrl === null) return undefined;
  return {
    id: randomId('wh'),
    tenantId: caller.tenantId,
    recipient: recipient.id,
    url: recipient.webhookUrl,
    body: JSON.stringify({
      messageId: id,
      sender: caller.id,
      messageType: input.messageType,
      purpose: input.purpose,
      receivedAt: acceptedAt,
    }),
    attempts: 0,
    nextAttemptAt: acceptedAt,
  };
}

/**
 * Audits a send refused before its content could be read (the request failed its schema, or
 * reused an Idempotency-Key): who tried, when and why; nothing of the body.
 */
export async function recordRefusedRequest(
  deps: Pick<ExchangeDeps, 'audit'>,
  caller: AuthenticatedPrincipal,
  reasons: readonly string[],
): Promise<void> {
  await deps.audit.append(caller.tenantId, {
    actor: caller.id,
    sender: caller.id,
    event: 'exchange.refused',
    outcome: 'refused',
    reasons: [...reasons],
  });
}
