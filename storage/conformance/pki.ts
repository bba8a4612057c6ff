import { describe, expect, it } from 'vitest';
import {
  A,
  B,
  LATER,
  T0,
  certificate,
  draft,
  expectAuditRace,
  expectConflict,
  failureOf,
  principal,
  storedKey,
  tenant,
  tenantKeys,
  type ConformanceWorld,
} from './world.ts';

/** PkiStore: tenants with their keys, key rotation, anchors, principals, certificates, jti. */
export function describePki(world: ConformanceWorld): void {
  describeTenantKeys(world);
  describeAnchors(world);
  describePrincipals(world);
  describeRevocation(world);
}

function describeTenantKeys(world: ConformanceWorld): void {
  describe('PkiStore: tenants and keys', () => {
    it('stores a tenant together with its CA, signing and OpenPGP keys and its CA anchor', async () => {
      const keys = tenantKeys('bonn');
      await world.storage.pki.createTenant(tenant('bonn'), keys);
      expect(await world.storage.tenants.get('bonn')).toEqual(tenant('bonn'));
      for (const key of [keys.ca, keys.signing, keys.openpgp])
        expect(await world.storage.pki.keys('bonn', key.use)).toEqual([key]);
      expect(await world.storage.pki.anchors('bonn')).toEqual([keys.caAnchor]);
    });

    it('refuses a tenant id taken as a conflict, keeping the first tenant and its keys', async () => {
      const first = tenantKeys('bonn');
      await world.storage.pki.createTenant(tenant('bonn'), first);
      const again = tenantKeys('bonn');
      expectConflict(
        await failureOf(() => world.storage.pki.createTenant(tenant('bonn', LATER), again)),
      );
      expect(await world.storage.tenants.get('bonn')).toEqual(tenant('bonn'));
      expect(await world.storage.pki.keys('bonn', 'signing')).toEqual([first.signing]);
      expect(await world.storage.pki.anchors('bonn')).toEqual([first.caAnchor]);
    });

    it('stores no tenant when one of its keys cannot be stored', async () => {
      const keys = tenantKeys('bonn');
      const clash = { ...keys, openpgp: { ...keys.openpgp, kid: keys.signing.kid } };
      expect(
        await failureOf(() => world.storage.pki.createTenant(tenant('bonn'), clash)),
      ).toBeDefined();
      expect(await world.storage.tenants.get('bonn')).toBeUndefined();
      expect(await world.storage.pki.keys('bonn', 'signing')).toEqual([]);
      expect(await world.storage.pki.anchors('bonn')).toEqual([]);
    });

    it('keeps exactly one active key per use through rotations: active first, then newest', async () => {
      const before = await world.storage.pki.keys(A, 'signing');
      const rotated = [];
      for (let minute = 1; minute <= 3; minute++) {
        const key = storedKey(A, 'signing', `2026-11-25T10:0${minute}:00.000Z`);
        await world.log.record(A, draft('operator'), (p) => world.storage.pki.rotateKey(key, p));
        rotated.push(key);
      }
      const keys = await world.storage.pki.keys(A, 'signing');
      expect(keys.map((k) => [k.kid, k.status])).toEqual([
        [rotated[2]?.kid, 'active'],
        [rotated[1]?.kid, 'retired'],
        [rotated[0]?.kid, 'retired'],
        [before[0]?.kid, 'retired'],
      ]);
      expect(keys[0]).toEqual(rotated[2]);
      expect((await world.storage.pki.keys(A, 'ca')).map((k) => k.status)).toEqual(['active']);
      expect((await world.storage.pki.keys(B, 'signing')).map((k) => k.status)).toEqual(['active']);
      const all = await world.storage.pki.allSigningKeys();
      expect(all.filter((k) => k.tenantId === A)).toHaveLength(4);
      expect(all.filter((k) => k.tenantId === B)).toHaveLength(1);
      expect(all.every((k) => k.use === 'signing')).toBe(true);
    });

    it('rotates nothing when the audit entry cannot be committed', async () => {
      const [active] = await world.storage.pki.keys(A, 'signing');
      const stale = await world.staleAppend();
      const key = storedKey(A, 'signing', LATER);
      expectAuditRace(await failureOf(() => world.storage.pki.rotateKey(key, stale)));
      expect(await world.storage.pki.keys(A, 'signing')).toEqual([active]);
    });
  });
}

