/**
 * Private keys never rest in clear: every stored key is sealed with AES-256-GCM under the
 * deployment's master key, and the slot it belongs to is bound in as additional data.
 */
import { z } from 'zod';
import { decodeBase64, GatewayError, toBase64Url } from '../core/index.ts';

/** A secret sealed with AES-256-GCM; safe to store as JSON. */
export interface WrappedKey {
  readonly alg: 'A256GCM';
  /** base64url of the 12-byte IV. */
  readonly iv: string;
  /** base64url of the ciphertext followed by the 16-byte GCM tag. */
  readonly ciphertext: string;
}

/**
 * WebCrypto's `CryptoKey`. Named through `crypto.subtle` because the Node typings declare the type
 * only inside `node:crypto` and the DOM lib only as a global; this spelling compiles under both.
 */
export type WebCryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** WebCrypto's `KeyUsage` (`'sign'`, `'decrypt'`, …), spelled for both typings as above. */
export type WebCryptoKeyUsage = Parameters<typeof crypto.subtle.importKey>[4][number];

/** WebCrypto's `EcKeyImportParams` or `RsaHashedImportParams`, structurally. */
export type PrivateKeyImportParams =
  { name: string; namedCurve: string } | { name: string; hash: string | { name: string } };

const base64url = /^[A-Za-z0-9_-]*$/;

/** Shape check for a {@link WrappedKey} read back from storage. */
export const wrappedKeySchema = z.object({
  alg: z.literal('A256GCM'),
  iv: z.string().regex(base64url).length(16),
  // At least the 16-byte tag (22 base64url characters).
  ciphertext: z.string().regex(base64url).min(22),
});

const masterKeyBytes = 32;
const ivBytes = 12;

/**
 * Why a stored key did not open: `does_not_open` — the AES-GCM tag does not hold (another master
 * key, another slot, or an altered value); `malformed` — not a wrapped key at all;
 * `wrong_algorithm` — it opened but holds no key for the expected algorithm;
 * `wrong_master_key` — `checkMasterKey` found the given master key is not the one the data
 * dir's keys were wrapped with.
 */
export type KeyUnwrapReason =
  'does_not_open' | 'malformed' | 'wrong_algorithm' | 'wrong_master_key';

/**
 * A stored key that cannot be used. Deliberately not a `GatewayError`: it refuses nothing the
 * caller did, so the HTTP edge answers it as any unplanned failure — a bare 500 with the request
 * id — and logs its type (`KeyUnwrapError`) and stack frames, never its message. The message names
 * no slot and no key material; it is for operators at the CLI and at start-up. Switch on `reason`.
 */
export class KeyUnwrapError extends Error {
  override readonly name = 'KeyUnwrapError';
  /** The code a failure of the gateway itself carries (see `errorStatus`): never the caller's fault. */
  readonly code = 'internal_error';
  readonly reason: KeyUnwrapReason;
  /** The tenant whose key did not open, where known. */
  readonly tenantId: string | undefined;

  constructor(
    reason: KeyUnwrapReason,
    message: string,
    options: { cause?: unknown; tenantId?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.reason = reason;
    this.tenantId = options.tenantId;
  }
}

/** True for a {@link KeyUnwrapError}, also one from another copy of this module. */
export function isKeyUnwrapError(value: unknown): value is KeyUnwrapError {
  return (
    value instanceof KeyUnwrapError ||
    (value instanceof Error && value.name === 'KeyUnwrapError' && 'reason' in value)
  );
}

const malformed = () => new KeyUnwrapError('malformed', 'a stored key is malformed');

/** The AES-GCM context a wrapped key is bound to, so it cannot be moved to another slot. */
export const keyContext = (tenantId: string, use: string, kid: string): string =>
  `consent-gateway/${tenantId}/${use}/${kid}`;

/**
 * Imports the master key as a non-extractable AES-GCM key, so that nothing holding the
 * `CryptoKey` can read it back out.
 *
 * @throws GatewayError `validation_failed` unless `raw` is exactly 32 bytes.
 */
export async function importMasterKey(raw: Uint8Array): Promise<WebCryptoKey> {
  if (raw.byteLength !== masterKeyBytes) {
    throw new GatewayError('validation_failed', {
      detail: `the master key must be exactly ${masterKeyBytes} bytes`,
    });
  }
  return crypto.subtle.importKey('raw', copy(raw), { name: 'AES-GCM' }, false, [
    'encrypt',
    'decrypt',
  ]);
}

/**
 * Decodes the master key as configured (`GATEWAY_MASTER_KEY` or the key file): base64,
 * base64url or 64 hex digits, each encoding exactly 32 bytes. Surrounding whitespace is
 * ignored, as files usually end with a newline.
 *
 * @throws GatewayError `validation_failed` otherwise; the message never repeats the value, which
 *   may be a real key with a typo.
 * @example
 * ```ts
 * const master = await importMasterKey(parseMasterKey(env.GATEWAY_MASTER_KEY));
 * ```
 */
export function parseMasterKey(text: string): Uint8Array {
  const value = text.trim();
  let bytes: Uint8Array | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    bytes = new Uint8Array(masterKeyBytes);
    for (let i = 0; i < masterKeyBytes; i++) {
      bytes[i] = Number.parseInt(value.slice(2 * i, 2 * i + 2), 16);
    }
  } else if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) || /^[A-Za-z0-9_-]+={0,2}$/.test(value)) {
    bytes = decodeBase64(value);
  }
  if (bytes?.byteLength !== masterKeyBytes) {
    throw new GatewayError('validation_failed', {
      detail:
        bytes === undefined
          ? 'the master key is neither base64, base64url nor hex; it must encode exactly 32 bytes'
          : `the master key decodes to ${bytes.byteLength} bytes; it must encode exactly 32 bytes (base64, base64url or 64 hex digits)`,
    });
  }
  return bytes;
}

