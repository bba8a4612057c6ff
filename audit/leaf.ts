/**
 * RFC 9162 §2.1.1 hashing for the audit log: leaves are SHA-256(0x00 ‖ RFC 8785 canonical JSON of
 * the entry), interior nodes SHA-256(0x01 ‖ left ‖ right), the empty tree SHA-256(""). The two
 * prefixes keep a leaf from ever being read as an interior node (second-preimage protection).
 * Web standards only: this runs on Node, on workerd and in the DPO's offline CLI.
 */
import { GatewayError, canonicalJson, decodeBase64, sha256Bytes } from '../core/index.ts';

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** Length of every hash in the tree (SHA-256). */
export const HASH_LENGTH = 32;

const digest = sha256Bytes;

/**
 * The leaf hash of an audit entry: SHA-256(0x00 ‖ UTF-8(canonicalJson(entry))). Entries hold
 * integers, never fractions, so every RFC 8785 implementation the DPO might use agrees on the
 * bytes; a non-integer number is refused.
 *
 * @throws GatewayError `validation_failed` naming the JSON pointer of a non-integer number.
 * @example
 * ```ts
 * const leaf = await leafHash({ seq: 0, event: 'consent.granted' });
 * ```
 */
export async function leafHash(entry: object): Promise<Uint8Array<ArrayBuffer>> {
  return leafHashOfJson(entryJson(entry));
}

/**
 * The canonical JSON of an audit entry, what is stored and served and what its leaf hash covers.
 *
 * @throws GatewayError `validation_failed` naming the JSON pointer of a non-integer number.
 */
export function entryJson(entry: object): string {
  refuseFractions(entry, '');
  return canonicalJson(entry);
}

/** The leaf hash of an entry's canonical JSON as {@link entryJson} made it. */
export function leafHashOfJson(json: string): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new TextEncoder().encode(json);
  const input = new Uint8Array(1 + bytes.length);
  input[0] = LEAF_PREFIX;
  input.set(bytes, 1);
  return digest(input);
}

/** An interior node: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return digest(input);
}

/** MTH({}) = SHA-256 of the empty string: the root of a tree of size 0. */
export function emptyRoot(): Promise<Uint8Array<ArrayBuffer>> {
  return digest(new Uint8Array(0));
}

/** Standard base64 with padding (RFC 4648 §4), the form API.md gives hashes and proofs in. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes standard base64 with padding, strictly: no white space, no URL-safe alphabet, no missing
 * padding and no stray bits in the last character, so one hash has exactly one text form.
 *
 * @throws GatewayError `validation_failed` if `text` is not such base64.
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  if (BASE64.test(text)) {
    const bytes = decodeBase64(text);
    if (bytes !== undefined && toBase64(bytes) === text) return bytes;
  }
  throw new GatewayError('validation_failed', {
    detail: 'not canonical standard base64 with padding',
    errors: [{ path: '', message: 'must be standard base64 with padding' }],
  });
}

/** Byte-wise equality in time that depends only on the lengths. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function refuseFractions(value: unknown, pointer: string): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new GatewayError('validation_failed', {
        detail: 'audit entries hold integers only',
        errors: [{ path: pointer, message: 'must be a safe integer' }],
      });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => {
      refuseFractions(item, `${pointer}/${i}`);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      refuseFractions(item, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
    }
  }
}
