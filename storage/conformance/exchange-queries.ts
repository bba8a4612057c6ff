import { describe, expect, it } from 'vitest';
import type { MailboxMessage, MailboxPosition, WebhookNotification } from '../../exchange/index.ts';
import { LEASE_END, claimAt, leased, notification } from './exchange.ts';
import { A, B, LATER, T0, draft, message, type ConformanceWorld } from './world.ts';

const ids = (messages: readonly MailboxMessage[]): string[] => messages.map((m) => m.id);

/**
 * ExchangeStore: the mailbox cursor, tenant isolation, and the queries of the background jobs
 * (withholding, purge, webhook delivery).
 */
export function describeExchangeQueries(world: ConformanceWorld): void {
  describeMailbox(world);
  describeMailboxCursor(world);
  describeExchangeIsolation(world);
  describeEndedConsents(world);
  describePurge(world);
  describeNotifications(world);
}

function describeMailbox(world: ConformanceWorld): void {
  describe('ExchangeStore: the mailbox', () => {
    it('pages waiting messages by (receivedAt, id), without gaps or repeats across equal timestamps', async () => {
      const { consent } = await world.grantedConsent();
      const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
      // Accepted out of order; three share one timestamp, two share another.
      const plan: [string, number][] = [
        ['ex_m3', 1],
        ['ex_m1', 1],
        ['ex_m0', 2],
        ['ex_m2', 1],
        ['ex_m9', 0],
        ['ex_m5', 2],
      ];
      for (const [id, s] of plan) await world.accepted(consent, { id, receivedAt: at(s) });
      await world.accepted(consent, { id: 'ex_m4', receivedAt: at(1), recipient: 'other' });
      const expected = ['ex_m9', 'ex_m1', 'ex_m2', 'ex_m3', 'ex_m0', 'ex_m5'];
      const all = await world.storage.exchanges.waiting(A, 'jc-koeln', undefined, 100);
      expect(ids(all)).toEqual(expected);
      for (const size of [1, 2, 4]) {
        const seen: string[] = [];
        let after: MailboxPosition | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await world.storage.exchanges.waiting(A, 'jc-koeln', after, size);
          expect(page.length).toBeLessThanOrEqual(size);
          const last = page.at(-1);
          if (!last) break;
          seen.push(...ids(page));
          after = { receivedAt: last.receivedAt, id: last.id };
        }
        expect(seen, `pages of ${size}`).toEqual(expected);
      }
    });

    it('lists only waiting messages: delivered ones stay, acknowledged and withheld ones go', async () => {
      const { consent } = await world.grantedConsent();
      const [queued, delivered, acked, withheld] = [
        await world.accepted(consent),
        await world.accepted(consent),
        await world.accepted(consent),
        await world.accepted(consent),
      ];
      const move = (m: MailboxMessage, to: 'delivered' | 'acknowledged') =>
        world.log.record(A, draft(), (p) =>
          world.storage.exchanges.transition(m.id, ['queued'], to, p),
        );
      await move(delivered, 'delivered');
      await move(acked, 'acknowledged');
      await world.log.record(A, draft(), (p) =>
        world.storage.exchanges.withhold(withheld.id, 'consent_revoked', p),
      );
      const expected = [queued.id, delivered.id].sort();
      const waiting = await world.storage.exchanges.waiting(A, 'jc-koeln', undefined, 100);
      expect(ids(waiting).sort()).toEqual(expected);
      const under = await world.storage.exchanges.waitingUnderConsent(A, consent.id);
      expect(ids(under).sort()).toEqual(expected);
    });

    it('counts what waits per tenant and recipient, as the mailbox lists it', async () => {
      const { consent } = await world.grantedConsent();
      const count = async (recipient: string) =>
        (await world.storage.exchanges.waitingCounts()).find(
          (row) => row.tenantId === A && row.recipient === recipient,
        )?.messages ?? 0;
      const before = await count('jc-koeln');
      const [queued, delivered, acked] = [
        await world.accepted(consent),
        await world.accepted(consent),
        await world.accepted(consent),
      ];
      await world.accepted(consent, { recipient: 'other' });
      const move = (m: MailboxMessage, to: 'delivered' | 'acknowledged') =>
        world.log.record(A, draft(), (p) =>
          world.storage.exchanges.transition(m.id, ['queued'], to, p),
        );
      await move(delivered, 'delivered');
      await move(acked, 'acknowledged');
      expect(await count('jc-koeln')).toBe(before + 2);
      const listed = await world.storage.exchanges.waiting(A, 'jc-koeln', undefined, 1000);
      expect(listed.map((m) => m.id)).toEqual(expect.arrayContaining([queued.id, delivered.id]));
      expect(await count('jc-koeln')).toBe(listed.length);
      expect(typeof (await world.storage.exchanges.waitingCounts())[0]?.messages).toBe('number');
    });

    it('lists what waits under one consent only, oldest first', async () => {
      const { consent } = await world.grantedConsent();
      const { consent: other } = await world.grantedConsent();
      const second = await world.accepted(consent, { receivedAt: LATER });
      const first = await world.accepted(consent);
      await world.accepted(other);
      const under = await world.storage.exchanges.waitingUnderConsent(A, consent.id);
      expect(ids(under)).toEqual([first.id, second.id]);
    });
  });
}

