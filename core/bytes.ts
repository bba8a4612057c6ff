/** Small byte helpers over Web standards (no Buffer: this runs on workerd too). */

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Decodes base64 or base64url, padded or not; the caller has checked the alphabet. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  const standard = text.replaceAll('-', '+').replaceAll('_', '/').replace(/=+$/, '');
  if (standard.length % 4 === 1) return undefined;
  let binary: string;
  try {
    binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  } catch {
    return undefined;
  }
  // A plain loop: `Uint8Array.from` with a mapping function is several times slower, which
  // shows on every request's certificate chain.
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** A random, URL-safe id with 128 bits of entropy. */
export const randomId = (prefix: string): string => `${prefix}_${toBase64Url(randomBytes(16))}`;

/** SHA-256 of the bytes; WebCrypto unless a runtime installed a faster one. */
export type Sha256 = (
  bytes: Uint8Array<ArrayBuffer>,
) => Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>>;

const webCryptoSha256: Sha256 = async (bytes) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
let installedSha256: Sha256 = webCryptoSha256;

/**
 * Installs the SHA-256 the gateway hashes with. On Node the entries install `node:crypto`'s,
 * which hashes small inputs (tree nodes, request bodies, fingerprints) on the calling thread:
 * WebCrypto sends each one to the thread pool and back, dozens of hops per exchange. Same
 * function, same bytes; only the cost moves.
 */
export function useSha256(impl: Sha256): void {
  installedSha256 = impl;
}

/** SHA-256 of the bytes with the installed implementation. */
export async function sha256Bytes(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return installedSha256(bytes);
}

/** HMAC-SHA256 of the bytes under a WebCrypto HMAC key (SHA-256, usage `sign`). */
export type HmacSha256 = (
  key: CryptoKey,
  bytes: Uint8Array<ArrayBuffer>,
) => Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>>;

const webCryptoHmacSha256: HmacSha256 = async (key, bytes) =>
  new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes));
let installedHmacSha256: HmacSha256 = webCryptoHmacSha256;

/**
 * Installs the HMAC-SHA256 the gateway's keyed hashes use (pseudonyms on every exchange), for the
 * same reason as {@link useSha256}.
 */
export function useHmacSha256(impl: HmacSha256): void {
  installedHmacSha256 = impl;
}

/** HMAC-SHA256 of the bytes under `key` with the installed implementation. */
export async function hmacSha256(
  key: CryptoKey,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return installedHmacSha256(key, bytes);
}

/** SHA-256 of the text's UTF-8, base64url. */
export async function sha256(text: string): Promise<string> {
  return toBase64Url(await sha256Bytes(new TextEncoder().encode(text)));
}

/**
 * Compares two strings in time that depends only on their length, so a secret's hash cannot be
 * guessed byte by byte from response times.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
