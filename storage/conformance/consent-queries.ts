import { describe, expect, it } from 'vitest';
import type { ConsentWithState, RequestWithState } from '../../consent/index.ts';
import { A, B, LATER, T0, wrappedKey, type ConformanceWorld } from './world.ts';

const idsOf = (found: readonly ConsentWithState[]): string[] =>
  found.map((c) => c.consent.id).sort();
const requestIdsOf = (found: readonly RequestWithState[]): string[] =>
  found.map((r) => r.request.id).sort();

/** ConsentStore: lookups, tenant isolation, the expiry query and the agencies' event feed. */
export function describeConsentQueries(world: ConformanceWorld): void {
  describeLookups(world);
  describeIsolation(world);
  describeExpiry(world);
  describeEvents(world);
}

function describeLookups(world: ConformanceWorld): void {
  describe('ConsentStore: lookups', () => {
    it('finds the consents of a subject, and those for a purpose, with their current state', async () => {
      const person = await world.subject();
      const { consent: a } = await world.grantedConsent({ subject: person });
      const { consent: b } = await world.grantedConsent({ subject: person });
      const { consent: other } = await world.grantedConsent({
        subject: person,
        purpose: 'benefit_eligibility',
      });
      await world.grantedConsent(); // someone else
      await world.storage.consents.changeConsent(b.id, 1, {
        state: 'revoked',
        at: LATER,
        actor: 'subject',
      });
      const forCheck = await world.storage.consents.consentsFor(A, person, a.purpose);
      expect(idsOf(forCheck)).toEqual([a.id, b.id].sort());
      const states = Object.fromEntries(forCheck.map((c) => [c.consent.id, c.current.state]));
      expect(states).toEqual({ [a.id]: 'active', [b.id]: 'revoked' });
      const all = await world.storage.consents.consentsOfSubject(A, person);
      expect(idsOf(all)).toEqual([a.id, b.id, other.id].sort());
    });

    it('finds the requests of a subject, and subjects by identity hash, each once', async () => {
      const person = await world.subject();
      const first = await world.pendingRequest({ subject: person, identityHash: 'ih_same' });
      const { request: second } = await world.grantedConsent({
        subject: person,
        identityHash: 'ih_same',
      });
      const twin = await world.pendingRequest({ identityHash: 'ih_same' });
      await world.pendingRequest({ identityHash: 'ih_other' });
      const requests = await world.storage.consents.requestsOfSubject(A, person);
      expect(requestIdsOf(requests)).toEqual([first.id, second.id].sort());
      const subjects = await world.storage.consents.subjectsByIdentity(A, 'ih_same');
      expect([...subjects].sort()).toEqual([person, twin.subject].sort());
    });

    it('finds a request by its code hash, in its tenant or, without one, in any', async () => {
      const inB = await world.pendingRequest({ tenantId: B });
      expect((await world.storage.consents.requestByCode(B, inB.codeHash))?.request).toEqual(inB);
      expect(
        (await world.storage.consents.requestByCode(undefined, inB.codeHash))?.request,
      ).toEqual(inB);
      expect(await world.storage.consents.requestByCode(undefined, 'code_none')).toBeUndefined();
    });

    it('finds a consent by its withdrawal code hash, with its current state', async () => {
      const { consent } = await world.grantedConsent({}, { withdrawalCodeHash: 'wc_1' });
      await world.grantedConsent({}, { withdrawalCodeHash: 'wc_2' });
      await world.storage.consents.changeConsent(consent.id, 1, {
        state: 'revoked',
        at: LATER,
        actor: 'subject',
      });
      const found = await world.storage.consents.consentByWithdrawalCode(A, 'wc_1');
      expect(found?.consent).toEqual(consent);
      expect(found?.current.state).toBe('revoked');
      expect(await world.storage.consents.consentByWithdrawalCode(A, 'wc_3')).toBeUndefined();
    });
  });
}

