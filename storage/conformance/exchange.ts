import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../consent/index.ts';
import type { MailboxMessage, WebhookNotification } from '../../exchange/index.ts';
import {
  A,
  B,
  T0,
  draft,
  expectAuditRace,
  expectConflict,
  failureOf,
  message,
  nextId,
  type ConformanceWorld,
} from './world.ts';

/** Where the suite's claims lease notifications to, unless a test says otherwise. */
export const LEASE_END = '2026-11-25T11:00:00.000Z';

/** `n` as a claim answers it: leased until `until`. */
export const leased =
  (until = LEASE_END) =>
  (n: WebhookNotification): WebhookNotification => ({ ...n, nextAttemptAt: until });

export const notification = (
  m: MailboxMessage,
  overrides: Partial<WebhookNotification> = {},
): WebhookNotification => ({
  id: nextId('wh'),
  tenantId: m.tenantId,
  recipient: m.recipient,
  url: 'https://jc-koeln.example/hook',
  body: JSON.stringify({ messageId: m.id }),
  attempts: 0,
  nextAttemptAt: m.receivedAt,
  ...overrides,
});

/** ExchangeStore: accepting messages with their audit entry, idempotency keys and notifications. */
export function describeExchangeWrites(world: ConformanceWorld): void {
  describeAccept(world);
  describeAcceptAtomicity(world);
  describeTransitions(world);
  describeWithholding(world);
}

function describeAccept(world: ConformanceWorld): void {
  describe('ExchangeStore: accept', () => {
    it('queues the message as given, with its audit entry', async () => {
      const { consent } = await world.grantedConsent();
      const m = message(consent, { envelope: 'openpgp' });
      const size = await world.auditSize();
      const prepared = await world.log.record(A, draft(), async (p) => {
        await world.storage.exchanges.accept(m, p);
        return p;
      });
      expect(await world.storage.exchanges.message(A, m.id)).toEqual(m);
      expect(await world.auditSize()).toBe(size + 1);
      expect(await world.storage.audit.entryJson(A, prepared.entry.seq)).toBe(prepared.entryJson);
    });

    it('keeps the idempotency record with the message, per tenant, sender and key', async () => {
      const { consent } = await world.grantedConsent();
      const m = message(consent);
      const idempotency = { key: 'k1', requestHash: 'rh1', response: '{"id":"x"}' };
      await world.log.record(A, draft(), (p) => world.storage.exchanges.accept(m, p, idempotency));
      const exchanges = world.storage.exchanges;
      expect(await exchanges.idempotent(A, m.sender, 'k1')).toEqual({
        requestHash: 'rh1',
        response: '{"id":"x"}',
      });
      expect(await exchanges.idempotent(A, m.sender, 'k2')).toBeUndefined();
      expect(await exchanges.idempotent(A, 'sozialamt-koeln', 'k1')).toBeUndefined();
      expect(await exchanges.idempotent(B, m.sender, 'k1')).toBeUndefined();
      // The same key is free for another sender and in another tenant.
      const other = message(consent, { sender: 'sozialamt-koeln' });
      await world.log.record(A, draft(), (p) => exchanges.accept(other, p, idempotency));
      const inB = (await world.grantedConsent({ tenantId: B })).consent;
      await world.log.record(B, draft(), (p) => exchanges.accept(message(inB), p, idempotency));
      expect(await exchanges.idempotent(B, m.sender, 'k1')).toBeDefined();
    });

    it('refuses a message id taken, also in another tenant, as a conflict', async () => {
      // transition and withhold find a message by id alone, so an id names one message.
      const { consent } = await world.grantedConsent();
      const first = await world.accepted(consent);
      const inB = (await world.grantedConsent({ tenantId: B })).consent;
      for (const again of [message(consent, { id: first.id }), message(inB, { id: first.id })]) {
        const size = await world.auditSize(again.tenantId);
        const failure = await failureOf(() =>
          world.log.record(again.tenantId, draft(), (p) =>
            world.storage.exchanges.accept(again, p),
          ),
        );
        expectConflict(failure);
        expect(await world.auditSize(again.tenantId)).toBe(size);
      }
      expect(await world.storage.exchanges.message(A, first.id)).toEqual(first);
      expect(await world.storage.exchanges.message(B, first.id)).toBeUndefined();
    });
  });
}

