import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../core/index.ts';
import type { ConsentStore } from './ports.ts';

/**
 * Records the ends that time brings: an active consent past its validity and a pending request
 * past its code's expiry each get an `expired` version (actor `system`) and an audit entry, so
 * the history is complete and agencies polling `/v1/consent-events` learn of it. Checks never
 * depend on this having run: they compare validity with the clock themselves.
 * Answers how many versions it wrote.
 */
export async function expireDue(
  deps: { consents: ConsentStore; clock: Clock; audit: AuditLog },
  batch = 500,
): Promise<number> {
  const { consents: store, clock, audit } = deps;
  const now = clock.now().toISOString();
  const { consents, requests } = await store.dueForExpiry(now, batch);
  let written = 0;
  for (const c of consents) {
    const done = await audit.record(
      c.consent.tenantId,
      {
        event: 'consent.expired',
        actor: 'system',
        outcome: 'ok',
        consentId: c.consent.id,
        consentVersion: c.current.version + 1,
        purpose: c.consent.purpose,
      },
      (prepared) =>
        store.changeConsent(
          c.consent.id,
          c.current.version,
          { state: 'expired', at: now, actor: 'system' },
          prepared,
        ),
    );
    if (done) written++;
  }
  for (const r of requests) {
    const done = await audit.record(
      r.request.tenantId,
      {
        event: 'request.expired',
        actor: 'system',
        outcome: 'ok',
        requestId: r.request.id,
        purpose: r.request.purpose,
      },
      (prepared) =>
        store.decideRequest(
          r.request.id,
          r.current.version,
          { state: 'expired', at: now, actor: 'system' },
          undefined,
          prepared,
        ),
    );
    if (done) written++;
  }
  return written;
}