function describeIsolation(world: ConformanceWorld): void {
  describe('ConsentStore: tenant isolation', () => {
    it("answers nothing of tenant A's when asked with tenant B, for every lookup", async () => {
      const person = await world.subject();
      const { request, consent } = await world.grantedConsent(
        { subject: person, identityHash: 'ih_a' },
        { withdrawalCodeHash: 'wc_a' },
      );
      const consents = world.storage.consents;
      expect(await consents.subject(B, person)).toBeUndefined();
      expect(await consents.request(B, request.id)).toBeUndefined();
      expect(await consents.requestByCode(B, request.codeHash)).toBeUndefined();
      expect(await consents.consent(B, consent.id)).toBeUndefined();
      expect(await consents.consentsFor(B, person, consent.purpose)).toEqual([]);
      expect(await consents.consentsOfSubject(B, person)).toEqual([]);
      expect(await consents.requestsOfSubject(B, person)).toEqual([]);
      expect(await consents.subjectsByIdentity(B, 'ih_a')).toEqual([]);
      expect(await consents.consentByWithdrawalCode(B, 'wc_a')).toBeUndefined();
      expect(await consents.eventsFor(B, 'jc-koeln', 0, 100)).toEqual([]);
      // …and all of it with tenant A, so the answers above are not empty for another reason.
      expect(await consents.subject(A, person)).toBeDefined();
      expect(await consents.requestByCode(A, request.codeHash)).toBeDefined();
      expect(await consents.consentsFor(A, person, consent.purpose)).toHaveLength(1);
      expect(await consents.requestsOfSubject(A, person)).toHaveLength(1);
      expect(await consents.subjectsByIdentity(A, 'ih_a')).toEqual([person]);
      expect(await consents.consentByWithdrawalCode(A, 'wc_a')).toBeDefined();
      expect(await consents.eventsFor(A, 'jc-koeln', 0, 100)).toHaveLength(3);
    });

    it('keeps the same pseudonym in two tenants as two subjects, each with its own key', async () => {
      const consents = world.storage.consents;
      const key = () => Promise.resolve(wrappedKey());
      const inA = await consents.ensureSubject(A, 'ps_shared', key, T0);
      const inB = await consents.ensureSubject(B, 'ps_shared', key, LATER);
      expect(inB).toMatchObject({ tenantId: B, pseudonym: 'ps_shared', createdAt: LATER });
      expect(inB.wrappedKey).not.toEqual(inA.wrappedKey);
      expect(await consents.subject(A, 'ps_shared')).toEqual(inA);
      const requestA = await world.pendingRequest({ subject: 'ps_shared' });
      const requestB = await world.pendingRequest({ tenantId: B, subject: 'ps_shared' });
      expect(requestIdsOf(await consents.requestsOfSubject(A, 'ps_shared'))).toEqual([requestA.id]);
      expect(requestIdsOf(await consents.requestsOfSubject(B, 'ps_shared'))).toEqual([requestB.id]);
    });
  });
}

function describeExpiry(world: ConformanceWorld): void {
  describe('ConsentStore: dueForExpiry', () => {
    it('finds active consents past their end and pending requests past their code, nothing else', async () => {
      const END = '2026-12-01T00:00:00.000Z';
      const ended = await world.grantedConsent({ validUntil: END });
      await world.grantedConsent({ validUntil: '2027-06-01T00:00:00.000Z' });
      const revoked = await world.grantedConsent({ validUntil: END });
      await world.storage.consents.changeConsent(revoked.consent.id, 1, {
        state: 'revoked',
        at: LATER,
        actor: 'subject',
      });
      const stale = await world.pendingRequest({ codeExpiresAt: END });
      await world.pendingRequest({ codeExpiresAt: '2026-12-20T00:00:00.000Z' });
      const declined = await world.pendingRequest({ codeExpiresAt: END });
      await world.storage.consents.decideRequest(declined.id, 1, {
        state: 'declined',
        at: LATER,
        actor: 'subject',
      });
      const inB = await world.grantedConsent({ tenantId: B, validUntil: END });

      const due = await world.storage.consents.dueForExpiry('2026-12-10T00:00:00.000Z', 100);
      expect(idsOf(due.consents)).toEqual([ended.consent.id, inB.consent.id].sort());
      expect(due.consents.map((c) => c.current.state)).toEqual(['active', 'active']);
      // A granted request is approved, not pending: only the stale one is due.
      expect(requestIdsOf(due.requests)).toEqual([stale.id]);
      expect(due.requests[0]?.current).toMatchObject({ version: 1, state: 'pending' });
    });

    it('counts the end itself as ended, and a consent once expired as no longer due', async () => {
      const END = '2026-12-01T00:00:00.000Z';
      const ended = await world.grantedConsent({ validUntil: END });
      const stale = await world.pendingRequest({ codeExpiresAt: END });
      const atTheEnd = await world.storage.consents.dueForExpiry(END, 100);
      expect(idsOf(atTheEnd.consents)).toEqual([ended.consent.id]);
      expect(requestIdsOf(atTheEnd.requests)).toEqual([stale.id]);
      const before = await world.storage.consents.dueForExpiry('2026-11-30T23:59:59.999Z', 100);
      expect(before).toEqual({ consents: [], requests: [] });
      await world.storage.consents.changeConsent(ended.consent.id, 1, {
        state: 'expired',
        at: END,
        actor: 'system',
      });
      await world.storage.consents.decideRequest(stale.id, 1, {
        state: 'expired',
        at: END,
        actor: 'system',
      });
      expect(await world.storage.consents.dueForExpiry(END, 100)).toEqual({
        consents: [],
        requests: [],
      });
    });

    it('answers at most `limit` of each, the earliest ends first', async () => {
      const ends = ['2026-12-03', '2026-12-01', '2026-12-02'].map((d) => `${d}T00:00:00.000Z`);
      const ids: string[] = [];
      for (const validUntil of ends) {
        ids.push((await world.grantedConsent({ validUntil })).consent.id);
        await world.pendingRequest({ codeExpiresAt: validUntil });
      }
      const due = await world.storage.consents.dueForExpiry('2027-01-01T00:00:00.000Z', 2);
      expect(due.consents.map((c) => c.consent.id)).toEqual([ids[1], ids[2]]);
      expect(due.requests.map((r) => r.request.codeExpiresAt)).toEqual([ends[1], ends[2]]);
    });
  });
}

