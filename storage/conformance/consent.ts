import { describe, expect, it } from 'vitest';
import {
  A,
  B,
  LATER,
  T0,
  consentRecord,
  draft,
  expectAuditRace,
  expectConflict,
  failureOf,
  partiesOf,
  requestRecord,
  type ConformanceWorld,
} from './world.ts';

/** ConsentStore: requests and their decisions, versioned and optimistic, with their audit entries. */
export function describeConsentDecisions(world: ConformanceWorld): void {
  describeRequests(world);
  describeRequestConflicts(world);
  describeDecisions(world);
  describeDecisionAtomicity(world);
  describeConsentChanges(world);
  describeAttempts(world);
}

function describeRequests(world: ConformanceWorld): void {
  describe('ConsentStore: requests', () => {
    it('records a request as given, with its first version: pending, by the requesting agency', async () => {
      const request = await world.pendingRequest({ identityHash: 'ih_1' });
      const found = await world.storage.consents.request(A, request.id);
      expect(found?.request).toEqual(request);
      expect(found?.current).toMatchObject({
        refId: request.id,
        version: 1,
        state: 'pending',
        at: T0,
        actor: 'abh-koeln',
      });
      expect(found?.failedAttempts).toBe(0);
    });

    it('records the request and its audit entry together', async () => {
      const subject = await world.subject();
      const request = requestRecord(subject);
      const before = await world.auditSize();
      const entry = await world.log.record(A, draft(), async (prepared) => {
        await world.storage.consents.addRequest(request, partiesOf(request), prepared);
        return prepared;
      });
      expect(await world.auditSize()).toBe(before + 1);
      expect(await world.storage.audit.entryJson(A, entry.entry.seq)).toBe(entry.entryJson);
      expect((await world.storage.consents.request(A, request.id))?.current.version).toBe(1);
    });

    it('records neither request nor entry when the audit tree moved on since the entry was prepared', async () => {
      const request = requestRecord(await world.subject());
      const stale = await world.staleAppend();
      const size = await world.auditSize();
      const failure = await failureOf(() =>
        world.storage.consents.addRequest(request, partiesOf(request), stale),
      );
      expectAuditRace(failure);
      expect(await world.auditSize()).toBe(size);
      expect(await world.storage.consents.request(A, request.id)).toBeUndefined();
      expect(await world.storage.consents.requestByCode(A, request.codeHash)).toBeUndefined();
      expect(await world.storage.consents.eventsFor(A, 'jc-koeln', 0, 100)).toEqual([]);
    });
  });
}

