import type { AuthenticatedPrincipal } from '../certs/index.ts';
import { auditSubjectRefOf, checkConsent } from '../consent/index.ts';
import { GatewayError, isGatewayError } from '../core/index.ts';
import type { ExchangeDeps } from './send.ts';
import type { MailboxMessage } from './ports.ts';

/** A recipient's message, or 404 — exactly as for an id that does not exist — for anyone else's. */
async function ownMessage(
  deps: ExchangeDeps,
  caller: AuthenticatedPrincipal,
  id: string,
): Promise<MailboxMessage> {
  const message = await deps.exchanges.message(caller.tenantId, id);
  if (
    message?.recipient !== caller.id ||
    message.state === 'acknowledged' ||
    message.state === 'purged'
  ) {
    throw new GatewayError('not_found', { detail: 'no such message' });
  }
  return message;
}

/** The caller's waiting messages, metadata only, oldest first. */
export async function waitingMessages(
  deps: ExchangeDeps,
  caller: AuthenticatedPrincipal,
  after: string,
  limit: number,
): Promise<MailboxMessage[]> {
  return deps.exchanges.waiting(caller.tenantId, caller.id, after, limit);
}

/**
 * Hands a message's ciphertext to its recipient after checking the consent again: a message
 * whose consent was revoked or ended meanwhile is withheld (410), its ciphertext deleted.
 */
export async function fetchMessage(
  deps: ExchangeDeps,
  caller: AuthenticatedPrincipal,
  id: string,
): Promise<MailboxMessage> {
  const message = await ownMessage(deps, caller, id);
  const base = {
    ...(await subjectRefOf(deps, message)),
    actor: caller.id,
    sender: message.sender,
    recipient: message.recipient,
    purpose: message.purpose,
    categories: [...message.categories],
    exchangeId: message.id,
    consentId: message.consentId,
  };
  if (message.state === 'withheld') {
    throw new GatewayError('consent_revoked', {
      detail: 'the message was withheld: its consent ended',
    });
  }
  try {
    await checkConsent(deps.consents, deps.clock, {
      tenantId: caller.tenantId,
      subject: message.subject,
      sender: message.sender,
      recipient: message.recipient,
      purpose: message.purpose,
      categories: message.categories,
    });
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    const code = error.code === 'consent_expired' ? 'consent_expired' : 'consent_revoked';
    await deps.audit.record(
      caller.tenantId,
      { ...base, event: 'exchange.withheld', outcome: 'refused', reasons: [error.code] },
      (prepared) =>
        deps.exchanges.transition(message.id, ['queued', 'delivered'], 'withheld', prepared),
    );
    throw new GatewayError(code, {
      status: 410,
      detail: 'the consent ended before delivery; the message was deleted',
    });
  }
  await deps.audit.record(
    caller.tenantId,
    { ...base, event: 'exchange.delivered', outcome: 'ok' },
    (prepared) =>
      deps.exchanges.transition(message.id, ['queued', 'delivered'], 'delivered', prepared),
  );
  return message;
}

/** The recipient confirms receipt; the gateway forgets the ciphertext. */
export async function acknowledgeMessage(
  deps: ExchangeDeps,
  caller: AuthenticatedPrincipal,
  id: string,
): Promise<void> {
  const message = await ownMessage(deps, caller, id);
  if (message.state === 'withheld') throw new GatewayError('consent_revoked', { status: 410 });
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
  if (!done) throw new GatewayError('conflict', { detail: 'the message changed meanwhile' });
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
