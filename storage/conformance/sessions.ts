import { describe, expect, it } from 'vitest';
import type { EidSignIn } from '../../consent/index.ts';
import {
  A,
  LATER,
  T0,
  expectConflict,
  failureOf,
  session,
  type ConformanceWorld,
} from './world.ts';

/** ConsentStore: portal sessions and identity-verified sign-ins in flight. */
export function describeSessions(world: ConformanceWorld): void {
  describePortalSessions(world);
  describeSignIns(world);
}

function describePortalSessions(world: ConformanceWorld): void {
  describe('ConsentStore: portal sessions', () => {
    it('adds, reads, touches and deletes a session, leaving others alone', async () => {
      const s = session();
      const other = session();
      await world.storage.consents.addSession(s);
      await world.storage.consents.addSession(other);
      expect(await world.storage.consents.session(s.tokenHash)).toEqual(s);
      await world.storage.consents.touchSession(s.tokenHash, LATER);
      expect(await world.storage.consents.session(s.tokenHash)).toEqual({
        ...s,
        lastSeenAt: LATER,
      });
      expect(await world.storage.consents.session(other.tokenHash)).toEqual(other);
      await world.storage.consents.deleteSession(s.tokenHash);
      expect(await world.storage.consents.session(s.tokenHash)).toBeUndefined();
      expect(await world.storage.consents.session(other.tokenHash)).toEqual(other);
    });

    it('answers undefined for an unknown token, and touching or deleting one changes nothing', async () => {
      const s = session();
      await world.storage.consents.addSession(s);
      await world.storage.consents.touchSession('th_unknown', LATER);
      await world.storage.consents.deleteSession('th_unknown');
      expect(await world.storage.consents.session('th_unknown')).toBeUndefined();
      expect(await world.storage.consents.session(s.tokenHash)).toEqual(s);
    });

    it('refuses a second session with the same token hash as a conflict, keeping the first', async () => {
      const s = session();
      await world.storage.consents.addSession(s);
      expectConflict(
        await failureOf(() => world.storage.consents.addSession({ ...s, assurance: 'high' })),
      );
      expect(await world.storage.consents.session(s.tokenHash)).toEqual(s);
    });

    it('keeps what each kind of session reaches, as given', async () => {
      const sessions = [
        session(),
        session({ access: { kind: 'consent', tenantId: A, subject: 'ps_1', consentId: 'cs_1' } }),
        session({
          access: {
            kind: 'person',
            identities: [
              { tenantId: A, identityHash: 'ih_1' },
              { tenantId: 'dortmund', identityHash: 'ih_2' },
            ],
          },
          channel: 'portal-eid',
          assurance: 'substantial',
        }),
      ];
      for (const s of sessions) await world.storage.consents.addSession(s);
      for (const s of sessions)
        expect(await world.storage.consents.session(s.tokenHash)).toEqual(s);
    });
  });
}

function describeSignIns(world: ConformanceWorld): void {
  describe('ConsentStore: sign-ins in flight', () => {
    const signIn = (overrides: Partial<EidSignIn> = {}): EidSignIn => ({
      idHash: 'ih',
      state: 's',
      nonce: 'n',
      codeVerifier: 'v',
      createdAt: T0,
      ...overrides,
    });

    it('hands out a sign-in once, with or without a return path', async () => {
      const plain = signIn();
      const withReturn = signIn({ idHash: 'ih2', returnTo: '/portal/consents' });
      await world.storage.consents.addEidSignIn(plain);
      await world.storage.consents.addEidSignIn(withReturn);
      expect(await world.storage.consents.takeEidSignIn('ih')).toEqual(plain);
      expect(await world.storage.consents.takeEidSignIn('ih')).toBeUndefined();
      expect(await world.storage.consents.takeEidSignIn('ih2')).toEqual(withReturn);
      expect(await world.storage.consents.takeEidSignIn('ih_unknown')).toBeUndefined();
    });

    it('hands a sign-in to exactly one of racing takers', async () => {
      await world.storage.consents.addEidSignIn(signIn());
      const taken = await Promise.all(
        [1, 2, 3].map(() => world.storage.consents.takeEidSignIn('ih')),
      );
      expect(taken.filter((t) => t !== undefined)).toEqual([signIn()]);
    });

    it('refuses a second sign-in with the same id hash as a conflict', async () => {
      await world.storage.consents.addEidSignIn(signIn());
      expectConflict(
        await failureOf(() => world.storage.consents.addEidSignIn(signIn({ nonce: 'other' }))),
      );
      expect(await world.storage.consents.takeEidSignIn('ih')).toEqual(signIn());
    });
  });
}
