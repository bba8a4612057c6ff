import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  provisionTenantKeys,
  registerWithCsr,
  type PkiDeps,
  type TenantKeyMaterial,
} from '../../certs/index.ts';
import { FixedClock } from '../../core/index.ts';
import { keyAndCsr, pkiDeps } from '../../test/support/pki.ts';
import { tempDir } from '../../test/support/temp.ts';
import { openSqliteStorage, type SqliteStorage } from './storage.ts';

const clock = new FixedClock('2026-11-25T10:00:00Z');
let dir: ReturnType<typeof tempDir>;
let storage: SqliteStorage;
let deps: PkiDeps;
let keys: TenantKeyMaterial;
const tenant = { id: 'koeln', displayName: 'Köln', createdAt: clock.now().toISOString() };

beforeEach(async () => {
  dir = tempDir();
  storage = openSqliteStorage(dir.path);
  deps = await pkiDeps(storage, clock);
  keys = await provisionTenantKeys({
    tenantId: 'koeln',
    displayName: 'Köln',
    clock,
    masterKey: deps.masterKey,
  });
});
afterEach(() => {
  storage.close();
  dir.remove();
});

const count = (table: string): unknown =>
  storage.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();

describe('sqlite PkiStore', () => {
  it('stores a tenant with its three keys and CA anchor in one go', async () => {
    await storage.pki.createTenant(tenant, keys);
    expect(await storage.tenants.get('koeln')).toEqual(tenant);
    expect((await storage.pki.keys('koeln', 'signing')).map((k) => k.kid)).toEqual([
      keys.signing.kid,
    ]);
    expect(await storage.pki.anchors('koeln')).toHaveLength(1);
  });

  it('refuses the same tenant twice as a conflict and leaves nothing half-written', async () => {
    await storage.pki.createTenant(tenant, keys);
    const again = await provisionTenantKeys({
      tenantId: 'koeln',
      displayName: 'Köln',
      clock,
      masterKey: deps.masterKey,
    });
    await expect(storage.pki.createTenant(tenant, again)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(count('tenant_keys')).toBe(3);
    expect(count('trust_anchors')).toBe(1);
  });

  it('rolls the tenant back when one of its keys cannot be stored', async () => {
    const broken = { ...keys, openpgp: { ...keys.openpgp, use: 'bogus' as 'openpgp' } };
    await expect(storage.pki.createTenant(tenant, broken)).rejects.toThrow();
    expect(count('tenants')).toBe(0);
    expect(count('tenant_keys')).toBe(0);
  });

  it('keeps exactly one active key per use through rotations', async () => {
    await storage.pki.createTenant(tenant, keys);
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await storage.pki.rotateKey({
        ...keys.signing,
        kid: `k${i}`,
        createdAt: clock.now().toISOString(),
      });
    }
    const signing = await storage.pki.keys('koeln', 'signing');
    expect(signing.map((k) => [k.kid, k.status])).toEqual([
      ['k2', 'active'],
      ['k1', 'retired'],
      ['k0', 'retired'],
      [keys.signing.kid, 'retired'],
    ]);
  });

  it('accepts a jti once until it expires, per tenant and issuer', async () => {
    const use = (tenantId: string, issuer: string, jti: string, now: string) =>
      storage.pki.useAssertionId(tenantId, issuer, jti, '2026-11-25T10:05:00.000Z', now);
    expect(await use('koeln', 'a', 'j', '2026-11-25T10:00:00.000Z')).toBe(true);
    expect(await use('koeln', 'a', 'j', '2026-11-25T10:01:00.000Z')).toBe(false);
    expect(await use('koeln', 'b', 'j', '2026-11-25T10:01:00.000Z')).toBe(true);
    expect(await use('dortmund', 'a', 'j', '2026-11-25T10:01:00.000Z')).toBe(true);
    // Past its expiry the entry is cleaned, so the table does not grow without bound.
    expect(await use('koeln', 'a', 'other', '2026-11-25T10:06:00.000Z')).toBe(true);
    expect(count('used_assertions')).toBe(1);
  });

  it('cleans expired ids once a minute of the callers clock, again when it went back, never on an unreadable time', async () => {
    const use = (jti: string, expiresAt: string, now: string) =>
      storage.pki.useAssertionId('koeln', 'a', jti, expiresAt, now);
    await use('j1', '2026-11-25T10:00:30.000Z', '2026-11-25T10:00:00.000Z');
    // Expired at 10:00:40, but the last cleaning was 40 s ago: it stays until the next one.
    await use('j2', '2026-11-25T10:05:00.000Z', '2026-11-25T10:00:40.000Z');
    expect(count('used_assertions')).toBe(2);
    expect(await use('j3', '2026-11-25T10:05:00.000Z', 'not a time')).toBe(true);
    expect(count('used_assertions')).toBe(3);
    await use('j4', '2026-11-25T10:05:00.000Z', '2026-11-25T10:01:00.000Z');
    expect(count('used_assertions')).toBe(3);
    // Set back an hour, the clock counts its minute from its new time, not from 10:01.
    await use('j5', '2026-11-25T09:00:30.000Z', '2026-11-25T09:00:00.000Z');
    expect(count('used_assertions')).toBe(4);
    await use('j6', '2026-11-25T10:05:00.000Z', '2026-11-25T09:01:00.000Z');
    expect(count('used_assertions')).toBe(4);
  });
});