function describePrincipals(world: ConformanceWorld): void {
  describe('PkiStore: principals and certificates', () => {
    it('records a principal with its first certificate and its audit entry, in its tenant only', async () => {
      const p = principal(A, 'abh-koeln', { webhookUrl: 'https://abh.example/hook' });
      const cert = certificate(A, 'abh-koeln');
      const size = await world.auditSize();
      await world.log.record(A, draft('operator'), (a) =>
        world.storage.pki.addPrincipal(p, cert, a),
      );
      expect(await world.auditSize()).toBe(size + 1);
      expect(await world.storage.pki.principal(A, 'abh-koeln')).toEqual(p);
      expect(await world.storage.pki.principals(A)).toEqual([p]);
      expect(await world.storage.pki.certificatesOf(A, 'abh-koeln')).toEqual([cert]);
      expect(await world.storage.pki.certificateByFingerprint(cert.fingerprint)).toEqual(cert);
      expect(await world.storage.pki.certificatesBySerial(A, cert.serial)).toEqual([cert]);
      expect(await world.storage.pki.principal(B, 'abh-koeln')).toBeUndefined();
      expect(await world.storage.pki.principals(B)).toEqual([]);
      expect(await world.storage.pki.certificatesOf(B, 'abh-koeln')).toEqual([]);
      expect(await world.storage.pki.certificatesBySerial(B, cert.serial)).toEqual([]);
    });

    it('records a steering group’s monitor as a principal of its own kind', async () => {
      const p = principal(A, 'lenkung-koeln', { kind: 'monitor', agencyType: null });
      await world.log.record(A, draft('operator'), (a) =>
        world.storage.pki.addPrincipal(p, certificate(A, 'lenkung-koeln'), a),
      );
      expect(await world.storage.pki.principal(A, 'lenkung-koeln')).toEqual(p);
    });

    it('refuses a principal id taken, or a certificate registered, as a conflict, storing neither', async () => {
      const cert = certificate(A, 'abh-koeln');
      await world.storage.pki.addPrincipal(principal(A, 'abh-koeln'), cert);
      const again = certificate(A, 'abh-koeln');
      expectConflict(
        await failureOf(() => world.storage.pki.addPrincipal(principal(A, 'abh-koeln'), again)),
      );
      const sameCert = { ...cert, principalId: 'jc-koeln' };
      expectConflict(
        await failureOf(() => world.storage.pki.addPrincipal(principal(A, 'jc-koeln'), sameCert)),
      );
      expect(await world.storage.pki.certificateByFingerprint(again.fingerprint)).toBeUndefined();
      expect(await world.storage.pki.principal(A, 'jc-koeln')).toBeUndefined();
      expect(await world.storage.pki.certificateByFingerprint(cert.fingerprint)).toEqual(cert);
      // The same id in another tenant is another principal.
      await world.storage.pki.addPrincipal(principal(B, 'abh-koeln'), certificate(B, 'abh-koeln'));
      expect(await world.storage.pki.principal(B, 'abh-koeln')).toBeDefined();
    });

    it('records neither principal nor certificate when the audit entry cannot be committed', async () => {
      const cert = certificate(A, 'abh-koeln');
      const stale = await world.staleAppend();
      expectAuditRace(
        await failureOf(() =>
          world.storage.pki.addPrincipal(principal(A, 'abh-koeln'), cert, stale),
        ),
      );
      expect(await world.storage.pki.principal(A, 'abh-koeln')).toBeUndefined();
      expect(await world.storage.pki.certificateByFingerprint(cert.fingerprint)).toBeUndefined();
    });

    it('adds a further certificate to a principal, and refuses one registered as a conflict', async () => {
      const first = certificate(A, 'abh-koeln');
      await world.storage.pki.addPrincipal(principal(A, 'abh-koeln'), first);
      const renewed = certificate(A, 'abh-koeln', { createdAt: LATER });
      await world.storage.pki.addCertificate(renewed);
      expectConflict(await failureOf(() => world.storage.pki.addCertificate(renewed)));
      expect(await world.storage.pki.certificatesOf(A, 'abh-koeln')).toEqual([first, renewed]);
    });
  });
}

