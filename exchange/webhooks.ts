import type { GatewaySigner } from '../certs/index.ts';
import type { Clock } from '../core/index.ts';
import type { ExchangeStore } from './ports.ts';

export const NOTIFICATION_TYP = 'mailbox-notification+jwt';
export const MAX_ATTEMPTS = 10;
const TIMEOUT_MS = 5000;

/** Backoff after the n-th failed attempt: 30 s, 1 min, 2 min, … capped at one hour. */
export const backoffMs = (attempts: number): number =>
  Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

/**
 * Tells agencies that a message waits: POSTs a compact JWS by the gateway (`application/jose`,
 * typ `mailbox-notification+jwt`, key in the JWKS) with message id and metadata, never content or
 * the person. A failure only schedules a retry; the message itself waits in the mailbox either
 * way. Answers how many were delivered.
 */
export async function deliverNotifications(deps: {
  exchanges: ExchangeStore;
  signer: GatewaySigner;
  clock: Clock;
  fetch: typeof fetch;
}): Promise<number> {
  const due = await deps.exchanges.dueNotifications(deps.clock.now().toISOString(), 100);
  let delivered = 0;
  for (const n of due) {
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
