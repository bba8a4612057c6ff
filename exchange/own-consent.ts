import { decideConsent, type ConsentStore } from '../consent/index.ts';
import type { MailboxMessage, WithholdingReason } from './ports.ts';

/**
 * What a message's own consent says now. A message is delivered only under the consent its
 * attestation names, so fetch, webhook and sweep ask the same `decideConsent` a send asked, of
 * that one consent and the message's flow; at the same instant they cannot answer differently.
 *
 * - `covered`: it may be handed out;
 * - `ended`: revoked, expired or erased with its subject; the message is to be withheld, for
 *   `reason`;
 * - `not_in_force`: not yet valid (an instance whose clock lags the one that recorded the grant),
 *   or no longer matching the message: not handed out now, but nothing is destroyed for it.
 */
export type OwnConsent =
  | { readonly standing: 'covered' }
  | { readonly standing: 'ended'; readonly reason: WithholdingReason }
  | {
      readonly standing: 'not_in_force';
      readonly reasons: readonly { code: string; message: string }[];
    };

export async function ownConsent(
  consents: ConsentStore,
  message: Pick<
    MailboxMessage,
    'tenantId' | 'consentId' | 'sender' | 'recipient' | 'purpose' | 'categories'
  >,
  at: Date,
): Promise<OwnConsent> {
  const own = await consents.consent(message.tenantId, message.consentId);
  const decision = decideConsent(own ? [own] : [], message, at);
  if (decision.covered) return { standing: 'covered' };
  const codes = decision.reasons.map((r) => r.code);
  if (codes.includes('consent_expired')) return { standing: 'ended', reason: 'consent_expired' };
  if (own === undefined || codes.includes('consent_revoked'))
    return { standing: 'ended', reason: 'consent_revoked' };
  return { standing: 'not_in_force', reasons: decision.reasons };
}
