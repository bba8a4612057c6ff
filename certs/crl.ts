import * as x509 from '@peculiar/x509';
import { GatewayError, type Clock } from '../core/index.ts';
import { normalizeSerial } from './serial.ts';
import { HOUR_MS, OID, authorityKeyIdentifierFor, caSigningAlgorithm, toPem } from './x509.ts';

export interface RevokedEntry {
  /** Serial in any form {@link normalizeSerial} accepts. */
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason?: x509.X509CrlReason;
}

export interface CreateCrlOptions {
  readonly ca: { readonly certificate: x509.X509Certificate; readonly privateKey: CryptoKey };
  readonly revoked: readonly RevokedEntry[];
  /** Monotonically increasing per CA (RFC 5280 §5.2.3); the store hands out the next one. */
  readonly crlNumber: number;
  readonly clock: Clock;
  /** Hours until nextUpdate; default 24. */
  readonly nextUpdateHours?: number;
}

const DEFAULT_NEXT_UPDATE_HOURS = 24;
const MAX_NEXT_UPDATE_HOURS = 24 * 366;

/**
 * Writes the CA's certificate revocation list: a v2 CRL with the CA's subject as issuer, the
 * Authority Key Identifier and CRL Number extensions RFC 5280 §5.2 requires, thisUpdate now and
 * nextUpdate `nextUpdateHours` later, signed ECDSA with SHA-256 by the CA key. OpenSSL reads it
 * (`openssl crl -text`) and applies it (`openssl verify -crl_check`), so relying parties outside
 * the gateway reach the same verdict as the gateway itself.
 *
 * Entries with the same serial are merged (earliest revocation wins); serials are normalised.
 *
 * @throws GatewayError `validation_failed` for a negative or fractional CRL number, a bad serial or
 *   a nextUpdate outside 1 hour to 1 year; `internal_error` if the key does not fit the CA.
 * @example
 * ```ts
 * const { pem } = await createCrl({ ca, revoked: [{ serial: '5a1f…', revokedAt }], crlNumber: 7, clock });
 * ```
 */
export async function createCrl(
  opts: CreateCrlOptions,
): Promise<{ crl: x509.X509Crl; pem: string }> {
  const { ca, crlNumber, clock } = opts;
  const nextUpdateHours = opts.nextUpdateHours ?? DEFAULT_NEXT_UPDATE_HOURS;
  if (!Number.isSafeInteger(crlNumber) || crlNumber < 0) {
    throw new GatewayError('validation_failed', {
      detail: 'the CRL number must be a non-negative whole number',
      errors: [{ path: '/crlNumber', message: 'not a non-negative integer' }],
    });
  }
  if (
    !Number.isFinite(nextUpdateHours) ||
    nextUpdateHours < 1 ||
    nextUpdateHours > MAX_NEXT_UPDATE_HOURS
  ) {
    throw new GatewayError('validation_failed', {
      detail: `nextUpdateHours must lie between 1 and ${MAX_NEXT_UPDATE_HOURS}`,
      errors: [{ path: '/nextUpdateHours', message: 'out of range' }],
    });
  }
  const signingAlgorithm = caSigningAlgorithm(ca.privateKey);

  const bySerial = new Map<string, RevokedEntry>();
  for (const entry of opts.revoked) {
    const serial = normalizeSerial(entry.serial);
    const known = bySerial.get(serial);
    if (!known || entry.revokedAt.getTime() < known.revokedAt.getTime()) {
      bySerial.set(serial, { ...entry, serial });
    }
  }

  const now = clock.now().getTime();
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.certificate.subjectName,
    thisUpdate: new Date(now),
    nextUpdate: new Date(now + nextUpdateHours * HOUR_MS),
    signingKey: ca.privateKey,
    signingAlgorithm,
    extensions: [
      await authorityKeyIdentifierFor(ca.certificate),
      new x509.Extension(OID.crlNumber, false, derInteger(crlNumber)),
    ],
    entries: [...bySerial.values()].map((entry) => ({
      serialNumber: entry.serial,
      revocationDate: entry.revokedAt,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    })),
  });

  const signedByCa = await crl.verify({ publicKey: ca.certificate }).catch((): boolean => false);
  if (!signedByCa) {
    throw new GatewayError('internal_error', {
      detail: 'the CA private key does not belong to the CA certificate',
    });
  }
  // RFC 7468 and OpenSSL call the block "X509 CRL"; @peculiar/x509 would write "CRL".
  return { crl, pem: toPem(crl.rawData, 'X509 CRL') };
}

/**
 * Reads the CRL Number of a CRL, e.g. to check that a newer list supersedes an older one.
 *
 * @returns the number, or `undefined` for a CRL without the extension (allowed in v1 CRLs).
 * @throws GatewayError `validation_failed` if the extension is not a small non-negative INTEGER.
 */
export function crlNumberOf(crl: x509.X509Crl): number | undefined {
  const extension = crl.getExtension(OID.crlNumber);
  if (!extension) return undefined;
  const bytes = new Uint8Array(extension.value);
  const length = bytes[1] ?? 0;
  if (bytes[0] !== 0x02 || length < 1 || length > 7 || bytes.length !== 2 + length) {
    throw new GatewayError('validation_failed', {
      detail: 'the CRL Number extension is not an integer the gateway can read',
    });
  }
  let value = 0;
  for (const byte of bytes.subarray(2)) value = value * 256 + byte;
  return value;
}

/**
 * DER INTEGER for a non-negative safe integer. Hand-written because @peculiar/x509 has no class for
 * the CRL Number extension and the encoding is three lines: minimal big-endian octets, with a
 * leading zero when the top bit is set so the number stays positive.
 */
function derInteger(value: number): Uint8Array<ArrayBuffer> {
  const octets: number[] = [];
  let rest = value;
  do {
    octets.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((octets[0] ?? 0) & 0x80) octets.unshift(0);
  return Uint8Array.from([0x02, octets.length, ...octets]);
}
