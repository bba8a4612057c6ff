import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { canonicalJson } from '../core/index.ts';
import { fromBase64, leafHash, toBase64 } from './leaf.ts';
import { currentHead } from './head.ts';
import { inclusionProof, verifyInclusion } from './proofs.ts';
import type { AuditEntry, AuditStore } from './ports.ts';

export const BUNDLE_FORMAT = 'consent-gateway-audit-bundle/1';

/**
 * What an export holds: enough to check every entry offline, with tools we did not write. In the
 * bundle's JSON text each entry is exactly its RFC 8785 canonical JSON, the bytes its leaf hash is
 * over, so the verifier can hold every byte of an entry to its hash.
 */
export interface AuditBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly tenant: string;
  readonly exportedAt: string;
  readonly range: { readonly from?: string; readonly to?: string };
  readonly treeHead: {
    readonly treeSize: number;
    readonly rootHash: string;
    readonly timestamp: string;
    readonly jws: string;
  };
  readonly entries: readonly AuditEntry[];
  /** One inclusion proof per entry, in the order of `entries`, against `treeHead`. */
  readonly proofs: readonly { readonly seq: number; readonly proof: readonly string[] }[];
  readonly jwks: JSONWebKeySet;
  readonly openpgpKey: string;
}

/**
 * Collects the entries of a time range with inclusion proofs against a tree head signed now.
 * The caller signs the bundle's JSON text (`JSON.stringify(bundle)`, no indentation) with the
 * tenant's OpenPGP key; in that text every entry is its canonical JSON.
 */
export async function buildBundle(input: {
  store: AuditStore;
  tenantId: string;
  range: { from?: string; to?: string };
  signTreeHead: (head: {
    treeSize: number;
    rootHash: string;
    timestamp: string;
  }) => Promise<string>;
  now: string;
  jwks: JSONWebKeySet;
  openpgpKey: string;
}): Promise<AuditBundle> {
  const { store, tenantId } = input;
  const current = await currentHead(store, tenantId);
  const treeSize = current.size;
  const reader = {
    getNode: (level: number, index: number) => store.getNode(tenantId, level, index),
  };
  const head = { treeSize, rootHash: toBase64(current.root), timestamp: input.now };
  const entries: AuditEntry[] = [];
  for (let after = -1; ;) {
    const page = await store.entries(tenantId, { afterSeq: after, limit: 1000, ...input.range });
    entries.push(...page.filter((e) => e.seq < treeSize).map(inCanonicalForm));
    const last = page.at(-1);
    if (!last || page.length < 1000 || last.seq >= treeSize - 1) break;
    after = last.seq;
  }
  const proofs = [];
  for (const entry of entries) {
    proofs.push({
      seq: entry.seq,
      proof: (await inclusionProof(reader, entry.seq, treeSize)).map(toBase64),
    });
  }
  return {
    format: BUNDLE_FORMAT,
    tenant: tenantId,
    exportedAt: input.now,
    range: input.range,
    treeHead: { ...head, jws: await input.signTreeHead(head) },
    entries,
    proofs,
    jwks: input.jwks,
    openpgpKey: input.openpgpKey,
  };
}

/**
 * The entry rebuilt from its canonical JSON, so that `JSON.stringify` writes exactly that text
 * (JSON.parse creates the members in text order, which is the canonical order).
 *
 * @throws Error if `JSON.stringify` would write it otherwise (integer-like member names, which
 *   JavaScript always puts first); audit entries have none.
 */
function inCanonicalForm(entry: AuditEntry): AuditEntry {
  const canonical = canonicalJson(entry);
  const copy = JSON.parse(canonical) as AuditEntry;
  if (JSON.stringify(copy) !== canonical) {
    throw new Error(`audit entry ${entry.seq} cannot be written as its canonical JSON`);
  }
  return copy;
}