function describeEndedConsents(world: ConformanceWorld): void {
  describe('ExchangeStore: waitingAfterConsentEnded', () => {
    // Only which messages are answered is the contract here; the reason is the domain's to tell.
    it('answers the waiting messages whose consent is revoked, expired or past its end, oldest first', async () => {
      const NOW = '2026-12-10T00:00:00.000Z';
      const change = async (id: string, state: 'revoked' | 'expired') => {
        await world.storage.consents.changeConsent(id, 1, { state, at: LATER, actor: 'x' });
      };
      const running = (await world.grantedConsent()).consent;
      const revoked = (await world.grantedConsent()).consent;
      const expired = (await world.grantedConsent()).consent;
      const pastEnd = (await world.grantedConsent({ validUntil: NOW })).consent;
      const inB = (await world.grantedConsent({ tenantId: B })).consent;
      const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
      await world.accepted(running, { receivedAt: at(0) });
      const m1 = await world.accepted(pastEnd, { receivedAt: at(4) });
      const m2 = await world.accepted(revoked, { receivedAt: at(1) });
      const m3 = await world.accepted(expired, { receivedAt: at(3) });
      const m4 = await world.accepted(inB, { receivedAt: at(2) });
      const gone = await world.accepted(revoked, { receivedAt: at(0) });
      await world.log.record(A, draft(), (p) =>
        world.storage.exchanges.transition(gone.id, ['queued'], 'acknowledged', p),
      );
      await change(revoked.id, 'revoked');
      await change(expired.id, 'expired');
      await change(inB.id, 'revoked');
      const ended = await world.storage.exchanges.waitingAfterConsentEnded(NOW, 100);
      expect(ids(ended)).toEqual([m2.id, m4.id, m3.id, m1.id]);
      expect(ended[0]).toEqual(m2);
      const firstTwo = await world.storage.exchanges.waitingAfterConsentEnded(NOW, 2);
      expect(ids(firstTwo)).toEqual([m2.id, m4.id]);
      // Before its end the last one still runs.
      const earlier = await world.storage.exchanges.waitingAfterConsentEnded(at(60), 100);
      expect(ids(earlier)).toEqual([m2.id, m4.id, m3.id]);
    });
  });
}

function describePurge(world: ConformanceWorld): void {
  describe('ExchangeStore: dueForPurge', () => {
    it('answers waiting messages whose retention ended, the earliest first, at most `limit`', async () => {
      const { consent } = await world.grantedConsent();
      const inB = (await world.grantedConsent({ tenantId: B })).consent;
      const day = (d: number) => `2027-01-0${d}T00:00:00.000Z`;
      const late = await world.accepted(consent, { retainUntil: day(3) });
      const early = await world.accepted(consent, { retainUntil: day(1) });
      const onTheDay = await world.accepted(inB, { retainUntil: day(5) });
      await world.accepted(consent, { retainUntil: day(6) });
      const acked = await world.accepted(consent, { retainUntil: day(1) });
      await world.log.record(A, draft(), (p) =>
        world.storage.exchanges.transition(acked.id, ['queued'], 'acknowledged', p),
      );
      const due = await world.storage.exchanges.dueForPurge(day(5), 100);
      expect(ids(due)).toEqual([early.id, late.id, onTheDay.id]);
      expect(ids(await world.storage.exchanges.dueForPurge(day(5), 2))).toEqual([
        early.id,
        late.id,
      ]);
      expect(await world.storage.exchanges.dueForPurge('2026-12-31T23:59:59.999Z', 100)).toEqual(
        [],
      );
    });
  });
}

/** Accepts a message under `consent` with a notification due at `nextAttemptAt`. */
async function notified(
  world: ConformanceWorld,
  consent: Parameters<typeof message>[0],
  nextAttemptAt = T0,
): Promise<WebhookNotification> {
  const m = message(consent);
  const n = notification(m, { nextAttemptAt });
  await world.log.record(A, draft(), (p) => world.storage.exchanges.accept(m, p, undefined, n));
  return n;
}

const minutes = (m: number): string => new Date(Date.parse(T0) + m * 60_000).toISOString();