describe('sqlite PkiStore: an agency as controller', () => {
  const register = (extra: { address?: string; dpoContact?: string }, id = 'abh-koeln') =>
    keyAndCsr('P-256', id).then(({ csrPem }) =>
      registerWithCsr(deps, {
        tenantId: 'koeln',
        id,
        kind: 'agency',
        agencyType: 'immigration_office',
        csrPem,
        ...extra,
      }),
    );

  beforeEach(async () => {
    await storage.pki.createTenant(tenant, keys);
  });

  it('keeps the address and DPO contact an agency registered, normalised to one line', async () => {
    await register({
      address: '  Willy-Brandt-Platz 3, 50679 Köln '.normalize('NFD'),
      dpoContact: 'datenschutz@stadt-koeln.de',
    });
    expect(await storage.pki.principal('koeln', 'abh-koeln')).toMatchObject({
      address: 'Willy-Brandt-Platz 3, 50679 Köln',
      dpoContact: 'datenschutz@stadt-koeln.de',
    });
  });

  it('answers null for an agency registered without them', async () => {
    await register({});
    expect(await storage.pki.principal('koeln', 'abh-koeln')).toMatchObject({
      address: null,
      dpoContact: null,
    });
  });

  it.each([
    ['a line break in the address', { address: 'Willy-Brandt-Platz 3\n50679 Köln' }, '/address'],
    ['an empty DPO contact', { dpoContact: '  ' }, '/dpoContact'],
    ['a bidi override', { dpoContact: 'dsb@koeln.de\u202E' }, '/dpoContact'],
    ['an address too long', { address: 'x'.repeat(301) }, '/address'],
  ])('refuses %s and stores nothing', async (_, extra, path) => {
    await expect(register(extra)).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ path }],
    });
    expect(await storage.pki.principal('koeln', 'abh-koeln')).toBeUndefined();
  });

  it('refuses an address for a DPO or operator', async () => {
    const { csrPem } = await keyAndCsr('P-256', 'dsb');
    await expect(
      registerWithCsr(deps, {
        tenantId: 'koeln',
        id: 'dsb',
        kind: 'dpo',
        csrPem,
        address: 'Willy-Brandt-Platz 3, 50679 Köln',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('sqlite PkiStore: rows kept between changes', () => {
  let registered: Awaited<ReturnType<typeof registerWithCsr>>;

  beforeEach(async () => {
    await storage.pki.createTenant(tenant, keys);
    const { csrPem } = await keyAndCsr('P-256', 'abh-koeln');
    registered = await registerWithCsr(deps, {
      tenantId: 'koeln',
      id: 'abh-koeln',
      kind: 'agency',
      agencyType: 'immigration_office',
      csrPem,
    });
  });

  const record = async () => {
    const found = await storage.pki.certificateByFingerprint(registered.fingerprint);
    if (!found) throw new Error('the registered certificate is missing');
    return found;
  };

  it('sees a revocation the CLI committed through its own connection at the next read', async () => {
    const { fingerprint, serial, issuerFingerprint } = await record();
    expect(await storage.pki.isRevoked('koeln', issuerFingerprint, serial)).toBe(false);
    expect((await storage.pki.certificateByFingerprint(fingerprint))?.revokedAt).toBeNull();
    const cli = openSqliteStorage(dir.path);
    try {
      expect(await cli.pki.revoke('koeln', serial, clock.now().toISOString())).toBe(1);
    } finally {
      cli.close();
    }
    expect(await storage.pki.isRevoked('koeln', issuerFingerprint, serial)).toBe(true);
    expect((await storage.pki.certificateByFingerprint(fingerprint))?.revokedAt).not.toBeNull();
  });

  it('sees its own writes at the next read', async () => {
    const first = await record();
    const { serial, issuerFingerprint } = first;
    expect(await storage.pki.certificatesOf('koeln', 'abh-koeln')).toHaveLength(1);
    expect(await storage.pki.isRevoked('koeln', issuerFingerprint, serial)).toBe(false);
    await storage.pki.addCertificate({ ...first, fingerprint: 'renewed', serial: 'abc1' });
    await storage.pki.revoke('koeln', serial, clock.now().toISOString());
    expect(await storage.pki.certificatesOf('koeln', 'abh-koeln')).toHaveLength(2);
    expect(await storage.pki.isRevoked('koeln', issuerFingerprint, serial)).toBe(true);
  });

  it('hands every caller its own list of frozen rows', async () => {
    const first = await storage.pki.certificatesOf('koeln', 'abh-koeln');
    first.pop();
    const again = await storage.pki.certificatesOf('koeln', 'abh-koeln');
    expect(again).toHaveLength(1);
    expect(Object.isFrozen(again[0])).toBe(true);
    expect(Object.isFrozen(await storage.pki.principal('koeln', 'abh-koeln'))).toBe(true);
  });
});