/** A part of a text, in UTF-16 code units: `text.slice(start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Where the parts of a JSON text lie, as far as the text is JSON. */
export interface JsonLayout {
  /**
   * The values of the top-level object's members by name (the last of a repeated name, as
   * JSON.parse keeps it), each counted once the `,` or `}` after it was read.
   */
  readonly members: ReadonlyMap<string, Span>;
  /**
   * The elements of the top-level member `arrayName` if it is an array, in order. If the text
   * stops being JSON inside an element, that element is the last one, cut at the error.
   */
  readonly elements: readonly Span[];
  /** The first place at which the text is no longer JSON (RFC 8259), if there is one. */
  readonly error?: {
    readonly offset: number;
    readonly message: string;
    /** The element of `arrayName` the error is in, or else the one it follows inside that array. */
    readonly element?: number;
    /** The top-level member whose value the error is in or right after, and where that value starts. */
    readonly within?: { readonly member: string; readonly start: number };
  };
}

class NotJson extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const OBJECT = 0;
const ARRAY = 1;
/** What the scanner reads next. */
const Want = {
  Value: 0,
  ValueOrClose: 1,
  Name: 2,
  NameOrClose: 3,
  Colon: 4,
  CommaOrClose: 5,
  End: 6,
} as const;

/**
 * Reads a JSON text once, left to right, without building values: finds the value of each
 * top-level member and the elements of the top-level array member `arrayName`, and where the text
 * stops being JSON. It accepts exactly what JSON.parse accepts. Work and memory are linear in the
 * length of the text (no recursion: nesting is kept on an explicit stack).
 */
export function scanJson(text: string, arrayName?: string): JsonLayout {
  const members = new Map<string, Span>();
  let elements: Span[] = [];
  const stack: number[] = [];
  let member: string | undefined;
  let memberStart = -1;
  // Set by the helpers below, which the compiler's narrowing does not follow.
  let inArray = false as boolean;
  let elementStart = -1;
  let valueEnd = -1;
  let want: number = Want.Value;
  let i = 0;

  const beginValue = (at: number): void => {
    if (stack.length === 1 && stack[0] === OBJECT) {
      memberStart = at;
      if (member === arrayName) {
        elements = [];
        inArray = text.charCodeAt(at) === 0x5b;
      }
    } else if (stack.length === 2 && inArray) {
      elementStart = at;
    }
  };
  const endValue = (at: number): void => {
    valueEnd = at;
    want = stack.length === 0 ? Want.End : Want.CommaOrClose;
  };
  /** A `,` or closing bracket at the current depth: the value before it is complete. */
  const delimit = (): void => {
    if (stack.length === 1 && stack[0] === OBJECT && member !== undefined) {
      members.set(member, { start: memberStart, end: valueEnd });
      memberStart = -1;
    } else if (stack.length === 2 && inArray) {
      elements.push({ start: elementStart, end: valueEnd });
      elementStart = -1;
    }
  };
  const close = (): void => {
    if (want === Want.CommaOrClose) delimit();
    stack.pop();
    if (stack.length === 1 && inArray) inArray = false;
    i++;
    endValue(i);
  };

  try {
    for (;;) {
      i = skipWhitespace(text, i);
      if (want === Want.End) {
        if (i < text.length) throw new NotJson(i, 'unexpected text after the JSON value');
        return { members, elements };
      }
      if (i >= text.length) throw new NotJson(text.length, 'unexpected end of the text');
      const c = text.charCodeAt(i);
      switch (want) {
        case Want.ValueOrClose:
        case Want.Value:
          if (want === Want.ValueOrClose && c === 0x5d) {
            close();
            break;
          }
          beginValue(i);
          if (c === 0x7b || c === 0x5b) {
            stack.push(c === 0x7b ? OBJECT : ARRAY);
            want = c === 0x7b ? Want.NameOrClose : Want.ValueOrClose;
            i++;
          } else {
            i = scalarEnd(text, i);
            endValue(i);
          }
          break;
        case Want.NameOrClose:
        case Want.Name: {
          if (want === Want.NameOrClose && c === 0x7d) {
            close();
            break;
          }
          if (c !== 0x22) throw new NotJson(i, 'expected a member name');
          const end = stringEnd(text, i);
          if (stack.length === 1) member = JSON.parse(text.slice(i, end)) as string;
          i = end;
          want = Want.Colon;
          break;
        }
        case Want.Colon:
          if (c !== 0x3a) throw new NotJson(i, "expected ':'");
          i++;
          want = Want.Value;
          break;
        case Want.CommaOrClose: {
          const object = stack.at(-1) === OBJECT;
          if (c === 0x2c) {
            delimit();
            i++;
            want = object ? Want.Name : Want.Value;
          } else if (c === (object ? 0x7d : 0x5d)) {
            close();
          } else {
            throw new NotJson(i, object ? "expected ',' or '}'" : "expected ',' or ']'");
          }
          break;
        }
      }
    }
  } catch (error) {
    if (!(error instanceof NotJson)) throw error;
    const { offset, message } = error;
    let element: number | undefined;
    if (elementStart >= 0) {
      elements.push({ start: elementStart, end: offset });
      element = elements.length - 1;
    } else if (inArray && elements.length > 0) {
      element = elements.length - 1;
    }
    const within =
      memberStart >= 0 && member !== undefined ? { member, start: memberStart } : undefined;
    return {
      members,
      elements,
      error: {
        offset,
        message,
        ...(element === undefined ? {} : { element }),
        ...(within === undefined ? {} : { within }),
      },
    };
  }
}

