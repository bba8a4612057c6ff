import { base64url } from 'jose';
import type { TestPrincipal } from '../../support/pki.ts';

/**
 * Compact JWS built by hand, so an attack can put anything in the header (jose itself refuses to
 * sign an unknown `crit` or `b64: false` JWT). ES256 keys sign as WebCrypto does (IEEE P1363, the
 * JWS form); `hmac` bytes sign HS256; `none` leaves the signature empty.
 */
export type Signer = CryptoKey | { hmac: Uint8Array<ArrayBuffer> } | 'none';

const text = (value: string) => new TextEncoder().encode(value);

export async function handSigned(
  header: Record<string, unknown>,
  payload: string | Uint8Array,
  signer: Signer,
  options: { encodePayload?: boolean } = {},
): Promise<string> {
  const h = base64url.encode(JSON.stringify(header));
  const bytes = typeof payload === 'string' ? text(payload) : payload;
  const p =
    options.encodePayload === false ? new TextDecoder().decode(bytes) : base64url.encode(bytes);
  const input = text(`${h}.${p}`);
  if (signer === 'none') return `${h}.${p}.`;
  let signature: ArrayBuffer;
  if (signer instanceof CryptoKey) {
    signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signer, input);
  } else {
    const key = await crypto.subtle.importKey(
      'raw',
      signer.hmac,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    signature = await crypto.subtle.sign('HMAC', key, input);
  }
  return `${h}.${p}.${base64url.encode(new Uint8Array(signature))}`;
}

/** The claims of a valid assertion by `p` at `now`; override any of them. */
export function claimsOf(p: TestPrincipal, now: Date, audience: string) {
  const iat = Math.floor(now.getTime() / 1000);
  return {
    iss: p.id,
    sub: p.id,
    aud: audience,
    iat,
    exp: iat + 120,
    jti: crypto.randomUUID(),
  } as Record<string, unknown>;
}

/** A fresh P-256 signing key pair no gateway has ever seen. */
export const strangerKeys = () =>
  crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
