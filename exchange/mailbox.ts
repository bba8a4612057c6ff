import type { AuthenticatedPrincipal } from '../certs/index.ts';
import { auditSubjectRefOf } from '../consent/index.ts';
import { GatewayError } from '../core/index.ts';
import { ownConsent } from './own-consent.ts';
import type { ExchangeDeps } from './send.ts';
import type { AuditLog } from '../audit/index.ts';
import type { MailboxMessage, MailboxPosition, WithholdingReason } from './ports.ts';

/** A recipient's message, or 404 — exactly as for an id that does not exist — for anyone else's. */
async function ownMessage(
  deps: ExchangeDeps,
  caller: AuthenticatedPrincipal,
  id: string,
  options: { acknowledged?: boolean } = {},
): Promise<MailboxMessage> {
  const message = await deps.exchanges.message(caller.tenantId, id);
  if (
    message?.recipient !== caller.id ||
    (message.state === 'acknowledged' && options.acknowledged !== true) ||
    message.state === 'purged'
  ) {
    throw new GatewayError('not_found', { detail: 'no such message' });
  }
  return message;
}

/**
 * Why a transition of a waiting message did not happen: it was withheld meanwhile (410 with its
 * reason), or acknowledged or purged (404, as a message no longer there).
 */
async function changedMeanwhile(
  deps: ExchangeDeps,
  caller: AuthenticatedPrincipal,
  id: string,
): Promise<GatewayError> {
  const now = await deps.exchanges.message(caller.tenantId, id);
  if (now?.state === 'withheld') return withheldError(now.withheldReason);
  return new GatewayError('not_found', { detail: 'no such message' });
}

/** The caller's waiting messages, metadata only, oldest first; after `after` when given. */
export async function waitingMessages(
  deps: ExchangeDeps,
  caller: AuthenticatedPrincipal,
  after: MailboxPosition | undefined,
  limit: number,
): Promise<MailboxMessage[]> {
  return deps.exchanges.waiting(caller.tenantId, caller.id, after, limit);
}

/**
 * Hands a message's ciphertext to its recipient after checking the consent again: a message
 * whose consent was revoked or ended meanwhile is withheld (410), its ciphertext deleted. The
 * ciphertext is handed out only if the message's own move to `delivered` succeeded: a revocation
 * that withheld it between the consent check and that move wins, and the fetch answers 410.
 */
export async function fetchMessage(
  deps: ExchangeDeps,
  caller: AuthenticatedPrincipal,
  id: string,
): Promise<MailboxMessage> {
  const message = await ownMessage(deps, caller, id);
  if (message.state === 'withheld') throw withheldError(message.withheldReason);
  // The message's own consent decides, not any consent that happens to cover the flow: the
  // attestation names that consent, and a message is delivered at most until it ends.
  const own = await ownConsent(deps.consents, message, deps.clock.now());
  if (own.standing === 'not_in_force')
    throw new GatewayError('consent_missing', {
      detail: 'the consent of this message is not in force now',
      reasons: own.reasons,
    });
  if (own.standing === 'ended') {
    const withheld = await withhold(deps, message, own.reason, caller.id);
    // Withheld meanwhile by someone else (a revocation, the sweep): answer its reason.
    throw withheldError(
      withheld
        ? own.reason
        : ((await deps.exchanges.message(caller.tenantId, id))?.withheldReason ?? own.reason),
    );
  }
  const delivered = await deps.audit.record(
    caller.tenantId,
    {
      ...(await subjectRefOf(deps, message)),
      actor: caller.id,
      sender: message.sender,
      recipient: message.recipient,
      purpose: message.purpose,
      categories: [...message.categories],
      exchangeId: message.id,
      consentId: message.consentId,
      event: 'exchange.delivered',
      outcome: 'ok',
    },
    (prepared) =>
      deps.exchanges.transition(message.id, ['queued', 'delivered'], 'delivered', prepared),
  );
  if (!delivered) throw await changedMeanwhile(deps, caller, id);
  return message;
}

/**
 * The recipient confirms receipt; the gateway forgets the ciphertext. Idempotent: a repeat by the
 * recipient answers as the first did, and audits nothing more; anyone else still gets 404.
 */