function describeNotifications(world: ConformanceWorld): void {
  describe('ExchangeStore: claiming webhook notifications', () => {
    it('claims pending notifications due by now, the earliest first, at most `limit`', async () => {
      const { consent } = await world.grantedConsent();
      const [at3, at1, at2] = [
        await notified(world, consent, minutes(3)),
        await notified(world, consent, minutes(1)),
        await notified(world, consent, minutes(2)),
        await notified(world, consent, minutes(9)),
      ].map(leased());
      expect(await claimAt(world, T0)).toEqual([]);
      expect(await claimAt(world, minutes(3), 2)).toEqual([at1, at2]);
      expect(await claimAt(world, minutes(3))).toEqual([at3]);
      expect(await claimAt(world, minutes(3))).toEqual([]);
    });

    it('keeps a claimed notification from every claimer until its lease ends, then lets it be claimed again', async () => {
      const { consent } = await world.grantedConsent();
      const n = await notified(world, consent);
      const exchanges = world.storage.exchanges;
      expect(await exchanges.claimNotifications(T0, minutes(1), 10)).toEqual([
        { ...n, nextAttemptAt: minutes(1) },
      ]);
      expect(await exchanges.claimNotifications(T0, minutes(9), 10)).toEqual([]);
      const justBefore = new Date(Date.parse(minutes(1)) - 1).toISOString();
      expect(await exchanges.claimNotifications(justBefore, minutes(9), 10)).toEqual([]);
      // Its claimer died without recording an attempt: the next claimer gets it, unattempted.
      expect(await exchanges.claimNotifications(minutes(1), minutes(2), 10)).toEqual([
        { ...n, nextAttemptAt: minutes(2) },
      ]);
    });

    it('never answers one notification to two claims made at once', async () => {
      const { consent } = await world.grantedConsent();
      const all: string[] = [];
      for (let i = 0; i < 24; i++) all.push((await notified(world, consent)).id);
      const claims = await Promise.all(
        [1, 2, 3, 4].map(() => world.storage.exchanges.claimNotifications(T0, LEASE_END, 8)),
      );
      const claimed = claims.flat().map((n) => n.id);
      expect(claimed).toHaveLength(new Set(claimed).size);
      // Four claims of eight cover all 24: each one passed over only what another took.
      expect(claimed.sort()).toEqual(all.sort());
      expect(await claimAt(world, T0)).toEqual([]);
    });

    it('records attempts: delivered and failed ones are no longer due, a retry is due at its time', async () => {
      const { consent } = await world.grantedConsent();
      const delivered = await notified(world, consent);
      const failed = await notified(world, consent);
      const retried = await notified(world, consent);
      const exchanges = world.storage.exchanges;
      expect(await claimAt(world, T0)).toHaveLength(3);
      await exchanges.notificationAttempt(delivered.id, { delivered: true });
      await exchanges.notificationAttempt(failed.id, { delivered: false, nextAttemptAt: null });
      await exchanges.notificationAttempt(retried.id, { delivered: false, nextAttemptAt: LATER });
      expect(await claimAt(world, T0)).toEqual([]);
      // Due at its retry, before the lease of the first claim would have ended.
      expect(await claimAt(world, LATER)).toEqual([{ ...retried, attempts: 1 }].map(leased()));
    });
  });
}

function describeExchangeIsolation(world: ConformanceWorld): void {
  describe('ExchangeStore: tenant isolation', () => {
    it("answers nothing of tenant A's when asked with tenant B", async () => {
      const { consent } = await world.grantedConsent();
      const m = message(consent);
      const idempotency = { key: 'k', requestHash: 'h', response: 'r' };
      await world.log.record(A, draft(), (p) => world.storage.exchanges.accept(m, p, idempotency));
      const exchanges = world.storage.exchanges;
      expect(await exchanges.message(B, m.id)).toBeUndefined();
      expect(await exchanges.waiting(B, m.recipient, undefined, 10)).toEqual([]);
      expect(await exchanges.waitingUnderConsent(B, consent.id)).toEqual([]);
      expect(await exchanges.idempotent(B, m.sender, 'k')).toBeUndefined();
      expect(await exchanges.message(A, m.id)).toEqual(m);
      expect(ids(await exchanges.waitingUnderConsent(A, consent.id))).toEqual([m.id]);
    });
  });
}

function describeMailboxCursor(world: ConformanceWorld): void {
  describe('ExchangeStore: the mailbox cursor', () => {
    it('continues after a position whose message no longer waits', async () => {
      const { consent } = await world.grantedConsent();
      const first = await world.accepted(consent);
      const second = await world.accepted(consent);
      const third = await world.accepted(consent, { receivedAt: LATER });
      const sorted = [first, second].sort((x, y) => (x.id < y.id ? -1 : 1));
      const [page] = await world.storage.exchanges.waiting(A, 'jc-koeln', undefined, 1);
      expect(page?.id).toBe(sorted[0]?.id);
      await world.log.record(A, draft(), (p) =>
        world.storage.exchanges.transition(page?.id ?? '', ['queued'], 'acknowledged', p),
      );
      const after = { receivedAt: T0, id: page?.id ?? '' };
      const rest = await world.storage.exchanges.waiting(A, 'jc-koeln', after, 10);
      expect(ids(rest)).toEqual([sorted[1]?.id, third.id]);
    });
  });
}