/** 32 fresh random bytes from WebCrypto, for a new master key. */
export function generateMasterKeyBytes(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(masterKeyBytes));
}

/** base64url (no padding) of a master key, the form written to the embedded default key file. */
export function encodeMasterKey(bytes: Uint8Array): string {
  return toBase64Url(bytes);
}

/**
 * Seals `secret` under the master key with a fresh random 96-bit IV. `context` names the slot the
 * secret belongs to (e.g. `tenant:koeln/signing/kid-123`) and is authenticated as additional
 * data, so a wrapped key copied into another slot no longer unwraps.
 */
export async function wrapSecret(
  master: WebCryptoKey,
  secret: Uint8Array,
  context: string,
): Promise<WrappedKey> {
  const iv = crypto.getRandomValues(new Uint8Array(ivBytes));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context), tagLength: 128 },
    master,
    copy(secret),
  );
  return {
    alg: 'A256GCM',
    iv: toBase64Url(iv),
    ciphertext: toBase64Url(new Uint8Array(ciphertext)),
  };
}

/**
 * Opens a secret sealed by {@link wrapSecret} for the same `context`.
 *
 * @throws KeyUnwrapError `does_not_open` if the master key or context differ or the stored value
 *   was altered; `malformed` if it is no wrapped key.
 */
export async function unwrapSecret(
  master: WebCryptoKey,
  wrapped: WrappedKey,
  context: string,
): Promise<Uint8Array> {
  return openSecret(master, wrapped, context);
}

async function openSecret(
  master: WebCryptoKey,
  wrapped: WrappedKey,
  context: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const parsed = wrappedKeySchema.safeParse(wrapped);
  if (!parsed.success) throw malformed();
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: decodeBase64url(parsed.data.iv),
        additionalData: new TextEncoder().encode(context),
        tagLength: 128,
      },
      master,
      decodeBase64url(parsed.data.ciphertext),
    );
    return new Uint8Array(plain);
  } catch (cause) {
    throw new KeyUnwrapError(
      'does_not_open',
      'a stored key could not be unwrapped (wrong master key?)',
      { cause },
    );
  }
}

/**
 * Exports an extractable private key as PKCS #8 and seals it with {@link wrapSecret}.
 *
 * @throws GatewayError `internal_error` if `key` is not an extractable private key.
 */
export async function wrapPrivateKey(
  master: WebCryptoKey,
  key: WebCryptoKey,
  context: string,
): Promise<WrappedKey> {
  if (key.type !== 'private' || !key.extractable) {
    throw new GatewayError('internal_error', {
      detail: 'only an extractable private key can be wrapped',
    });
  }
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', key));
  try {
    return await wrapSecret(master, pkcs8, context);
  } finally {
    // Shortens the time the clear key sits in memory; the GC gives no such promise.
    pkcs8.fill(0);
  }
}

/**
 * Opens a private key sealed by {@link wrapPrivateKey} and imports it as non-extractable, so it
 * can sign or decrypt but never leave WebCrypto again.
 *
 * @throws KeyUnwrapError if it does not unwrap (`does_not_open`, `malformed`) or is not a key for
 *   `algorithm` (`wrong_algorithm`).
 * @example
 * ```ts
 * const key = await unwrapPrivateKey(master, stored, 'tenant:koeln/signing/kid-123',
 *   { name: 'ECDSA', namedCurve: 'P-256' }, ['sign']);
 * ```
 */
export async function unwrapPrivateKey(
  master: WebCryptoKey,
  wrapped: WrappedKey,
  context: string,
  algorithm: PrivateKeyImportParams,
  usages: WebCryptoKeyUsage[],
): Promise<WebCryptoKey> {
  const pkcs8 = await openSecret(master, wrapped, context);
  try {
    return await crypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, usages);
  } catch (cause) {
    throw new KeyUnwrapError(
      'wrong_algorithm',
      'a stored private key does not match the expected algorithm',
      { cause },
    );
  } finally {
    pkcs8.fill(0);
  }
}

/** A copy backed by a plain ArrayBuffer, as WebCrypto's typings require. */
function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

function decodeBase64url(text: string): Uint8Array<ArrayBuffer> {
  const bytes = decodeBase64(text);
  // The schema has checked the alphabet; only an impossible length is left to refuse.
  if (bytes === undefined) throw malformed();
  return bytes;
}