function skipWhitespace(text: string, i: number): number {
  for (; ; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
  }
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean =>
  isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** The end of the string starting at `start` (a `"`), just after its closing `"`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) throw new NotJson(i, 'control character in a string');
    if (c !== 0x5c) {
      i++;
      continue;
    }
    const e = text.charCodeAt(i + 1);
    if (e === 0x75) {
      for (let k = i + 2; k < i + 6; k++) {
        if (!isHex(text.charCodeAt(k))) throw new NotJson(i, 'bad \\u escape in a string');
      }
      i += 6;
    } else if (i + 1 < text.length && '"\\/bfnrt'.includes(text.charAt(i + 1))) {
      i += 2;
    } else {
      throw new NotJson(i, 'bad escape in a string');
    }
  }
  throw new NotJson(text.length, 'unterminated string');
}

/** The end of the string, number, true, false or null starting at `start`. */
function scalarEnd(text: string, start: number): number {
  const c = text.charCodeAt(start);
  if (c === 0x22) return stringEnd(text, start);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start)) return start + literal.length;
  }
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  const digits = (what: string): void => {
    if (!isDigit(text.charCodeAt(i))) throw new NotJson(i, `expected a digit ${what}`);
    while (isDigit(text.charCodeAt(i))) i++;
  };
  if (i === start && !isDigit(c)) throw new NotJson(start, 'expected a JSON value');
  if (text.charCodeAt(i) === 0x30) i++;
  else digits('in a number');
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    digits("after '.'");
  }
  if ((text.charCodeAt(i) | 0x20) === 0x65) {
    i++;
    if (text.charCodeAt(i) === 0x2b || text.charCodeAt(i) === 0x2d) i++;
    digits('in an exponent');
  }
  return i;
}

/**
 * How the verifier names an entry: by its position in `entries` (counted from 0) and, where it
 * can be read, the seq it states. The seq alone could be changed to name another entry.
 */
export function entryLabel(position: number, seq: unknown): string {
  return typeof seq === 'number' && Number.isSafeInteger(seq)
    ? `entry at position ${position} (seq ${seq})`
    : `entry at position ${position}`;
}

/** The seq an entry's text states, if it can be read there (the text may be cut or broken). */
function statedSeq(entryText: string): unknown {
  const span = scanJson(entryText).members.get('seq');
  if (span === undefined) return undefined;
  try {
    return JSON.parse(entryText.slice(span.start, span.end));
  } catch {
    return undefined;
  }
}

