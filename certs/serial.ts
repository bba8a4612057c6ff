import { GatewayError } from '../core/index.ts';

/** RFC 5280 allows at most 20 octets; 64 hex digits leaves room for non-conforming imported CAs. */
const MAX_SERIAL_HEX_DIGITS = 64;

/**
 * Brings a certificate serial number into the one form the gateway stores and compares: lower-case
 * hex without leading zeros. Operators copy serials from `openssl x509 -serial` (upper case, even
 * length, `serial=` prefix) or `-text` (colon-separated), so all of these name the same serial.
 *
 * @throws GatewayError `validation_failed` if the input is not a hexadecimal number.
 * @example
 * ```ts
 * normalizeSerial('serial=0A1B2C'); // 'a1b2c'
 * normalizeSerial('0a:1b:2c');      // 'a1b2c'
 * normalizeSerial('0x00A1B2C');     // 'a1b2c'
 * ```
 */
export function normalizeSerial(hex: string): string {
  const compact = hex
    .trim()
    .replace(/^serial=/i, '')
    .replace(/^0x/i, '')
    .replaceAll(':', '');
  if (!/^[0-9a-f]+$/i.test(compact)) {
    throw new GatewayError('validation_failed', {
      detail:
        'a certificate serial must be hexadecimal, e.g. as `openssl x509 -serial -noout` prints it',
      errors: [{ path: '', message: 'not a hexadecimal serial number' }],
    });
  }
  const normalized = compact.toLowerCase().replace(/^0+(?=.)/, '');
  if (normalized.length > MAX_SERIAL_HEX_DIGITS) {
    throw new GatewayError('validation_failed', {
      detail: `a certificate serial has at most ${MAX_SERIAL_HEX_DIGITS} hex digits`,
      errors: [{ path: '', message: 'serial number too long' }],
    });
  }
  return normalized;
}

/**
 * A fresh certificate serial: 128 bits from WebCrypto with the top bit cleared, so the DER INTEGER
 * stays positive without a padding byte, returned normalised (see {@link normalizeSerial}).
 * Unpredictable serials are what CA/B Forum and RFC 5280 ask for to blunt chosen-prefix attacks.
 */
export function randomSerial(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  // An all-zero draw (p = 2^-127) would be serial 0, which RFC 5280 forbids: draw again.
  if (bytes.every((byte) => byte === 0)) return randomSerial();
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return normalizeSerial(hex);
}
