import { describe, expect, it } from 'vitest';
import type { AuditDraft } from '../../audit/index.ts';
import {
  A,
  B,
  LATER,
  T0,
  expectAuditRace,
  failureOf,
  session,
  wrappedKey,
  type ConformanceWorld,
} from './world.ts';

const erased = (subjectRef?: string): AuditDraft => ({
  event: 'subject.erased',
  actor: 'dpo-koeln',
  outcome: 'ok',
  ...(subjectRef === undefined ? {} : { subjectRef }),
});

/** ConsentStore: tenant secrets, subjects and the erasure of a subject. */
export function describeSubjects(world: ConformanceWorld): void {
  describeSecretsAndSubjects(world);
  describeErasure(world);
  describeErasureOfMessages(world);
}

function describeSecretsAndSubjects(world: ConformanceWorld): void {
  describe('ConsentStore: tenant secrets and subjects', () => {
    it('creates a tenant secret once and answers the same one after, per tenant and name', async () => {
      let created = 0;
      const create = () => {
        created++;
        return Promise.resolve(wrappedKey());
      };
      const first = await world.storage.consents.tenantSecret(A, 'pseudonym', create);
      expect(await world.storage.consents.tenantSecret(A, 'pseudonym', create)).toEqual(first);
      expect(created).toBe(1);
      const codes = await world.storage.consents.tenantSecret(A, 'codes', create);
      const inB = await world.storage.consents.tenantSecret(B, 'pseudonym', create);
      expect(codes).not.toEqual(first);
      expect(inB).not.toEqual(first);
      expect(created).toBe(3);
    });

    it('makes racing creators of a tenant secret agree on one', async () => {
      const create = () => Promise.resolve(wrappedKey());
      const [a, b] = await Promise.all([
        world.storage.consents.tenantSecret(A, 'codes', create),
        world.storage.consents.tenantSecret(A, 'codes', create),
      ]);
      expect(a).toEqual(b);
      expect(await world.storage.consents.tenantSecret(A, 'codes', create)).toEqual(a);
    });

    it('creates a subject once, keeping its first key and time, also when two race', async () => {
      const key = () => Promise.resolve(wrappedKey());
      const [a, b] = await Promise.all([
        world.storage.consents.ensureSubject(A, 'ps_1', key, T0),
        world.storage.consents.ensureSubject(A, 'ps_1', key, LATER),
      ]);
      expect(b).toEqual(a);
      expect(a).toMatchObject({ tenantId: A, pseudonym: 'ps_1' });
      let called = false;
      const again = await world.storage.consents.ensureSubject(
        A,
        'ps_1',
        () => {
          called = true;
          return key();
        },
        LATER,
      );
      expect(again).toEqual(a);
      expect(called).toBe(false);
      expect(await world.storage.consents.subject(A, 'ps_1')).toEqual(a);
      expect(await world.storage.consents.subject(A, 'ps_2')).toBeUndefined();
    });
  });
}

/** A person with everything erasure must remove, and neighbours it must leave alone. */
async function personWithHistory(world: ConformanceWorld) {
  const person = await world.subject();
  const { request, consent } = await world.grantedConsent(
    { subject: person, identityHash: 'ih_p' },
    { withdrawalCodeHash: 'wc_p' },
  );
  const pending = await world.pendingRequest({ subject: person, identityHash: 'ih_p' });
  await world.storage.consents.recordFailedAttempt(pending.id, T0);
  const sessions = [
    session({ access: { kind: 'request', tenantId: A, subject: person, requestId: pending.id } }),
    session({ access: { kind: 'consent', tenantId: A, subject: person, consentId: consent.id } }),
  ];
  const personWide = session({
    access: { kind: 'person', identities: [{ tenantId: A, identityHash: 'ih_p' }] },
    channel: 'portal-eid',
    assurance: 'substantial',
  });
  for (const s of [...sessions, personWide]) await world.storage.consents.addSession(s);
  const neighbour = await world.grantedConsent({ identityHash: 'ih_p' });
  const neighbourSession = session({
    access: { kind: 'request', tenantId: A, subject: neighbour.consent.subject, requestId: 'x' },
  });
  await world.storage.consents.addSession(neighbourSession);
  await world.storage.consents.ensureSubject(B, person, () => Promise.resolve(wrappedKey()), T0);
  const inB = await world.grantedConsent({ tenantId: B, subject: person });
  return {
    person,
    request,
    consent,
    pending,
    sessions,
    personWide,
    neighbour,
    neighbourSession,
    inB,
  };
}

