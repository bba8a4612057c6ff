import type { AuditLog } from '../audit/index.ts';
import {
  JoseEngineFailed,
  type AgencyType,
  type AuthenticatedPrincipal,
  type CertificateRecord,
  type PkiStore,
  type Principal,
} from '../certs/index.ts';
import { auditSubjectRefOf, decideConsent, type ConsentWithState } from '../consent/index.ts';
import { findMessageType, parseMessage, type ParsedMessage } from '../connectors/index.ts';
import { GatewayError, isGatewayError } from '../core/index.ts';
import { evaluate, type PolicyRule } from '../policies/index.ts';
import type { ExchangeDeps, ExchangeInput } from './send.ts';
import { verifiedSenderMessage } from './sender-jws.ts';

/** What every audit entry of one send names: who sends, for which purpose, under which policy. */
export interface AuditedSend {
  readonly actor: string;
  readonly sender: string;
  readonly purpose: string;
  readonly policyVersion: string;
  readonly subjectRef?: string;
}

/** The audited fields of a send once its recipient and categories are known. */
export type AuditedFlow = AuditedSend & {
  readonly recipient: string;
  readonly categories: readonly string[];
};

/** Audits a refusal that needs no consent decision and answers the error to throw. */
export type RefuseSend = (
  reason: string,
  error: GatewayError,
  known?: { recipient?: string; categories?: readonly string[] },
) => Promise<GatewayError>;

/** A send whose signature, message and recipient hold; the consent decision is still to come. */
export interface CheckedSend {
  readonly senderType: AgencyType;
  readonly parsed: ParsedMessage;
  readonly recipient: Principal;
  readonly recipientType: AgencyType;
}

/** A send that consent and policy both allow, as decided at `now`. */
export interface ApprovedFlow {
  readonly now: Date;
  readonly consent: ConsentWithState;
  readonly rule: PolicyRule;
  readonly flow: AuditedFlow;
}

/**
 * The fields every audit entry of this send starts with; `subjectRef` only for a person the
 * gateway knows.
 */
export async function auditedSend(
  deps: Pick<ExchangeDeps, 'consents' | 'masterKey' | 'policy'>,
  caller: AuthenticatedPrincipal,
  input: ExchangeInput,
  subject: string,
): Promise<AuditedSend> {
  const subjectRef = await auditSubjectRefOf(
    { consents: deps.consents, masterKey: deps.masterKey },
    caller.tenantId,
    subject,
  );
  return {
    actor: caller.id,
    sender: caller.id,
    purpose: input.purpose,
    policyVersion: `${deps.policy.version} ${deps.policy.hash}`,
    ...(subjectRef === undefined ? {} : { subjectRef }),
  };
}

/** The send's {@link RefuseSend}: each refusal one `exchange.refused` entry with its reason. */
export function auditedRefusal(audit: AuditLog, tenantId: string, base: AuditedSend): RefuseSend {
  return async (reason, error, known = {}) => {
    await audit.append(tenantId, {
      ...base,
      ...(known.recipient === undefined ? {} : { recipient: known.recipient }),
      ...(known.categories === undefined ? {} : { categories: [...known.categories] }),
      event: 'exchange.refused',
      outcome: 'refused',
      reasons: [reason],
    });
    return error;
  };
}

/**
 * The message the sender signed, verified with the very certificate it authenticated with; only
 * an agency sends. A failure of the JOSE engine itself is no refusal of the sender and passes on.
 */
async function signedMessage(
  pki: PkiStore,
  caller: AuthenticatedPrincipal,
  input: ExchangeInput,
  refused: RefuseSend,
): Promise<{ senderType: AgencyType; message: unknown }> {
  const senderCert = await pki.certificateByFingerprint(caller.certificateFingerprint);
  if (!senderCert || caller.agencyType === null)
    throw await refused(
      'sender_not_an_agency',
      new GatewayError('forbidden', { detail: 'only agencies send' }),
    );
  try {
    const message = await verifiedSenderMessage(input.payload, senderCert.certificatePem);
    return { senderType: caller.agencyType, message };
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
}

/**
 * Checks what needs no consent: the sender's signature, the message against its connector (which
 * also gives the categories of the fields present) and that the recipient is an agency.
 */
export async function checkedSend(
  pki: PkiStore,
  caller: AuthenticatedPrincipal,
  input: ExchangeInput,
  refused: RefuseSend,
): Promise<CheckedSend> {
  const { senderType, message } = await signedMessage(pki, caller, input, refused);
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
  if (parsed.messageType.agencyType !== senderType) {
    throw await refused(
      'message_type_not_of_sender',
      new GatewayError('validation_failed', {
        errors: [
          { path: '/messageType', message: `a ${senderType} does not send ${input.messageType}` },
        ],
      }),
      { categories: parsed.categories },
    );
  }
  const recipient = await pki.principal(caller.tenantId, input.recipient);
  if (recipient?.kind !== 'agency' || recipient.agencyType === null) {
    throw await refused(
      'unknown_recipient',
      new GatewayError('validation_failed', {
        errors: [{ path: '/recipient', message: 'unknown agency' }],
      }),
      { categories: parsed.categories },
    );
  }
  return { senderType, parsed, recipient, recipientType: recipient.agencyType };
}

/**
 * Consent ∩ policy: the flow passes only where a consent of the person and a policy rule both
 * cover it. A refusal is audited with the decision's code and every reason, and answered with them.
 */
export async function approvedFlow(
  deps: Pick<ExchangeDeps, 'consents' | 'policy' | 'clock' | 'audit'>,
  caller: AuthenticatedPrincipal,
  input: ExchangeInput,
  subject: string,
  checked: CheckedSend,
  base: AuditedSend,
): Promise<ApprovedFlow> {
  const { parsed, recipient } = checked;
  const now = deps.clock.now();
  const verdict = decideConsent(
    await deps.consents.consentsFor(caller.tenantId, subject, input.purpose),
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
      senderType: checked.senderType,
      recipient: recipient.id,
      recipientType: checked.recipientType,
      purpose: input.purpose,
      fields: parsed.fields,
    },
  );
  const flow = { ...base, recipient: recipient.id, categories: [...parsed.categories] };
  if (!decision.allow || !verdict.covered) {
    if (decision.allow) throw new GatewayError('internal_error');
    await deps.audit.append(caller.tenantId, {
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
  return { now, consent: verdict.consent, rule: decision.rule, flow };
}

/**
 * The certificate to encrypt to: valid at `acceptedAt` and not revoked; of several (a renewal),
 * the newest.
 */
export async function recipientCertificate(
  pki: PkiStore,
  caller: AuthenticatedPrincipal,
  checked: CheckedSend,
  acceptedAt: string,
  refused: RefuseSend,
): Promise<CertificateRecord> {
  const { recipient, parsed } = checked;
  const recipientCert = (await pki.certificatesOf(caller.tenantId, recipient.id))
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
  return recipientCert;
}
