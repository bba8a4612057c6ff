import type { GatewaySigner } from '../certs/index.ts';
import type { ConsentStore } from '../consent/index.ts';
import type { Clock } from '../core/index.ts';
import { ownConsent } from './own-consent.ts';
import type { ExchangeStore, WebhookNotification } from './ports.ts';

export const NOTIFICATION_TYP = 'mailbox-notification+jwt';
export const MAX_ATTEMPTS = 10;
const TIMEOUT_MS = 5000;
/**
 * How long a claimed notification stays out of other instances' reach: well past the POST
 * timeout, so only an instance that died (or stalled) mid-delivery leaves it to the next claimer.
 */
export const LEASE_MS = 60_000;

/** Backoff after the n-th failed attempt: 30 s, 1 min, 2 min, … capped at one hour. */
export const backoffMs = (attempts: number): number =>
  Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

/**
 * Tells agencies that a message waits: POSTs a compact JWS by the gateway (`application/jose`,
 * typ `mailbox-notification+jwt`, key in the JWKS) with message id and metadata, never content or
 * the person. A failure only schedules a retry; the message itself waits in the mailbox either
 * way. A message that can no longer be fetched (acknowledged, withheld, purged, or its own consent
 * no longer covering it) is not announced: its notification is given up unsent. Each notification
 * is claimed for {@link LEASE_MS} before it is sent, so instances delivering at once POST it once.
 * Answers how many were delivered.
 */
export async function deliverNotifications(deps: NotifyDeps): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.exchanges.claimNotifications(
    now.toISOString(),
    new Date(now.getTime() + LEASE_MS).toISOString(),
    100,
  );
  let delivered = 0;
  for (const n of due) {
    if (!(await fetchable(deps, n))) {
      await deps.exchanges.notificationAttempt(n.id, { delivered: false, nextAttemptAt: null });
      continue;
    }
    let ok = false;
    try {
      const jws = await deps.signer.sign(
        n.tenantId,
        { ...(JSON.parse(n.body) as object), recipient: n.recipient, notificationId: n.id },
        NOTIFICATION_TYP,
      );
      const res = await deps.fetch(n.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/jose' },
        body: jws,
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      ok = res.ok;
      await res.body?.cancel();
    } catch {
      ok = false;
    }
    const attempts = n.attempts + 1;
    if (ok) delivered++;
    await deps.exchanges.notificationAttempt(
      n.id,
      ok
        ? { delivered: true }
        : {
            delivered: false,
            nextAttemptAt:
              attempts >= MAX_ATTEMPTS
                ? null
                : new Date(deps.clock.now().getTime() + backoffMs(attempts)).toISOString(),
          },
    );
  }
  return delivered;
}

export interface NotifyDeps {
  readonly exchanges: ExchangeStore;
  readonly consents: ConsentStore;
  readonly signer: GatewaySigner;
  readonly clock: Clock;
  readonly fetch: typeof fetch;
}

/** Would a fetch of the announced message now hand it out? The same decision a fetch makes. */
async function fetchable(deps: NotifyDeps, n: WebhookNotification): Promise<boolean> {
  const { messageId } = JSON.parse(n.body) as { messageId: string };
  const message = await deps.exchanges.message(n.tenantId, messageId);
  if (message?.state !== 'queued') return false;
  return (await ownConsent(deps.consents, message, deps.clock.now())).standing === 'covered';
}