async function acceptWithEverything(
  world: ConformanceWorld,
  consent: ConsentRecord,
  key: string,
  audit?: Awaited<ReturnType<ConformanceWorld['staleAppend']>>,
) {
  const m = message(consent);
  const n = notification(m);
  const idempotency = { key, requestHash: `rh-${m.id}`, response: m.id };
  const accept = audit
    ? () => world.storage.exchanges.accept(m, audit, idempotency, n)
    : () =>
        world.log.record(A, draft(), (p) => world.storage.exchanges.accept(m, p, idempotency, n));
  return { m, n, failure: await failureOf(accept) };
}

/** Claims up to `limit` notifications due at `now`, leased until {@link LEASE_END}. */
export const claimAt = (world: ConformanceWorld, now: string, limit = 10) =>
  world.storage.exchanges.claimNotifications(now, LEASE_END, limit);

function describeAcceptAtomicity(world: ConformanceWorld): void {
  describe('ExchangeStore: accept is all or nothing', () => {
    it('stores message, idempotency record, notification and entry together', async () => {
      const { consent } = await world.grantedConsent();
      const { m, n, failure } = await acceptWithEverything(world, consent, 'k1');
      expect(failure).toBeUndefined();
      expect(await world.storage.exchanges.message(A, m.id)).toEqual(m);
      expect((await world.storage.exchanges.idempotent(A, m.sender, 'k1'))?.response).toBe(m.id);
      expect(await claimAt(world, T0)).toEqual([n].map(leased()));
    });

    it('stores none of them when the audit entry cannot be committed', async () => {
      const { consent } = await world.grantedConsent();
      const stale = await world.staleAppend();
      const size = await world.auditSize();
      const { m, failure } = await acceptWithEverything(world, consent, 'k1', stale);
      expectAuditRace(failure);
      expect(await world.auditSize()).toBe(size);
      expect(await world.storage.exchanges.message(A, m.id)).toBeUndefined();
      expect(await world.storage.exchanges.idempotent(A, m.sender, 'k1')).toBeUndefined();
      expect(await claimAt(world, T0)).toEqual([]);
      expect(await world.storage.exchanges.waiting(A, m.recipient, undefined, 10)).toEqual([]);
    });

    it('refuses a second message under the same idempotency key as a conflict, storing none of it', async () => {
      const { consent } = await world.grantedConsent();
      const first = await acceptWithEverything(world, consent, 'k1');
      const size = await world.auditSize();
      const second = await acceptWithEverything(world, consent, 'k1');
      expectConflict(second.failure);
      expect(await world.auditSize()).toBe(size);
      expect(await world.storage.exchanges.message(A, second.m.id)).toBeUndefined();
      expect((await world.storage.exchanges.idempotent(A, first.m.sender, 'k1'))?.response).toBe(
        first.m.id,
      );
      expect(await claimAt(world, T0)).toEqual([first.n].map(leased()));
    });

    it('lets exactly one of racing sends under one idempotency key through', async () => {
      const { consent } = await world.grantedConsent();
      const sends = await Promise.all(
        [1, 2, 3].map(() => acceptWithEverything(world, consent, 'k')),
      );
      const through = sends.filter((s) => s.failure === undefined);
      expect(through).toHaveLength(1);
      for (const s of sends) if (s.failure !== undefined) expectConflict(s.failure);
      const waiting = await world.storage.exchanges.waiting(A, 'jc-koeln', undefined, 10);
      expect(waiting.map((m) => m.id)).toEqual([through[0]?.m.id]);
    });
  });
}