function describeErasure(world: ConformanceWorld): void {
  describe('ConsentStore: eraseSubject', () => {
    it('removes the subject, its key, requests, consents, their versions and its sessions, with the entry', async () => {
      const p = await personWithHistory(world);
      const earlier = await world.log.append(A, erased('ref_p'));
      const size = await world.auditSize();
      await world.log.record(A, erased(), (prepared) =>
        world.storage.consents.eraseSubject(A, p.person, prepared),
      );
      const consents = world.storage.consents;
      expect(await world.auditSize()).toBe(size + 1);
      expect(await consents.subject(A, p.person)).toBeUndefined();
      for (const id of [p.request.id, p.pending.id])
        expect(await consents.request(A, id)).toBeUndefined();
      expect(await consents.requestByCode(undefined, p.pending.codeHash)).toBeUndefined();
      expect(await consents.consent(A, p.consent.id)).toBeUndefined();
      expect(await consents.consentByWithdrawalCode(A, 'wc_p')).toBeUndefined();
      expect(await consents.consentsOfSubject(A, p.person)).toEqual([]);
      expect(await consents.requestsOfSubject(A, p.person)).toEqual([]);
      expect(await consents.subjectsByIdentity(A, 'ih_p')).toEqual([p.neighbour.consent.subject]);
      const refs = (await consents.eventsFor(A, 'jc-koeln', 0, 100)).map((e) => e.refId);
      expect(refs).not.toContain(p.consent.id);
      expect(refs).not.toContain(p.request.id);
      expect(refs).toContain(p.neighbour.consent.id);
      for (const s of p.sessions) expect(await consents.session(s.tokenHash)).toBeUndefined();
      // The log keeps its entries, unlinkable once the key is gone.
      expect(await world.storage.audit.entriesAbout(A, 'ref_p')).toEqual([earlier]);
    });

    it('leaves other subjects, person-wide sessions and the same pseudonym in another tenant', async () => {
      const p = await personWithHistory(world);
      await world.log.record(A, erased(), (prepared) =>
        world.storage.consents.eraseSubject(A, p.person, prepared),
      );
      const consents = world.storage.consents;
      expect(await consents.session(p.personWide.tokenHash)).toEqual(p.personWide);
      expect(await consents.session(p.neighbourSession.tokenHash)).toEqual(p.neighbourSession);
      expect((await consents.consent(A, p.neighbour.consent.id))?.consent).toEqual(
        p.neighbour.consent,
      );
      expect(await consents.subject(B, p.person)).toBeDefined();
      expect((await consents.consent(B, p.inB.consent.id))?.current.state).toBe('active');
      expect(await consents.eventsFor(B, 'jc-koeln', 0, 100)).toHaveLength(3);
    });

    it('erases nothing when the audit entry cannot be committed', async () => {
      const p = await personWithHistory(world);
      const stale = await world.staleAppend();
      const size = await world.auditSize();
      expectAuditRace(
        await failureOf(() => world.storage.consents.eraseSubject(A, p.person, stale)),
      );
      const consents = world.storage.consents;
      expect(await world.auditSize()).toBe(size);
      expect(await consents.subject(A, p.person)).toBeDefined();
      expect((await consents.consent(A, p.consent.id))?.consent).toEqual(p.consent);
      expect((await consents.request(A, p.pending.id))?.failedAttempts).toBe(1);
      for (const s of p.sessions) expect(await consents.session(s.tokenHash)).toEqual(s);
      expect(await consents.eventsFor(A, 'jc-koeln', 0, 100)).toHaveLength(7);
    });
  });
}

function describeErasureOfMessages(world: ConformanceWorld): void {
  describe('ConsentStore: eraseSubject and the mailbox', () => {
    it('leaves no message naming the subject or holding its ciphertext, and none handed out', async () => {
      const { consent } = await world.grantedConsent();
      const waiting = await world.accepted(consent);
      const fetched = await world.accepted(consent);
      await world.log.record(A, erased(), (p) =>
        world.storage.exchanges.transition(fetched.id, ['queued'], 'delivered', p),
      );
      await world.log.record(A, erased(), (p) =>
        world.storage.consents.eraseSubject(A, consent.subject, p),
      );
      const exchanges = world.storage.exchanges;
      const stillWaiting = (await exchanges.waiting(A, 'jc-koeln', undefined, 100)).map(
        (m) => m.id,
      );
      const toWithhold = (await exchanges.waitingAfterConsentEnded(LATER, 100)).map((w) => w.id);
      for (const m of [waiting, fetched]) {
        const left = await exchanges.message(A, m.id);
        expect(left?.subject).not.toBe(consent.subject);
        expect(left?.ciphertext ?? null).toBeNull();
        // Still waiting only if the sweep withholds it.
        if (stillWaiting.includes(m.id)) expect(toWithhold).toContain(m.id);
      }
    });
  });
}
