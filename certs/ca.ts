import * as x509 from '@peculiar/x509';
import { GatewayError, type Clock } from '../core/index.ts';
import { randomSerial } from './serial.ts';
import { CLOCK_SKEW_MS, DAY_MS, OID, TENANT_ID_PATTERN, utf8Name } from './x509.ts';

export interface CreateTenantCaOptions {
  readonly tenantId: string;
  /** The municipality's name as people read it, e.g. "Stadt Köln"; any Unicode is fine. */
  readonly displayName: string;
  readonly clock: Clock;
  /** Lifetime in days; default 3650. */
  readonly validityDays?: number;
}

export interface TenantCa {
  readonly certificate: x509.X509Certificate;
  /** Extractable, so the caller can wrap the private key under the master key. */
  readonly keys: CryptoKeyPair;
}

const DEFAULT_CA_VALIDITY_DAYS = 3650;
const MAX_CA_VALIDITY_DAYS = 30 * 366;
/** ub-common-name (RFC 5280 Appendix A): OpenSSL and others refuse longer CNs when re-encoding. */
const MAX_COMMON_NAME = 64;
const CA_NAME_SUFFIX = ' Consent Gateway CA';
const MAX_DISPLAY_NAME = 256;

/**
 * Creates a tenant's certification authority: a fresh ECDSA P-256 key pair and a self-signed
 * certificate `CN=<displayName> Consent Gateway CA, O=consent-gateway, OU=<tenantId>` with
 * BasicConstraints cA (pathLen 0, critical), KeyUsage keyCertSign and cRLSign (critical), a
 * SubjectKeyIdentifier and a random 128-bit serial, signed ECDSA with SHA-256. notBefore lies five
 * minutes before `clock.now()` so verifiers with a slightly slow clock accept it at once.
 *
 * Names are built attribute by attribute as UTF8String, so a display name such as
 * `Stadt Mönchengladbach, Bürgeramt` cannot inject further RDNs. A display name too long for the
 * 64-character CN limit is shortened with an ellipsis.
 *
 * @throws GatewayError `validation_failed` for a malformed tenant id, an empty or control-character
 *   display name, or a validity outside 1 day to 30 years.
 * @example
 * ```ts
 * const { certificate, keys } = await createTenantCa({ tenantId: 'koeln', displayName: 'Stadt Köln', clock });
 * ```
 */
export async function createTenantCa(opts: CreateTenantCaOptions): Promise<TenantCa> {
  const { tenantId, clock } = opts;
  const validityDays = opts.validityDays ?? DEFAULT_CA_VALIDITY_DAYS;
  const displayName = opts.displayName.trim();
  const problems: string[] = [];
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    problems.push('tenantId must be a lower-case slug (a-z, 0-9, -; 2–63 characters)');
  }
  if (displayName.length === 0 || displayName.length > MAX_DISPLAY_NAME) {
    problems.push(`displayName must have 1–${MAX_DISPLAY_NAME} characters`);
  }
  if (/\p{Cc}/u.test(displayName)) problems.push('displayName must not contain control characters');
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > MAX_CA_VALIDITY_DAYS) {
    problems.push(`validityDays must be a whole number from 1 to ${MAX_CA_VALIDITY_DAYS}`);
  }
  if (problems.length > 0) {
    throw new GatewayError('validation_failed', {
      detail: `cannot create the tenant CA: ${problems.join('; ')}`,
      errors: problems.map((message) => ({ path: '', message })),
    });
  }

  const keys = await globalThis.crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: 'P-256' },
    true,
    ['sign', 'verify'],
  );
  const now = clock.now().getTime();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: utf8Name([
      [OID.commonName, caCommonName(displayName)],
      [OID.organization, 'consent-gateway'],
      [OID.organizationalUnit, tenantId],
    ]),
    notBefore: new Date(now - CLOCK_SKEW_MS),
    notAfter: new Date(now + validityDays * DAY_MS),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, keys };
}

function caCommonName(displayName: string): string {
  const full = `${displayName}${CA_NAME_SUFFIX}`;
  // ASN.1 size constraints count characters, i.e. code points, not UTF-16 units.
  const codePoints = (text: string): string[] => Array.from(text);
  if (codePoints(full).length <= MAX_COMMON_NAME) return full;
  const room = MAX_COMMON_NAME - codePoints(CA_NAME_SUFFIX).length - 1;
  return `${codePoints(displayName).slice(0, room).join('').trimEnd()}…${CA_NAME_SUFFIX}`;
}