export async function acknowledgeMessage(
  deps: ExchangeDeps,
  caller: AuthenticatedPrincipal,
  id: string,
): Promise<void> {
  const message = await ownMessage(deps, caller, id, { acknowledged: true });
  if (message.state === 'acknowledged') return;
  if (message.state === 'withheld') throw withheldError(message.withheldReason);
  const done = await deps.audit.record(
    caller.tenantId,
    {
      ...(await subjectRefOf(deps, message)),
      actor: caller.id,
      sender: message.sender,
      recipient: message.recipient,
      exchangeId: message.id,
      event: 'exchange.acknowledged',
      outcome: 'ok',
    },
    (prepared) =>
      deps.exchanges.transition(message.id, ['queued', 'delivered'], 'acknowledged', prepared),
  );
  if (done) return;
  // A concurrent acknowledgement by the same recipient is the same answer.
  const now = await deps.exchanges.message(caller.tenantId, id);
  if (now?.state === 'acknowledged') return;
  throw await changedMeanwhile(deps, caller, id);
}

/**
 * The subject reference for the audit entries that follow a message, so the person's history and
 * the access report see what became of it (delivered, withheld, purged), not only that it was sent.
 * Nothing after the subject's erasure.
 */
export async function subjectRefOf(
  deps: { consents: ExchangeDeps['consents']; masterKey: CryptoKey },
  message: Pick<MailboxMessage, 'tenantId' | 'subject'>,
): Promise<{ subjectRef?: string }> {
  const ref = await auditSubjectRefOf(deps, message.tenantId, message.subject);
  return ref === undefined ? {} : { subjectRef: ref };
}

/**
 * 410 with the reason the message was withheld for. Messages withheld before the reason was kept
 * (and not found in the audit log by migration 8) answer `consent_revoked`.
 */
function withheldError(reason: WithholdingReason | undefined): GatewayError {
  return new GatewayError(reason ?? 'consent_revoked', {
    detail:
      reason === 'consent_expired'
        ? 'the consent ended before delivery; the message was withheld and deleted'
        : 'the consent was revoked before delivery; the message was withheld and deleted',
  });
}

/** What withholding needs: the stores, the log and the key behind subject references. */
export interface WithholdDeps {
  readonly exchanges: ExchangeDeps['exchanges'];
  readonly consents: ExchangeDeps['consents'];
  readonly audit: AuditLog;
  readonly masterKey: CryptoKey;
}

/**
 * Withholds one waiting message — ciphertext deleted, reason kept — with its `exchange.withheld`
 * entry, in one transaction. False, and nothing audited, if it was no longer waiting.
 */
async function withhold(
  deps: WithholdDeps,
  message: MailboxMessage,
  reason: WithholdingReason,
  actor: string,
): Promise<boolean> {
  return deps.audit.record(
    message.tenantId,
    {
      ...(await subjectRefOf(deps, message)),
      event: 'exchange.withheld',
      actor,
      outcome: 'refused',
      reasons: [reason],
      sender: message.sender,
      recipient: message.recipient,
      purpose: message.purpose,
      categories: [...message.categories],
      exchangeId: message.id,
      consentId: message.consentId,
    },
    (prepared) => deps.exchanges.withhold(message.id, reason, prepared),
  );
}

/**
 * Withholds every message still waiting (queued, or fetched but not acknowledged) under a consent
 * — for a revocation, which takes effect at once for messages not yet delivered. Each message is
 * its own transaction with its `exchange.withheld` entry (actor `system`); a message acknowledged
 * meanwhile is left alone. Answers how many were withheld.
 *
 * @example
 * ```ts
 * const consent = await revokeConsent(consentDeps, person, consentId);
 * await withholdMessagesOf(exchangeDeps, person.tenantId, consentId, 'consent_revoked');
 * ```
 */
export async function withholdMessagesOf(
  deps: WithholdDeps,
  tenantId: string,
  consentId: string,
  reason: WithholdingReason,
): Promise<number> {
  let withheld = 0;
  for (const message of await deps.exchanges.waitingUnderConsent(tenantId, consentId)) {
    if (await withhold(deps, message, reason, 'system')) withheld++;
  }
  return withheld;
}

/**
 * The periodic sweep: withholds messages still waiting whose own consent no longer covers them —
 * past its `validUntil` (`consent_expired`), revoked without the revocation having withheld them,
 * or gone (`consent_revoked`). The store pre-selects candidates; the consent decision confirms
 * each. Fetches check consent themselves; this makes sure nothing that can no longer be delivered
 * keeps resting as ciphertext. Answers how many were withheld.
 */
export async function withholdEndedConsents(
  deps: WithholdDeps & { readonly clock: ExchangeDeps['clock'] },
  batch = 500,
): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.exchanges.waitingAfterConsentEnded(now.toISOString(), batch);
  let withheld = 0;
  for (const message of due) {
    const own = await ownConsent(deps.consents, message, now);
    if (own.standing === 'ended' && (await withhold(deps, message, own.reason, 'system')))
      withheld++;
  }
  return withheld;
}
