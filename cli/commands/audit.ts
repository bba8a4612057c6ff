import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { armor, enums } from 'openpgp';
import { entryAt, scanJson } from '../../audit/bundle.ts';
import {
  checkBundle,
  checkConsistentExports,
  type AuditBundle,
  type ExportConsistency,
  type ExportHead,
} from '../../audit/index.ts';
import { verifyDetached } from '../../certs/index.ts';
import { jwksFile, MAX_SMALL_FILE, readBounded, readSmallText } from '../files.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIo } from '../io.ts';

export const MAX_BUNDLE = 256 * 1024 * 1024;

/** How an export's signature and pinned keys are named, by every command that checks one. */
export const EXPORT_CHECK_OPTIONS = {
  signature: { type: 'string' },
  jwks: { type: 'string' },
  'openpgp-key': { type: 'string' },
  data: { type: 'string' },
} as const;

/** The options of `audit verify` as parsed: which keys to hold an export to. */
interface VerifyOptions {
  readonly signature?: string | undefined;
  readonly jwks?: JSONWebKeySet | undefined;
  readonly openpgpKey?: string | undefined;
  readonly verbose: boolean;
}

/** What checking one export found: a line per check group, failures as `FAIL …`. */
interface ExportVerification {
  readonly ok: boolean;
  readonly lines: readonly string[];
  /** How many entries held (with their inclusion proofs). */
  readonly entries: number;
  /** The bundle's JSON text, as signed. */
  readonly bundleText: string;
}

/**
 * `audit verify BUNDLE [--signature FILE] [--jwks FILE] [--openpgp-key FILE] [--verbose]`: checks
 * an export offline. BUNDLE is either the export answer as saved (`{ bundle, signature }`) or the
 * bundle text alone; its detached signature is `--signature`, else the one in the export, else
 * `BUNDLE.asc` or `BUNDLE.sig` beside it (armored or binary, as GnuPG users keep them). With none
 * of these it fails. Pin the keys with --jwks / --openpgp-key (from /.well-known/…) so a forger
 * cannot bring their own; without them the keys in the bundle are used, and their fingerprints
 * printed to compare. Exit 0 only if every check holds. A changed
 * entry is named by its position in the bundle (from 0) and, where readable, its seq — also when
 * the change breaks the JSON, leaves the parsed value alone, or is a byte that is not UTF-8.
 * Prints one line per check group (signature, tree head, entries, verdict); `--verbose` adds one
 * per entry. Failures are always printed, each on its own line.
 *
 * With `--consistent-with OLD`, BUNDLE is the later export and OLD an earlier one: see
 * {@link verifyConsistency}.
 */
export async function auditVerifyCommand(
  args: string[],
  _dataDir: string,
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...EXPORT_CHECK_OPTIONS,
      verbose: { type: 'boolean' },
      'consistent-with': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError('audit verify needs exactly one BUNDLE file');
  const options: VerifyOptions = {
    signature: values.signature,
    jwks: jwksFile(values.jwks),
    openpgpKey:
      values['openpgp-key'] === undefined ? undefined : readSmallText(values['openpgp-key']),
    verbose: values.verbose === true,
  };
  const older = values['consistent-with'];
  if (older !== undefined) {
    // Two exports, one --signature: it could only belong to one of them.
    if (values.signature !== undefined)
      throw new UsageError(
        '--consistent-with takes no --signature: each export carries its own, or has FILE.asc beside it',
      );
    return verifyConsistency(file, older, options, io);
  }
  const result = await verifyExport(file, options);
  const lines = [...result.lines];
  if (result.entries > 0 && !options.verbose)
    lines.push(
      `ok   ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'} with their inclusion proofs`,
    );
  lines.push(result.ok ? `verified: ${result.entries} entries` : 'NOT verified');
  (result.ok ? io.stdout : io.stderr).write(lines.join('\n') + '\n');
  return result.ok ? EXIT_OK : EXIT_FAILED;
}

/**
 * `audit verify NEW --consistent-with OLD`: OLD, an earlier export, is a prefix of NEW. Each is
 * checked on its own as `audit verify` checks it, then how they relate (`checkConsistentExports`:
 * same tenant and log, OLD no larger, OLD's entries NEW's first ones as canonical JSON, so with
 * the same leaf hashes, an RFC 9162 consistency proof between the signed roots). One line `consistent: …` on success; otherwise
 * each export's failures, prefixed with its file, then `INCONSISTENT: why` where the two differ,
 * or `NOT verified: …` where an export fails its own checks but nothing shows they differ.
 */
