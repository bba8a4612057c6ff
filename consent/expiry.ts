import type { Clock } from '../core/index.ts';
import type { ConsentStore } from './ports.ts';

/**
 * Records the ends that time brings: an active consent past its validity and a pending request
 * past its code's expiry each get an `expired` version (actor `system`), so the history is
 * complete and agencies polling `/v1/consent-events` learn of it. Checks never depend on this
 * having run: they compare validity with the clock themselves.
 * Answers how many versions it wrote.
 */
export async function expireDue(store: ConsentStore, clock: Clock, batch = 500): Promise<number> {
  const now = clock.now().toISOString();
  const { consents, requests } = await store.dueForExpiry(now, batch);
  let written = 0;
  for (const c of consents) {
    if (
      await store.changeConsent(c.consent.id, c.current.version, {
        state: 'expired',
        at: now,
        actor: 'system',
      })
    ) {
      written++;
    }
  }
  for (const r of requests) {
    if (
      await store.decideRequest(r.request.id, r.current.version, {
        state: 'expired',
        at: now,
        actor: 'system',
      })
    ) {
      written++;
    }
  }
  return written;
}
