import { z } from 'zod';
import type { AuditLog } from '../audit/index.ts';
import {
  JoseEngineFailed,
  tenantPgpKey,
  type AuthenticatedPrincipal,
  type GatewaySigner,
  type PkiStore,
} from '../certs/index.ts';
import {
  auditSubjectRefOf,
  decideConsent,
  pseudonymOf,
  SubjectIdentifier,
  type ConsentStore,
  type TenantHasher,
} from '../consent/index.ts';
import { findMessageType, parseMessage, type ParsedMessage } from '../connectors/index.ts';
import {
  canonicalJson,
  GatewayError,
  isGatewayError,
  randomId,
  sha256,
  type Clock,
} from '../core/index.ts';
import { evaluate, PURPOSES, type PolicySet } from '../policies/index.ts';
import { sealForRecipient } from './envelope.ts';
import { verifiedSenderMessage } from './sender-jws.ts';
import type { ExchangeStore, MailboxMessage } from './ports.ts';

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
  const earlierResult = async (key: string) => {
    const earlier = await deps.exchanges.idempotent(tenantId, caller.id, key);
    if (!earlier) return undefined;
    if (earlier.requestHash !== requestHash) {
      await recordRefusedRequest(deps, caller, ['idempotency_key_reused']);
      throw new GatewayError('conflict', {
        detail: 'this Idempotency-Key was used for another request',
      });
    }
    return JSON.parse(earlier.response) as Accepted;
  };
  if (idempotencyKey !== undefined) {
    const earlier = await earlierResult(idempotencyKey);
    if (earlier) return earlier;
  }

  const subject = await pseudonymOf(deps.hasher, tenantId, input.subject);
  const subjectRef = await auditSubjectRefOf(
    { consents: deps.consents, masterKey: deps.masterKey },
    tenantId,
    subject,
  );
  const base = {
    actor: caller.id,
    sender: caller.id,
    purpose: input.purpose,
    policyVersion: `${deps.policy.version} ${deps.policy.hash}`,
    ...(subjectRef === undefined ? {} : { subjectRef }),
  };
  /** Audits a refusal that needs no consent decision and answers the error to throw. */
  const refused = async (
    reason: string,
    error: GatewayError,
    known: { recipient?: string; categories?: readonly string[] } = {},
  ): Promise<GatewayError> => {
    await deps.audit.append(tenantId, {
      ...base,
      ...(known.recipient === undefined ? {} : { recipient: known.recipient }),
      ...(known.categories === undefined ? {} : { categories: [...known.categories] }),
      event: 'exchange.refused',
      outcome: 'refused',
      reasons: [reason],
    });
    return error;
  };

  // 1. The sender's signature, by the very certificate it authenticated with.
  const senderCert = await deps.pki.certificateByFingerprint(caller.certificateFingerprint);
  if (!senderCert || caller.agencyType === null)
    throw await refused(
      'sender_not_an_agency',
      new GatewayError('forbidden', { detail: 'only agencies send' }),
    );
  let message: unknown;
  try {
    message = await verifiedSenderMessage(input.payload, senderCert.certificatePem);
  } catch (error) {
    if (error instanceof JoseEngineFailed) throw error;
    throw await refused(
      'signature_invalid',
      new GatewayError('validation_failed', {
        status: 422,
        detail:
          'payload must be a compact JWS over the message JSON, signed with your certificate key',
        errors: [
          { path: '/payload', message: 'signature does not verify with the sender certificate' },
        ],
      }),
    );
  }

  // 2. The message against its connector; categories from the fields present.
  let parsed: ParsedMessage;
  try {
    parsed = parseMessage(input.messageType, message);
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    throw await refused(
      findMessageType(input.messageType) ? 'message_invalid' : 'unknown_message_type',
      error,
    );
  }
  if (parsed.messageType.agencyType !== caller.agencyType) {
    throw await refused(
      'message_type_not_of_sender',
      new GatewayError('validation_failed', {
        errors: [
          {
            path: '/messageType',
            message: `a ${caller.agencyType} does not send ${input.messageType}`,
          },
        ],
      }),
      { categories: parsed.categories },
    );
  }
  const recipient = await deps.pki.principal(tenantId, input.recipient);
  if (recipient?.kind !== 'agency' || recipient.agencyType === null) {
    throw await refused(
      'unknown_recipient',
      new GatewayError('validation_failed', {
        errors: [{ path: '/recipient', message: 'unknown agency' }],
      }),
      { categories: parsed.categories },
    );
  }

  // 3. Consent ∩ policy.
  const now = deps.clock.now();
  const verdict = decideConsent(
    await deps.consents.consentsFor(tenantId, subject, input.purpose),
    {
      sender: caller.id,
      recipient: recipient.id,
      purpose: input.purpose,
      categories: parsed.categories,
    },
    now,
  );
  const decision = evaluate(
    deps.policy,
    verdict.covered ? { covered: true, categories: verdict.consent.consent.categories } : verdict,
    {
      sender: caller.id,
      senderType: caller.agencyType,
      recipient: recipient.id,
      recipientType: recipient.agencyType,
      purpose: input.purpose,
      fields: parsed.fields,
    },
  );
  const flow = { ...base, recipient: recipient.id, categories: [...parsed.categories] };
  if (!decision.allow || !verdict.covered) {
    if (decision.allow) throw new GatewayError('internal_error');
    await deps.audit.append(tenantId, {
      ...flow,
      event: 'exchange.refused',
      outcome: 'refused',
      code: decision.code,
      reasons: decision.reasons.map((r) => r.code),
    });
    throw new GatewayError(decision.code, {
      status: decision.code === 'fields_not_covered' ? 422 : 403,
      reasons: decision.reasons,
      ...(decision.fields.length > 0 ? { fields: decision.fields } : {}),
    });
  }

  // 4. Attest, sign, encrypt, queue and audit — one transaction.
  const { consent } = verdict;
  const { rule } = decision;
  const id = randomId('ex');
  const acceptedAt = now.toISOString();
  // Only a certificate valid now, not revoked; of several (a renewal), the newest.
  const recipientCert = (await deps.pki.certificatesOf(tenantId, recipient.id))
    .filter((c) => c.revokedAt === null && c.notBefore <= acceptedAt && acceptedAt <= c.notAfter)
    .sort(
      (a, b) => b.notBefore.localeCompare(a.notBefore) || b.createdAt.localeCompare(a.createdAt),
    )
    .at(0);
  if (!recipientCert)
    throw await refused(
      'recipient_certificate_invalid',
      new GatewayError('conflict', {
        detail: 'the recipient has no valid certificate to encrypt to',
      }),
      { recipient: recipient.id, categories: parsed.categories },
    );
  let sealed: { envelope: 'jwe' | 'openpgp'; ciphertext: string } | undefined;
  let response: Accepted | undefined;
  try {
    await deps.audit.record(
      tenantId,
      async (seq) => {
        const attestation = await deps.signer.sign(
          tenantId,
          {
            senderJws: input.payload,
            consentId: consent.consent.id,
            consentVersion: consent.current.version,
            policyVersion: `${deps.policy.version} ${deps.policy.hash}`,
            auditSeq: seq,
            acceptedAt,
            messageType: input.messageType,
            purpose: input.purpose,
            categories: [...parsed.categories],
          },
          ATTESTATION_TYP,
        );
        sealed = await sealForRecipient({
          recipient,
          certificatePem: recipientCert.certificatePem,
          attestationJws: attestation,
          pgpSigningKey: async () => (await tenantPgpKey(deps, tenantId)).privateKey,
          clock: deps.clock,
        });
        response = { id, status: 'queued', consentId: consent.consent.id, auditSeq: seq };
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
      },
      async (prepared) => {
        if (!sealed || !response) throw new GatewayError('internal_error');
        const queued: MailboxMessage = {
          id,
          tenantId,
          sender: caller.id,
          recipient: recipient.id,
          subject,
          consentId: consent.consent.id,
          messageType: input.messageType,
          purpose: input.purpose,
          categories: [...parsed.categories],
          envelope: sealed.envelope,
          ciphertext: sealed.ciphertext,
          ciphertextDigest: prepared.entry.ciphertextDigest ?? '',
          receivedAt: acceptedAt,
          retainUntil: new Date(now.getTime() + rule.retentionDays * 86_400_000).toISOString(),
          state: 'queued',
        };
        await deps.exchanges.accept(
          queued,
          prepared,
          idempotencyKey === undefined
            ? undefined
            : { key: idempotencyKey, requestHash, response: JSON.stringify(response) },
          recipient.webhookUrl === null
            ? undefined
            : {
                id: randomId('wh'),
                tenantId,
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
              },
        );
      },
    );
  } catch (error) {
    // A concurrent retry with the same key was queued first (its idempotency record won the
    // unique constraint, and this transaction rolled back whole): answer its result.
    if (idempotencyKey === undefined || !isGatewayError(error) || error.code !== 'conflict')
      throw error;
    const earlier = await earlierResult(idempotencyKey);
    if (earlier) return earlier;
    throw error;
  }
  if (!response) throw new GatewayError('internal_error');
  return response;
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