async function verifyConsistency(
  newFile: string,
  oldFile: string,
  options: VerifyOptions,
  io: CliIo,
): Promise<number> {
  const quiet = { ...options, verbose: false };
  const checked = [await verifyExport(newFile, quiet), await verifyExport(oldFile, quiet)] as const;
  const [newer, older] = checked.map((c) => bundleOrUndefined(c.bundleText));
  let relation: ExportConsistency | undefined;
  if (newer !== undefined && older !== undefined) {
    try {
      relation = await checkConsistentExports(older, newer, options.jwks);
    } catch {
      relation = undefined; // an export too broken to compare; its own failures say why
    }
  }
  if (checked.every((c) => c.ok) && relation?.ok === true) {
    const head = (h: ExportHead) =>
      `export of ${h.exportedAt} (size ${h.treeSize}, root ${h.rootHash})`;
    io.stdout.write(`consistent: ${head(relation.old)} is a prefix of ${head(relation.new)}\n`);
    return EXIT_OK;
  }
  const lines = [newFile, oldFile].flatMap((name, i) =>
    (checked[i]?.lines ?? []).filter((line) => line.startsWith('FAIL')).map((l) => `${name}: ${l}`),
  );
  const unverified = [
    ...(checked[1].ok ? [] : [`the earlier export ${oldFile}`]),
    ...(checked[0].ok ? [] : [`the later export ${newFile}`]),
  ];
  // INCONSISTENT only for what shows the two differ; an export that merely fails its own checks
  // (a missing signature file, say) is not verified, and says so.
  const one = unverified.length === 1;
  lines.push(
    relation?.ok === false
      ? `INCONSISTENT: ${relation.reason}`
      : unverified.length === 0
        ? 'NOT verified: the exports could not be compared'
        : `NOT verified: ${unverified.join(' and ')} ${one ? 'does' : 'do'} not verify on ${one ? 'its' : 'their'} own`,
  );
  io.stderr.write(lines.join('\n') + '\n');
  return EXIT_FAILED;
}

/** The bundle a verified text holds, for comparing it with another; undefined if unreadable. */
function bundleOrUndefined(text: string): AuditBundle | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<AuditBundle> | null;
    return Array.isArray(parsed?.entries) && typeof parsed.treeHead === 'object'
      ? (parsed as AuditBundle)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Checks one export file (see {@link auditVerifyCommand}); never throws for what it holds. */
async function verifyExport(file: string, options: VerifyOptions): Promise<ExportVerification> {
  const bytes = readBounded(file, MAX_BUNDLE);
  const { text: raw, invalid } = decodeUtf8(bytes);
  const lines: string[] = [];
  const fail = (line: string): void => {
    lines.push(`FAIL ${line}`);
  };
  const done = (bundleText: string, entries = 0): ExportVerification => ({
    ok: !lines.some((line) => line.startsWith('FAIL')),
    lines,
    entries,
    bundleText,
  });
  if (invalid !== undefined) fail(`file: byte ${invalid.byte} is not UTF-8`);
  const source = exportSource(file, raw, bytes, options.signature);
  if ('broken' in source) {
    fail(`export: not valid JSON at offset ${source.broken.offset}: ${source.broken.message}`);
    fail(`${source.broken.entry}: not valid JSON — changed after signing`);
    return done(raw);
  }
  const { bundleText, literal } = source;
  if (invalid !== undefined) {
    // Where the byte is in the bundle's text: the same place, or inside the export's string.
    const at =
      literal === undefined ? invalid.offset : literalPrefix(raw, literal, invalid.offset).length;
    const entry = entryAt(bundleText, at);
    if (entry !== undefined)
      fail(`${entry}: holds a byte that is not UTF-8 — changed after signing`);
  }
  lines.push(...(await signatureLines(source, options)));
  let entries = 0;
  const report = await checkBundle(bundleText, options.jwks);
  for (const check of report.checks) {
    const line = `${check.name}${check.detail === undefined ? '' : `: ${check.detail}`}`;
    if (!check.ok) fail(line);
    else if (!check.name.startsWith('entry ')) lines.push(`ok   ${line}`);
    else {
      // One line per entry only when asked: an export holds thousands.
      entries++;
      if (options.verbose) lines.push(`ok   ${line}`);
    }
  }
  return done(bundleText, entries);
}

/** Where an export's bundle text and its detached signature are. */
interface ExportSource {
  readonly bundleText: string;
  /** What the signature is over: the file's bytes, or the bundle string of an export. */
  readonly signed: Uint8Array | string;
  /** Where the bundle's string literal starts in the file, for an export. */
  readonly literal?: number | undefined;
  readonly signature?: string | undefined;
  /** ` from FILE` when the signature was found beside the bundle. */
  readonly signatureFrom: string;
}

/**
 * The bundle in a file, as an export answer (`{ bundle, signature }`) or the bundle alone, and
 * its signature: --signature, else the export's, else FILE.asc or FILE.sig beside it. `broken`
 * for an export that is not JSON because its bundle text breaks.
 */