/**
 * Names the entry of a bundle's text that holds `offset`, e.g. to say where a byte that is not
 * UTF-8 was; at or after where the text stops being JSON, the entry that happens in. Undefined if
 * the offset is in no entry.
 */
export function entryAt(bundleText: string, offset: number): string | undefined {
  const layout = scanJson(bundleText, 'entries');
  const k =
    layout.error !== undefined && offset >= layout.error.offset
      ? layout.error.element
      : layout.elements.findIndex((span) => span.start <= offset && offset < span.end);
  const span = k === undefined ? undefined : layout.elements[k];
  return k === undefined || span === undefined
    ? undefined
    : entryLabel(k, statedSeq(bundleText.slice(span.start, span.end)));
}

export interface BundleCheck {
  readonly ok: boolean;
  readonly checks: readonly {
    readonly name: string;
    readonly ok: boolean;
    readonly detail?: string;
  }[];
}

interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

/** What is wrong with the shape of a parsed bundle, if anything. */
function shapeProblem(parsed: unknown): string | undefined {
  if (typeof parsed !== 'object' || parsed === null) return 'not a consent-gateway audit bundle';
  const bundle = parsed as Record<string, unknown>;
  if (bundle['format'] !== BUNDLE_FORMAT) return 'not a consent-gateway audit bundle';
  const head = bundle['treeHead'] as Record<string, unknown> | null | undefined;
  if (
    typeof head !== 'object' ||
    head === null ||
    typeof head['treeSize'] !== 'number' ||
    typeof head['rootHash'] !== 'string' ||
    typeof head['jws'] !== 'string'
  ) {
    return 'the tree head is missing or malformed';
  }
  if (!Array.isArray(bundle['entries'])) return 'the entries are missing';
  if (!Array.isArray(bundle['proofs'])) return 'the proofs are missing';
  return undefined;
}

/**
 * Checks a bundle offline: the tree head's signature (ES256, with the JWKS given, which the DPO
 * should pin rather than take from the bundle), that the signed head is the one stated, and for
 * each entry that its text is its canonical JSON and that it is included under that root. Any
 * changed byte of any entry fails, and the failure names the entry by its position in `entries`
 * (and its seq where readable): a byte that breaks the JSON by where the text stops being JSON,
 * one that leaves the value alone (`7.0` for `7`, white space, `\u0041` for `A`) because the text
 * is no longer canonical, any other by the inclusion proof.
 */
export async function checkBundle(text: string, pinnedJwks?: JSONWebKeySet): Promise<BundleCheck> {
  const checks: Check[] = [];
  const layout = scanJson(text, 'entries');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    checks.push({
      name: 'bundle',
      ok: false,
      detail:
        layout.error === undefined
          ? `not valid JSON: ${error instanceof Error ? error.message : 'unreadable'}`
          : `not valid JSON at offset ${layout.error.offset}: ${layout.error.message}`,
    });
  }
  if (checks.length === 0 && layout.error !== undefined) {
    // JSON.parse took it and the scanner did not: no entry can be held to its bytes.
    checks.push({ name: 'bundle', ok: false, detail: `not read alike: ${layout.error.message}` });
  }
  if (checks.length > 0) {
    const k = layout.error?.element;
    const span = k === undefined ? undefined : layout.elements[k];
    if (k !== undefined && span !== undefined) {
      const name = entryLabel(k, statedSeq(text.slice(span.start, span.end)));
      checks.push({ name, ok: false, detail: 'not valid JSON — changed after signing' });
    }
    return { ok: false, checks };
  }
  const problem = shapeProblem(parsed);
  if (problem !== undefined) {
    return { ok: false, checks: [{ name: 'bundle', ok: false, detail: problem }] };
  }
  const bundle = parsed as AuditBundle;
  const head = bundle.treeHead;
  const signature = await checkTreeHeadSignature(head, pinnedJwks ?? bundle.jwks);
  if (signature.status === 'invalid') {
    checks.push({
      name: 'tree head signature',
      ok: false,
      detail: 'the signature does not verify with the keys given',
    });
  } else {
    checks.push({ name: 'tree head signature', ok: true });
    checks.push(
      signature.status === 'ok'
        ? { name: 'tree head matches its signature', ok: true }
        : {
            name: 'tree head matches its signature',
            ok: false,
            detail: 'the stated head differs from the signed one',
          },
    );
  }
  let root: Uint8Array | undefined;
  try {
    root = fromBase64(head.rootHash);
  } catch {
    checks.push({ name: 'tree head', ok: false, detail: 'the root hash is not base64' });
  }
  if (bundle.entries.length !== bundle.proofs.length) {
    checks.push({ name: 'proofs', ok: false, detail: 'not one proof per entry' });
  }
  if (layout.elements.length !== bundle.entries.length) {
    checks.push({ name: 'entries', ok: false, detail: 'their text could not be located' });
  }
  for (const [i, entry] of bundle.entries.entries()) {
    const seq = (entry as { seq?: unknown } | null)?.seq;
    const problems = [];
    const span = layout.elements[i];
    if (span === undefined || text.slice(span.start, span.end) !== canonicalOrUndefined(entry)) {
      problems.push('not in canonical form — changed after signing');
    }
    problems.push(...(await inclusionProblems(entry, bundle.proofs[i], head.treeSize, root)));
    const name = entryLabel(i, seq);
    checks.push(
      problems.length === 0 ? { name, ok: true } : { name, ok: false, detail: problems.join('; ') },
    );
  }
  return { ok: checks.every((c) => c.ok), checks };
}

