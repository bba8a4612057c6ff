import { CompactEncrypt, CompactSign, compactVerify, errors as joseErrors } from 'jose';
import { decodeBase64 } from '../core/index.ts';
import type { AllowedJwsAlgorithm } from './key-policy.ts';

/** The key-management algorithms the gateway seals with (always with `enc` A256GCM). */
export type SealAlgorithm = 'ECDH-ES+A256KW' | 'RSA-OAEP-256';

/** Why a compact JWS was not accepted: malformed, or a signature that does not verify. */
export class CompactJwsRefused extends Error {
  constructor(readonly reason: 'malformed' | 'signature') {
    super(reason === 'signature' ? 'the signature does not verify' : 'not a compact JWS');
    this.name = 'CompactJwsRefused';
  }
}

/**
 * The engine could not do its work at all (its thread stopped): the server's failure, which a
 * caller must never report as a refusal of the token it was given.
 */
export class JoseEngineFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JoseEngineFailed';
  }
}

/**
 * The three JOSE operations of an exchange, on compact serialisations with keys already imported
 * (WebCrypto `CryptoKey`s). jose does them on every runtime; Node's entries install a
 * `node:crypto` engine (`gateway/node-jose.ts`) that does the same with plain calls, since each
 * WebCrypto call is a trip to the thread pool and back (a dozen per exchange) and jose's own work
 * costs the event loop more than the signature math; the server runs those calls on a thread of
 * their own (`gateway/node-jose-thread.ts`). All answer the same bytes for the same input;
 * `gateway/node-jose.test.ts` holds them to it, and openssl and jwcrypto read the server's.
 */
export interface JoseEngine {
  /**
   * The payload of a compact JWS whose protected header names `alg` and whose signature verifies
   * with `key`. Refuses `crit` (no extension is understood) and anything not strict base64url.
   * @throws CompactJwsRefused for the token; TypeError for a key that does not fit `alg`
   */
  verify(jws: string, key: CryptoKey, alg: AllowedJwsAlgorithm): Promise<Uint8Array>;
  /** A compact JWS over `payload` with exactly this protected header (whose `alg` signs). */
  sign(
    payload: Uint8Array,
    header: { alg: AllowedJwsAlgorithm; kid: string; typ: string },
    key: CryptoKey,
  ): Promise<string>;
  /** A compact JWE (A256GCM) of `plaintext` to the recipient's public `key`. */
  encrypt(
    plaintext: Uint8Array,
    header: { alg: SealAlgorithm; cty: string },
    key: CryptoKey,
  ): Promise<string>;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
// One decoder for every header: making one per call costs more than the decoding (the runtime
// sets up a converter each time), and a fatal decoder keeps no state between whole-buffer calls.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A compact JWS split and its protected header read, before any key is used. */
export interface CompactJwsParts {
  readonly header: Record<string, unknown>;
  /** `base64url(header) "." base64url(payload)`: the bytes the signature covers, as text. */
  readonly signingInput: string;
  readonly payload: string;
  readonly signature: string;
}

/**
 * Splits a compact JWS and reads its protected header, the same for every engine and for callers
 * that look at the header first: three strict base64url parts (a lenient decoder would let the
 * gateway and the recipient read different bytes), a JSON object header (naming `alg`, where
 * given), and no `crit`, since the gateway understands no extension.
 * @throws CompactJwsRefused `malformed`
 */
export function compactParts(jws: string, alg?: string): CompactJwsParts {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new CompactJwsRefused('malformed');
  for (const part of parts) {
    if (!BASE64URL.test(part) || part.length % 4 === 1) throw new CompactJwsRefused('malformed');
  }
  const [encodedHeader, payload, signature] = parts as [string, string, string];
  let header: unknown;
  try {
    const bytes = decodeBase64(encodedHeader);
    if (bytes === undefined) throw new CompactJwsRefused('malformed');
    header = JSON.parse(UTF8.decode(bytes));
  } catch {
    throw new CompactJwsRefused('malformed');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new CompactJwsRefused('malformed');
  }
  const fields = header as Record<string, unknown>;
  if ((alg !== undefined && fields['alg'] !== alg) || 'crit' in fields) {
    throw new CompactJwsRefused('malformed');
  }
  return { header: fields, signingInput: `${encodedHeader}.${payload}`, payload, signature };
}

/** jose's engine: every runtime, WebCrypto underneath. */
export const joseLibraryEngine: JoseEngine = {
  async verify(jws, key, alg) {
    compactParts(jws, alg);
    try {
      return (await compactVerify(jws, key, { algorithms: [alg] })).payload;
    } catch (error) {
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
        throw new CompactJwsRefused('signature');
      }
      // A key that does not fit `alg` is the caller's mistake, not the token's.
      if (error instanceof TypeError) throw error;
      throw new CompactJwsRefused('malformed');
    }
  },
  sign(payload, header, key) {
    return new CompactSign(payload).setProtectedHeader(header).sign(key);
  },
  encrypt(plaintext, header, key) {
    return new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: header.alg, enc: 'A256GCM', cty: header.cty })
      .encrypt(key);
  },
};

let installed: JoseEngine = joseLibraryEngine;

/** Installs the engine the gateway's JOSE operations use (the Node entry installs its own). */
export function useJoseEngine(engine: JoseEngine): void {
  installed = engine;
}

/** The installed engine. */
export const joseEngine = (): JoseEngine => installed;