function describeDecisions(world: ConformanceWorld): void {
  describe('ConsentStore: decisions', () => {
    it('grants in one step: the request approved (version 2), the consent active (version 1)', async () => {
      const { request, consent } = await world.grantedConsent(
        {},
        { noticeText: 'Ich willige ein …', withdrawalCodeHash: 'wc_1', channel: 'portal-eid' },
      );
      const decided = await world.storage.consents.request(A, request.id);
      expect(decided?.current).toMatchObject({ version: 2, state: 'approved', actor: 'subject' });
      const stored = await world.storage.consents.consent(A, consent.id);
      expect(stored?.consent).toEqual(consent);
      expect(stored?.current).toMatchObject({
        refId: consent.id,
        version: 1,
        state: 'active',
        actor: 'subject',
      });
    });

    it('keeps the channel and assurance of a version, and none for a system one', async () => {
      const request = await world.pendingRequest();
      const next = { state: 'approved', at: LATER, actor: 'subject' } as const;
      const how = { channel: 'portal-eid', assurance: 'substantial' } as const;
      const consent = consentRecord(request);
      await world.storage.consents.decideRequest(
        request.id,
        1,
        { ...next, ...how },
        { record: consent, parties: partiesOf(request) },
      );
      expect((await world.storage.consents.request(A, request.id))?.current).toMatchObject(how);
      await world.storage.consents.changeConsent(consent.id, 1, {
        state: 'expired',
        at: LATER,
        actor: 'system',
      });
      const expired = (await world.storage.consents.consent(A, consent.id))?.current;
      expect(expired).toMatchObject({ version: 2, state: 'expired', actor: 'system' });
      expect(expired).not.toHaveProperty('channel');
      expect(expired).not.toHaveProperty('assurance');
    });

    it('answers false for a version not current, or a request not there, and writes nothing', async () => {
      const request = await world.pendingRequest();
      const decline = { state: 'declined', at: T0, actor: 'subject' } as const;
      expect(await world.storage.consents.decideRequest(request.id, 1, decline)).toBe(true);
      const late = consentRecord(request);
      const approve = { state: 'approved', at: LATER, actor: 'subject' } as const;
      const grant = { record: late, parties: partiesOf(request) };
      expect(await world.storage.consents.decideRequest(request.id, 1, approve, grant)).toBe(false);
      expect(await world.storage.consents.decideRequest(request.id, 7, approve, grant)).toBe(false);
      expect(await world.storage.consents.decideRequest('cr_none', 1, decline)).toBe(false);
      expect(await world.storage.consents.consent(A, late.id)).toBeUndefined();
      const current = (await world.storage.consents.request(A, request.id))?.current;
      expect(current).toMatchObject({ version: 2, state: 'declined', at: T0 });
    });

    it('lets exactly one of racing decisions on the same version win', async () => {
      const request = await world.pendingRequest();
      const approve = { state: 'approved', at: T0, actor: 'subject' } as const;
      const grants = [consentRecord(request), consentRecord(request)];
      const results = await Promise.all([
        ...grants.map((record) =>
          world.storage.consents.decideRequest(request.id, 1, approve, {
            record,
            parties: partiesOf(request),
          }),
        ),
        world.storage.consents.decideRequest(request.id, 1, { ...approve, state: 'declined' }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect((await world.storage.consents.request(A, request.id))?.current.version).toBe(2);
      const consents = await world.storage.consents.consentsOfSubject(A, request.subject);
      expect(consents.map((c) => c.consent.id)).toEqual(winner < 2 ? [grants[winner]?.id] : []);
    });
  });
}

function describeDecisionAtomicity(world: ConformanceWorld): void {
  describe('ConsentStore: a decision is all or nothing', () => {
    it('records the decision, the consent and the audit entry together', async () => {
      const request = await world.pendingRequest();
      const consent = consentRecord(request);
      const prepared = await world.log.record(A, draft('subject'), async (p) => {
        const decided = await world.storage.consents.decideRequest(
          request.id,
          1,
          { state: 'approved', at: T0, actor: 'subject' },
          { record: consent, parties: partiesOf(request) },
          p,
        );
        expect(decided).toBe(true);
        return p;
      });
      expect(await world.storage.audit.entryJson(A, prepared.entry.seq)).toBe(prepared.entryJson);
      expect((await world.storage.consents.consent(A, consent.id))?.current.state).toBe('active');
    });

    it('records no decision and no consent when the audit entry cannot be committed', async () => {
      const request = await world.pendingRequest();
      const consent = consentRecord(request);
      const stale = await world.staleAppend();
      const size = await world.auditSize();
      const failure = await failureOf(() =>
        world.storage.consents.decideRequest(
          request.id,
          1,
          { state: 'approved', at: T0, actor: 'subject' },
          { record: consent, parties: partiesOf(request) },
          stale,
        ),
      );
      expectAuditRace(failure);
      expect(await world.auditSize()).toBe(size);
      expect((await world.storage.consents.request(A, request.id))?.current.version).toBe(1);
      expect(await world.storage.consents.consent(A, consent.id)).toBeUndefined();
    });

    it('records no decision and no entry when the consent clashes (conflict), and the request can still be decided', async () => {
      const { consent: existing } = await world.grantedConsent({}, { withdrawalCodeHash: 'wc_x' });
      const request = await world.pendingRequest();
      const size = await world.auditSize();
      const approve = { state: 'approved', at: T0, actor: 'subject' } as const;
      for (const clash of [
        consentRecord(request, { id: existing.id }),
        consentRecord(request, { withdrawalCodeHash: 'wc_x' }),
      ]) {
        const failure = await failureOf(() =>
          world.log.record(A, draft('subject'), (p) =>
            world.storage.consents.decideRequest(
              request.id,
              1,
              approve,
              { record: clash, parties: ['sozialamt-koeln'] },
              p,
            ),
          ),
        );
        expectConflict(failure);
      }
      expect(await world.auditSize()).toBe(size);
      expect((await world.storage.consents.request(A, request.id))?.current).toMatchObject({
        version: 1,
        state: 'pending',
      });
      expect((await world.storage.consents.consent(A, existing.id))?.consent).toEqual(existing);
      expect(await world.storage.consents.eventsFor(A, 'sozialamt-koeln', 0, 100)).toEqual([]);
      const proper = { record: consentRecord(request), parties: partiesOf(request) };
      expect(await world.storage.consents.decideRequest(request.id, 1, approve, proper)).toBe(true);
    });
  });
}

function describeConsentChanges(world: ConformanceWorld): void {
  describe('ConsentStore: consent changes', () => {
    it('changes a consent only from the version the caller saw', async () => {
      const { consent } = await world.grantedConsent();
      const revoke = { state: 'revoked', at: LATER, actor: 'subject' } as const;
      const expire = { state: 'expired', at: LATER, actor: 'system' } as const;
      expect(await world.storage.consents.changeConsent(consent.id, 1, revoke)).toBe(true);
      expect(await world.storage.consents.changeConsent(consent.id, 1, expire)).toBe(false);
      expect(await world.storage.consents.changeConsent(consent.id, 3, expire)).toBe(false);
      expect(await world.storage.consents.changeConsent('cs_none', 1, revoke)).toBe(false);
      expect((await world.storage.consents.consent(A, consent.id))?.current).toMatchObject({
        version: 2,
        ...revoke,
      });
    });

    it('lets exactly one of racing changes on the same version win', async () => {
      const { consent } = await world.grantedConsent();
      const results = await Promise.all(
        (['revoked', 'expired', 'revoked'] as const).map((state) =>
          world.storage.consents.changeConsent(consent.id, 1, { state, at: LATER, actor: 'x' }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await world.storage.consents.consent(A, consent.id))?.current.version).toBe(2);
    });

    it('records a change with its audit entry, or neither', async () => {
      const { consent } = await world.grantedConsent();
      const revoke = { state: 'revoked', at: LATER, actor: 'subject' } as const;
      const stale = await world.staleAppend();
      const size = await world.auditSize();
      expectAuditRace(
        await failureOf(() => world.storage.consents.changeConsent(consent.id, 1, revoke, stale)),
      );
      expect(await world.auditSize()).toBe(size);
      expect((await world.storage.consents.consent(A, consent.id))?.current.version).toBe(1);
      const changed = await world.log.record(A, draft('subject'), (p) =>
        world.storage.consents.changeConsent(consent.id, 1, revoke, p),
      );
      expect(changed).toBe(true);
      expect(await world.auditSize()).toBe(size + 1);
      expect((await world.storage.consents.consent(A, consent.id))?.current.state).toBe('revoked');
    });

    it('appends no audit entry for a change that lost (false)', async () => {
      const { consent } = await world.grantedConsent();
      const size = await world.auditSize();
      const changed = await world.log.record(A, draft('subject'), (p) =>
        world.storage.consents.changeConsent(
          consent.id,
          5,
          { state: 'revoked', at: LATER, actor: 's' },
          p,
        ),
      );
      expect(changed).toBe(false);
      expect(await world.auditSize()).toBe(size);
    });
  });
}

function describeAttempts(world: ConformanceWorld): void {
  describe('ConsentStore: second-factor attempts', () => {
    it('counts failed attempts per request', async () => {
      const request = await world.pendingRequest();
      const other = await world.pendingRequest();
      expect(await world.storage.consents.recordFailedAttempt(request.id, T0)).toBe(1);
      expect(await world.storage.consents.recordFailedAttempt(request.id, LATER)).toBe(2);
      expect((await world.storage.consents.request(A, request.id))?.failedAttempts).toBe(2);
      expect((await world.storage.consents.request(A, other.id))?.failedAttempts).toBe(0);
    });

    it('reserves at most `max` attempts, also when they race, and takes back a released one', async () => {
      const request = await world.pendingRequest();
      const reserve = () => world.storage.consents.reserveAttempt(request.id, T0, 3);
      const handles = await Promise.all([1, 2, 3, 4, 5].map(reserve));
      const granted = handles.filter((h) => h !== undefined);
      expect(granted).toHaveLength(3);
      expect(new Set(granted).size).toBe(3);
      expect((await world.storage.consents.request(A, request.id))?.failedAttempts).toBe(3);
      expect(await reserve()).toBeUndefined();
      await world.storage.consents.releaseAttempt(granted[0] ?? -1);
      expect((await world.storage.consents.request(A, request.id))?.failedAttempts).toBe(2);
      expect(await reserve()).toBeDefined();
      expect(await reserve()).toBeUndefined();
    });
  });
}

function describeRequestConflicts(world: ConformanceWorld): void {
  describe('ConsentStore: request conflicts', () => {
    it('refuses a second request with a code hash taken, also in another tenant, as a conflict', async () => {
      const first = await world.pendingRequest();
      const sameTenant = requestRecord(first.subject, {
        codeHash: first.codeHash,
        recipients: ['schulamt-koeln'],
      });
      expectConflict(
        await failureOf(() => world.storage.consents.addRequest(sameTenant, partiesOf(sameTenant))),
      );
      // requestByCode may search every tenant, so a code hash is unique across them.
      const otherTenant = requestRecord(await world.subject(B), {
        tenantId: B,
        codeHash: first.codeHash,
      });
      expectConflict(
        await failureOf(() =>
          world.storage.consents.addRequest(otherTenant, partiesOf(otherTenant)),
        ),
      );
      expect(await world.storage.consents.request(A, sameTenant.id)).toBeUndefined();
      expect(await world.storage.consents.request(B, otherTenant.id)).toBeUndefined();
      expect(await world.storage.consents.eventsFor(A, 'schulamt-koeln', 0, 100)).toEqual([]);
      expect((await world.storage.consents.requestByCode(A, first.codeHash))?.request).toEqual(
        first,
      );
    });

    it('refuses a request id taken, also in another tenant, as a conflict', async () => {
      // decideRequest finds a request by id alone, so an id names one request in all tenants.
      const first = await world.pendingRequest();
      const again = requestRecord(await world.subject(B), { tenantId: B, id: first.id });
      expectConflict(
        await failureOf(() => world.storage.consents.addRequest(again, partiesOf(again))),
      );
      expect(await world.storage.consents.request(B, first.id)).toBeUndefined();
      expect((await world.storage.consents.request(A, first.id))?.request).toEqual(first);
    });
  });
}