function exportSource(
  file: string,
  raw: string,
  bytes: Uint8Array,
  signatureFile: string | undefined,
): ExportSource | { broken: NonNullable<ReturnType<typeof brokenExport>> } {
  let outer: unknown;
  try {
    outer = JSON.parse(raw);
  } catch {
    // Not JSON: a bundle (checkBundle says where it breaks) or an export whose bundle text does.
    const broken = brokenExport(raw);
    if (broken !== undefined) return { broken };
  }
  const saved = (typeof outer === 'object' && outer !== null ? outer : {}) as {
    bundle?: unknown;
    signature?: unknown;
  };
  let signature = signatureFile === undefined ? undefined : readSmallText(signatureFile);
  if (typeof saved.signature === 'string' && typeof saved.bundle === 'string')
    signature ??= saved.signature;
  let signatureFrom = '';
  if (signature === undefined) {
    const beside = [`${file}.asc`, `${file}.sig`].find((path) => existsSync(path));
    if (beside !== undefined) {
      signature = armoredSignature(readBounded(beside, MAX_SMALL_FILE));
      signatureFrom = ` from ${beside}`;
    }
  }
  // The bundle alone is checked over its bytes as read; in an export it is a JSON string.
  return typeof saved.bundle === 'string'
    ? {
        bundleText: saved.bundle,
        signed: saved.bundle,
        literal: scanJson(raw).members.get('bundle')?.start,
        signature,
        signatureFrom,
      }
    : { bundleText: raw, signed: bytes, signature, signatureFrom };
}

/** The OpenPGP signature's line: ok, or why not; with the pinned key or the bundle's own. */
async function signatureLines(source: ExportSource, options: VerifyOptions): Promise<string[]> {
  const { signature, signatureFrom } = source;
  if (signature === undefined)
    return [
      'FAIL openpgp signature: none given (--signature FILE, or BUNDLE.asc / BUNDLE.sig beside the bundle)',
    ];
  let key = options.openpgpKey;
  if (key === undefined) {
    try {
      key = (JSON.parse(source.bundleText) as { openpgpKey?: string }).openpgpKey;
    } catch {
      key = undefined;
    }
  }
  try {
    await verifyDetached(key ?? '', source.signed, signature);
    const pinned =
      options.openpgpKey === undefined
        ? ' (key from the bundle: compare it with the published one)'
        : '';
    return [`ok   openpgp signature${signatureFrom}${pinned}`];
  } catch {
    return [`FAIL openpgp signature${signatureFrom}: does not verify over the bundle bytes`];
  }
}

/**
 * The file's text, and where its first byte that is not UTF-8 is (as a byte offset, and as the
 * offset of the U+FFFD that stands for it in the text). A byte order mark is kept, as bytes.
 */
function decodeUtf8(bytes: Uint8Array): {
  text: string;
  invalid?: { byte: number; offset: number };
} {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const valid = (end: number): boolean => {
    try {
      strict.decode(bytes.subarray(0, end));
      return true;
    } catch {
      return false;
    }
  };
  if (valid(bytes.length)) return { text: strict.decode(bytes) };
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  const text = lenient.decode(bytes);
  // Up to the first bad sequence the text encodes back to the same bytes; its U+FFFD (EF BF BD)
  // may agree with up to two of its first bytes, so it starts at most two bytes earlier.
  const again = new TextEncoder().encode(text);
  let end = 0;
  while (end < bytes.length && bytes[end] === again[end]) end++;
  let byte = end;
  while (byte > Math.max(0, end - 2) && !valid(byte)) byte--;
  return { text, invalid: { byte, offset: lenient.decode(bytes.subarray(0, byte)).length } };
}

/**
 * The text a JSON string literal that starts (with its `"`) at `start` stands for, read up to
 * `limit` or its closing quote, whichever comes first; an escape cut off or broken ends it.
 */
function literalPrefix(text: string, start: number, limit: number): string {
  const parts: string[] = [];
  let run = start + 1;
  let i = run;
  while (i < limit && i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    if (c !== 0x5c) {
      i++;
      continue;
    }
    parts.push(text.slice(run, i));
    const length = text.charCodeAt(i + 1) === 0x75 ? 6 : 2;
    let decoded: unknown;
    try {
      decoded = i + length <= limit ? JSON.parse(`"${text.slice(i, i + length)}"`) : undefined;
    } catch {
      decoded = undefined;
    }
    if (typeof decoded !== 'string') return parts.join('');
    parts.push(decoded);
    i += length;
    run = i;
  }
  parts.push(text.slice(run, i));
  return parts.join('');
}

/**
 * For an export (`{ "bundle": "…", … }`) that is not JSON because its bundle text breaks: where it
 * breaks, and the entry of the bundle that the break is in. Undefined for anything else.
 */
function brokenExport(raw: string): { offset: number; message: string; entry: string } | undefined {
  const { error } = scanJson(raw);
  const within = error?.within;
  if (error === undefined || within?.member !== 'bundle' || raw.charAt(within.start) !== '"') {
    return undefined;
  }
  // The bundle text as far as the string reads: it ends at the break, or where a changed byte
  // ended the string early.
  const prefix = literalPrefix(raw, within.start, error.offset);
  const entry = entryAt(prefix, prefix.length);
  return entry === undefined ? undefined : { offset: error.offset, message: error.message, entry };
}

/** A detached signature as read from a file: armored as it is, binary (`gpg --detach-sign`) armored. */
function armoredSignature(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  if (text.trimStart().startsWith('-----BEGIN PGP SIGNATURE-----')) return text;
  return armor(enums.armor.signature, bytes);
}