function describeTransitions(world: ConformanceWorld): void {
  describe('ExchangeStore: transition', () => {
    it('moves a waiting message with its entry, keeping the ciphertext only when delivered', async () => {
      const { consent } = await world.grantedConsent();
      const m = await world.accepted(consent);
      const move = (from: MailboxMessage['state'][], to: MailboxMessage['state']) =>
        world.log.record(A, draft('jc-koeln'), (p) =>
          world.storage.exchanges.transition(m.id, from, to, p),
        );
      const size = await world.auditSize();
      expect(await move(['queued'], 'delivered')).toBe(true);
      expect(await world.storage.exchanges.message(A, m.id)).toEqual({ ...m, state: 'delivered' });
      expect(await move(['queued', 'delivered'], 'acknowledged')).toBe(true);
      expect(await world.storage.exchanges.message(A, m.id)).toEqual({
        ...m,
        state: 'acknowledged',
        ciphertext: null,
      });
      expect(await world.auditSize()).toBe(size + 2);
    });

    it('answers false and writes nothing for a message in no state of `from`, not waiting, or unknown', async () => {
      const { consent } = await world.grantedConsent();
      const queued = await world.accepted(consent);
      const done = await world.accepted(consent);
      const move = (id: string, from: MailboxMessage['state'][], to: MailboxMessage['state']) =>
        world.log.record(A, draft('jc-koeln'), (p) =>
          world.storage.exchanges.transition(id, from, to, p),
        );
      expect(await move(done.id, ['queued'], 'acknowledged')).toBe(true);
      const size = await world.auditSize();
      expect(await move(queued.id, ['delivered'], 'acknowledged')).toBe(false);
      expect(await move(done.id, ['queued', 'delivered'], 'delivered')).toBe(false);
      expect(await move(done.id, ['acknowledged'], 'purged')).toBe(false);
      expect(await move('ex_none', ['queued'], 'delivered')).toBe(false);
      expect(await world.auditSize()).toBe(size);
      expect(await world.storage.exchanges.message(A, queued.id)).toEqual(queued);
      expect((await world.storage.exchanges.message(A, done.id))?.state).toBe('acknowledged');
    });

    it('lets exactly one of racing final moves win', async () => {
      const { consent } = await world.grantedConsent();
      const m = await world.accepted(consent);
      const results = await Promise.all([
        ...['acknowledged', 'purged'].map((to) =>
          world.log.record(A, draft('jc-koeln'), (p) =>
            world.storage.exchanges.transition(m.id, ['queued', 'delivered'], to as 'purged', p),
          ),
        ),
        world.log.record(A, draft('system'), (p) =>
          world.storage.exchanges.withhold(m.id, 'consent_revoked', p),
        ),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('moves nothing when the audit entry cannot be committed', async () => {
      const { consent } = await world.grantedConsent();
      const m = await world.accepted(consent);
      const stale = await world.staleAppend();
      expectAuditRace(
        await failureOf(() =>
          world.storage.exchanges.transition(m.id, ['queued'], 'acknowledged', stale),
        ),
      );
      expectAuditRace(
        await failureOf(() => world.storage.exchanges.withhold(m.id, 'consent_expired', stale)),
      );
      expect(await world.storage.exchanges.message(A, m.id)).toEqual(m);
    });
  });
}

function describeWithholding(world: ConformanceWorld): void {
  describe('ExchangeStore: withhold', () => {
    it('withholds a waiting message: ciphertext gone, reason kept, with its entry', async () => {
      const { consent } = await world.grantedConsent();
      const queued = await world.accepted(consent);
      const delivered = await world.accepted(consent);
      await world.log.record(A, draft(), (p) =>
        world.storage.exchanges.transition(delivered.id, ['queued'], 'delivered', p),
      );
      const size = await world.auditSize();
      for (const [m, reason] of [
        [queued, 'consent_revoked'],
        [delivered, 'consent_expired'],
      ] as const) {
        const withheld = await world.log.record(A, draft('system'), (p) =>
          world.storage.exchanges.withhold(m.id, reason, p),
        );
        expect(withheld).toBe(true);
        expect(await world.storage.exchanges.message(A, m.id)).toEqual({
          ...m,
          state: 'withheld',
          ciphertext: null,
          withheldReason: reason,
        });
      }
      expect(await world.auditSize()).toBe(size + 2);
    });

    it('answers false for a message no longer waiting, keeping its first reason', async () => {
      const { consent } = await world.grantedConsent();
      const m = await world.accepted(consent);
      const withhold = (reason: 'consent_revoked' | 'consent_expired') =>
        world.log.record(A, draft('system'), (p) =>
          world.storage.exchanges.withhold(m.id, reason, p),
        );
      expect(await withhold('consent_expired')).toBe(true);
      const size = await world.auditSize();
      expect(await withhold('consent_revoked')).toBe(false);
      expect(
        await world.log.record(A, draft(), (p) =>
          world.storage.exchanges.transition(m.id, ['queued', 'delivered'], 'delivered', p),
        ),
      ).toBe(false);
      expect(await world.auditSize()).toBe(size);
      expect(await world.storage.exchanges.message(A, m.id)).toMatchObject({
        state: 'withheld',
        withheldReason: 'consent_expired',
      });
    });
  });
}