function canonicalOrUndefined(value: unknown): string | undefined {
  try {
    return canonicalJson(value);
  } catch {
    return undefined;
  }
}

/** Why an entry is not proven included under `root` with its proof; empty if it is. */
async function inclusionProblems(
  entry: unknown,
  proof: unknown,
  treeSize: number,
  root: Uint8Array | undefined,
): Promise<string[]> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return ['not an audit entry'];
  }
  const { seq } = entry as { seq?: unknown };
  const { seq: proven, proof: path } = (proof ?? {}) as { seq?: unknown; proof?: unknown };
  if (proven !== seq) {
    return [
      `states seq ${String(seq)} but its proof is for seq ${String(proven)}: changed or forged`,
    ];
  }
  if (typeof seq !== 'number' || !Array.isArray(path) || root === undefined) {
    return ['not included under the signed root: changed or forged'];
  }
  let leaf: Uint8Array;
  let hashes: Uint8Array[];
  try {
    leaf = await leafHash(entry);
    hashes = path.map((hash) => fromBase64(String(hash)));
  } catch (error) {
    return [`not an audit entry: ${error instanceof Error ? error.message : 'unreadable'}`];
  }
  return (await verifyInclusion(leaf, seq, treeSize, hashes, root))
    ? []
    : ['not included under the signed root: changed or forged'];
}

/**
 * A tree head's JWS checked against `jwks` (ES256 only, as the gateway signs): `ok` when it
 * verifies and signs exactly the stated size, root and time, `differs` when it verifies but signs
 * another head, `invalid` when it does not verify. `typ` is the JWS header's, for callers that
 * also want to know it was signed as a tree head.
 */
export async function checkTreeHeadSignature(
  head: { treeSize: number; rootHash: string; timestamp: string; jws: string },
  jwks: JSONWebKeySet,
): Promise<{ status: 'ok' | 'differs' | 'invalid'; typ?: string }> {
  try {
    const { payload, protectedHeader } = await compactVerify(head.jws, createLocalJWKSet(jwks), {
      algorithms: ['ES256'],
    });
    const signed = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    const same =
      signed['treeSize'] === head.treeSize &&
      signed['rootHash'] === head.rootHash &&
      signed['timestamp'] === head.timestamp;
    return {
      status: same ? 'ok' : 'differs',
      ...(protectedHeader.typ === undefined ? {} : { typ: protectedHeader.typ }),
    };
  } catch {
    return { status: 'invalid' };
  }
}
