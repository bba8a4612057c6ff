import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, GatewayError } from '../core/index.ts';
import { createTenantCa, type TenantCa } from './ca.ts';
import { createCrl, crlNumberOf, type CreateCrlOptions } from './crl.ts';

const clock = new FixedClock('2026-03-02T10:00:00.000Z');
const HOUR = 3_600_000;

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

let ca: TenantCa;
beforeAll(async () => {
  ca = await createTenantCa({ tenantId: 'koeln', displayName: 'Stadt Köln', clock });
});

const crlFor = (overrides: Partial<CreateCrlOptions> = {}) =>
  createCrl({
    ca: { certificate: ca.certificate, privateKey: ca.keys.privateKey },
    revoked: [],
    crlNumber: 1,
    clock,
    ...overrides,
  });

describe('createCrl', () => {
  it('writes a v2 CRL signed by the CA, with issuer, AKI and CRL number', async () => {
    const { crl, pem } = await crlFor({ crlNumber: 7 });
    expect(pem).toMatch(/^-----BEGIN X509 CRL-----\n/);
    expect(crl.version).toBe(1); // v2 is encoded as 1
    expect(crl.issuer).toBe(ca.certificate.subject);
    expect(Buffer.from(crl.issuerName.toArrayBuffer())).toEqual(
      Buffer.from(ca.certificate.subjectName.toArrayBuffer()),
    );
    expect(await crl.verify({ publicKey: ca.certificate })).toBe(true);
    expect(crl.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });

    const aki = crl.getExtension(x509.AuthorityKeyIdentifierExtension);
    expect(aki?.keyId).toBe(ca.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
    expect(crlNumberOf(crl)).toBe(7);
    expect(crl.getExtension('2.5.29.20')?.critical).toBe(false);
  });

  it('is valid from now until nextUpdateHours later', async () => {
    const { crl } = await crlFor({ nextUpdateHours: 6 });
    expect(crl.thisUpdate).toEqual(clock.now());
    expect(crl.nextUpdate).toEqual(new Date(clock.now().getTime() + 6 * HOUR));
    const { crl: byDefault } = await crlFor();
    expect(byDefault.nextUpdate).toEqual(new Date(clock.now().getTime() + 24 * HOUR));
  });

  it('lists revoked serials with date and reason, whatever their spelling', async () => {
    const revokedAt = new Date('2026-03-01T08:00:00.000Z');
    const { crl } = await crlFor({
      revoked: [
        { serial: '0A:1B:2C', revokedAt },
        { serial: '7F00FF', revokedAt, reason: x509.X509CrlReason.keyCompromise },
      ],
    });
    expect(crl.entries.map((entry) => entry.serialNumber.replace(/^0+/, ''))).toEqual([
      'a1b2c',
      '7f00ff',
    ]);
    expect(crl.findRevoked('0a1b2c')?.revocationDate).toEqual(revokedAt);
    expect(crl.findRevoked('7f00ff')?.reason).toBe(x509.X509CrlReason.keyCompromise);
    expect(crl.findRevoked('0a1b2d')).toBeNull();
  });

  it('merges duplicate serials, keeping the earliest revocation', async () => {
    const { crl } = await crlFor({
      revoked: [
        { serial: 'abc', revokedAt: new Date('2026-03-01T09:00:00Z') },
        { serial: '0ABC', revokedAt: new Date('2026-03-01T08:00:00Z') },
      ],
    });
    expect(crl.entries).toHaveLength(1);
    expect(crl.entries[0]?.revocationDate).toEqual(new Date('2026-03-01T08:00:00Z'));
  });

  it.each([0, 127, 128, 255, 256, 2 ** 40, Number.MAX_SAFE_INTEGER])(
    'encodes CRL number %d as a positive DER INTEGER',
    async (crlNumber) => {
      const { crl } = await crlFor({ crlNumber });
      expect(crlNumberOf(crl)).toBe(crlNumber);
      const value = new Uint8Array(crl.getExtension('2.5.29.20')?.value ?? new ArrayBuffer(0));
      expect(value[0]).toBe(0x02);
      expect((value[2] ?? 0) & 0x80).toBe(0);
    },
  );

  it.each([-1, 1.5, Number.NaN, 2 ** 60])('refuses CRL number %d', async (crlNumber) => {
    const error = await refusal(crlFor({ crlNumber }));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toContain('CRL number');
  });

  it('refuses a serial that is not hex', async () => {
    const error = await refusal(crlFor({ revoked: [{ serial: 'xyz', revokedAt: clock.now() }] }));
    expect(error.code).toBe('validation_failed');
  });

  it('refuses a nextUpdate of less than an hour', async () => {
    const error = await refusal(crlFor({ nextUpdateHours: 0 }));
    expect(error.code).toBe('validation_failed');
  });

  it('notices a key that does not belong to the CA', async () => {
    const other = await createTenantCa({ tenantId: 'bonn', displayName: 'Bonn', clock });
    const error = await refusal(
      createCrl({
        ca: { certificate: ca.certificate, privateKey: other.keys.privateKey },
        revoked: [],
        crlNumber: 1,
        clock,
      }),
    );
    expect(error.code).toBe('internal_error');
  });
});
