import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { FixedClock, GatewayError } from '../core/index.ts';
import { createTenantCa } from './ca.ts';

const clock = new FixedClock('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('createTenantCa', () => {
  it('makes a self-signed ECDSA P-256 CA restricted to signing certificates and CRLs', async () => {
    const { certificate, keys } = await createTenantCa({
      tenantId: 'koeln',
      displayName: 'Stadt Köln',
      clock,
    });

    expect(await certificate.isSelfSigned()).toBe(true);
    expect(certificate.signatureAlgorithm).toMatchObject({
      name: 'ECDSA',
      hash: { name: 'SHA-256' },
    });
    expect(certificate.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });

    const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
    expect(constraints).toMatchObject({ ca: true, pathLength: 0, critical: true });

    const keyUsage = certificate.getExtension(x509.KeyUsagesExtension);
    expect(keyUsage?.critical).toBe(true);
    expect(keyUsage?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);

    const ski = certificate.getExtension(x509.SubjectKeyIdentifierExtension);
    const expectedKeyId = Buffer.from(await certificate.publicKey.getKeyIdentifier()).toString(
      'hex',
    );
    expect(ski?.keyId).toBe(expectedKeyId);

    expect(keys.privateKey.extractable).toBe(true);
    expect(keys.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    const exported = await crypto.subtle.exportKey('spki', keys.publicKey);
    expect(Buffer.from(exported)).toEqual(Buffer.from(certificate.publicKey.rawData));
  });

  it('names the CA after the tenant and backdates notBefore by five minutes', async () => {
    const { certificate } = await createTenantCa({
      tenantId: 'koeln',
      displayName: 'Stadt Köln',
      clock,
    });
    const subject = certificate.subjectName;
    expect(subject.getField('CN')).toEqual(['Stadt Köln Consent Gateway CA']);
    expect(subject.getField('O')).toEqual(['consent-gateway']);
    expect(subject.getField('OU')).toEqual(['koeln']);
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.notBefore.getTime()).toBe(clock.now().getTime() - 5 * MINUTE);
    expect(certificate.notAfter.getTime()).toBe(clock.now().getTime() + 3650 * DAY);
  });

  it('honours validityDays', async () => {
    const { certificate } = await createTenantCa({
      tenantId: 'koeln',
      displayName: 'Stadt Köln',
      clock,
      validityDays: 30,
    });
    expect(certificate.notAfter.getTime()).toBe(clock.now().getTime() + 30 * DAY);
  });

  it('keeps commas, plus signs, quotes and umlauts inside the CN instead of parsing them', async () => {
    const displayName = 'Bürgeramt Nord, OU=evil + CN="x" #1';
    const { certificate } = await createTenantCa({ tenantId: 'koeln', displayName, clock });
    const json = certificate.subjectName.toJSON();
    expect(json).toHaveLength(3);
    expect(certificate.subjectName.getField('CN')).toEqual([`${displayName} Consent Gateway CA`]);
    expect(certificate.subjectName.getField('OU')).toEqual(['koeln']);
    // UTF8String (tag 0x0c) carrying the umlaut as UTF-8.
    const der = Buffer.from(certificate.subjectName.toArrayBuffer());
    expect(der.includes(Buffer.from([0x0c]))).toBe(true);
    expect(der.includes(Buffer.from('Bürgeramt', 'utf8'))).toBe(true);
  });

  it('shortens a display name that would overflow the 64-character CN', async () => {
    const displayName = `Landeshauptstadt ${'Ä'.repeat(80)}`;
    const { certificate } = await createTenantCa({ tenantId: 'koeln', displayName, clock });
    const [cn = ''] = certificate.subjectName.getField('CN');
    expect(Array.from(cn)).toHaveLength(64);
    expect(cn).toMatch(/^Landeshauptstadt Ä+… Consent Gateway CA$/);
  });

  it('gives every CA a fresh random serial', async () => {
    const a = await createTenantCa({ tenantId: 'koeln', displayName: 'Köln', clock });
    const b = await createTenantCa({ tenantId: 'koeln', displayName: 'Köln', clock });
    expect(a.certificate.serialNumber).not.toBe(b.certificate.serialNumber);
    expect(Number.parseInt(a.certificate.serialNumber.slice(0, 2), 16)).toBeLessThan(0x80);
  });

  it.each([
    [{ tenantId: 'Köln', displayName: 'Köln' }, 'tenantId'],
    [{ tenantId: 'koeln', displayName: '   ' }, 'displayName'],
    [{ tenantId: 'koeln', displayName: 'Köln\u0000' }, 'control characters'],
    [{ tenantId: 'koeln', displayName: 'Köln', validityDays: 0 }, 'validityDays'],
    [{ tenantId: 'koeln', displayName: 'Köln', validityDays: 1.5 }, 'validityDays'],
  ])('refuses %j', async (options, mentioned) => {
    const error = await refusal(createTenantCa({ ...options, clock }));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toContain(mentioned);
  });
});