function describeRevocation(world: ConformanceWorld): void {
  describe('PkiStore: revocation and assertion ids', () => {
    it('revokes every certificate of the tenant with that serial, and only those', async () => {
      const serial = 'abc123';
      const gw = certificate(A, 'abh-koeln', { serial });
      const imported = certificate(A, 'jc-koeln', {
        serial,
        issuedByGateway: false,
        issuerFingerprint: 'fp-x',
      });
      const inB = certificate(B, 'abh-koeln', { serial });
      await world.storage.pki.addPrincipal(principal(A, 'abh-koeln'), gw);
      await world.storage.pki.addPrincipal(principal(A, 'jc-koeln'), imported);
      await world.storage.pki.addPrincipal(principal(B, 'abh-koeln'), inB);
      expect(await world.storage.pki.isRevoked(A, gw.issuerFingerprint, serial)).toBe(false);
      const size = await world.auditSize();
      const count = await world.log.record(A, draft('operator'), (p) =>
        world.storage.pki.revoke(A, serial, LATER, p),
      );
      expect(count).toBe(2);
      expect(await world.auditSize()).toBe(size + 1);
      expect(await world.storage.pki.isRevoked(A, gw.issuerFingerprint, serial)).toBe(true);
      expect(await world.storage.pki.isRevoked(A, 'fp-x', serial)).toBe(true);
      expect(await world.storage.pki.isRevoked(A, 'fp-other', serial)).toBe(false);
      expect(await world.storage.pki.isRevoked(B, inB.issuerFingerprint, serial)).toBe(false);
      expect(await world.storage.pki.certificatesBySerial(A, serial)).toEqual(
        expect.arrayContaining([
          { ...gw, revokedAt: LATER },
          { ...imported, revokedAt: LATER },
        ]),
      );
      const crl = await world.storage.pki.revokedForCrl(A);
      expect(crl.revoked).toEqual([{ ...gw, revokedAt: LATER }]);
    });

    it('revokes nothing when the audit entry cannot be committed', async () => {
      const cert = certificate(A, 'abh-koeln');
      await world.storage.pki.addPrincipal(principal(A, 'abh-koeln'), cert);
      const stale = await world.staleAppend();
      expectAuditRace(
        await failureOf(() => world.storage.pki.revoke(A, cert.serial, LATER, stale)),
      );
      expect(await world.storage.pki.isRevoked(A, cert.issuerFingerprint, cert.serial)).toBe(false);
      expect(await world.storage.pki.certificateByFingerprint(cert.fingerprint)).toEqual(cert);
    });

    it('numbers CRLs one up per call, per tenant', async () => {
      const numbers = [];
      for (let i = 0; i < 3; i++)
        numbers.push((await world.storage.pki.revokedForCrl(A)).crlNumber);
      expect(numbers[1]).toBe((numbers[0] ?? 0) + 1);
      expect(numbers[2]).toBe((numbers[0] ?? 0) + 2);
      expect((await world.storage.pki.revokedForCrl(B)).crlNumber).toBe(numbers[0]);
    });

    it('accepts an assertion id once until it expires, per tenant and issuer, also when racing', async () => {
      const use = (tenantId: string, issuer: string, jti: string, now = T0) =>
        world.storage.pki.useAssertionId(tenantId, issuer, jti, LATER, now);
      const raced = await Promise.all([1, 2, 3].map(() => use(A, 'abh-koeln', 'j1')));
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await use(A, 'abh-koeln', 'j1', '2026-11-25T10:04:59.999Z')).toBe(false);
      expect(await use(A, 'jc-koeln', 'j1')).toBe(true);
      expect(await use(B, 'abh-koeln', 'j1')).toBe(true);
      expect(await use(A, 'abh-koeln', 'j2')).toBe(true);
    });
  });
}

function describeAnchors(world: ConformanceWorld): void {
  describe('PkiStore: trust anchors', () => {
    it('adds a trust anchor to its tenant only, and refuses the same one again as a conflict', async () => {
      const [caAnchor] = await world.storage.pki.anchors(A);
      const imported = {
        tenantId: A,
        fingerprint: 'fp-imported',
        certificatePem: 'PEM',
        source: 'imported',
        subject: 'CN=Landes-CA',
        createdAt: LATER,
      } as const;
      await world.storage.pki.addAnchor(imported);
      expectConflict(await failureOf(() => world.storage.pki.addAnchor(imported)));
      expect(await world.storage.pki.anchors(A)).toEqual([caAnchor, imported]);
      expect((await world.storage.pki.anchors(B)).map((a) => a.fingerprint)).not.toContain(
        'fp-imported',
      );
    });
  });
}