function describeEvents(world: ConformanceWorld): void {
  describe('ConsentStore: eventsFor', () => {
    it('answers the changes of requests and consents naming the agency, oldest first', async () => {
      const jcRequested = await world.pendingRequest({ requestedBy: 'jc-koeln' });
      await world.pendingRequest({
        requestedBy: 'sozialamt-koeln',
        senders: ['sozialamt-koeln'],
        recipients: ['abh-koeln'],
      });
      const { request, consent } = await world.grantedConsent({ purpose: 'case_management' });
      await world.storage.consents.changeConsent(consent.id, 1, {
        state: 'revoked',
        at: LATER,
        actor: 'subject',
      });
      await world.grantedConsent({ tenantId: B }); // the same agency ids in another tenant
      const events = await world.storage.consents.eventsFor(A, 'jc-koeln', 0, 100);
      expect(events.map((e) => [e.kind, e.refId, e.version, e.state])).toEqual([
        ['request', jcRequested.id, 1, 'pending'],
        ['request', request.id, 1, 'pending'],
        ['request', request.id, 2, 'approved'],
        ['consent', consent.id, 1, 'active'],
        ['consent', consent.id, 2, 'revoked'],
      ]);
      expect(events.map((e) => e.purpose)).toEqual([
        'labour_market_integration',
        ...Array<string>(4).fill('case_management'),
      ]);
      expect(events.at(-1)).toMatchObject({ at: LATER, actor: 'subject' });
      const seqs = events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(await world.storage.consents.eventsFor(A, 'schulamt-koeln', 0, 100)).toEqual([]);
    });

    it('pages with the seq cursor and the limit, without gaps or repeats', async () => {
      for (let i = 0; i < 4; i++) {
        const { consent } = await world.grantedConsent();
        await world.storage.consents.changeConsent(consent.id, 1, {
          state: 'revoked',
          at: LATER,
          actor: 'subject',
        });
        await world.pendingRequest({ requestedBy: 'x', senders: ['x'], recipients: ['y'] });
      }
      const all = await world.storage.consents.eventsFor(A, 'jc-koeln', 0, 1000);
      expect(all).toHaveLength(16);
      const paged = [];
      let cursor = 0;
      // Bounded, so a cursor that fails to move ends the test instead of hanging it.
      for (let pages = 0; pages < 20; pages++) {
        const page = await world.storage.consents.eventsFor(A, 'jc-koeln', cursor, 3);
        expect(page.length).toBeLessThanOrEqual(3);
        if (page.length === 0) break;
        paged.push(...page);
        cursor = page.at(-1)?.seq ?? cursor;
      }
      expect(paged).toEqual(all);
      const middle = all[5]?.seq ?? 0;
      expect(await world.storage.consents.eventsFor(A, 'jc-koeln', middle, 1000)).toEqual(
        all.slice(6),
      );
    });
  });
}
