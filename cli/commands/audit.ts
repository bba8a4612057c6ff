import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { armor, enums } from 'openpgp';
import { entryAt, scanJson } from '../../audit/bundle.ts';
import { checkBundle } from '../../audit/index.ts';
import { verifyDetached } from '../../certs/index.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIo } from '../io.ts';

const MAX_BUNDLE = 256 * 1024 * 1024;

/** How an export's signature and pinned keys are named, by every command that checks one. */
export const EXPORT_CHECK_OPTIONS = {
  signature: { type: 'string' },
  jwks: { type: 'string' },
  'openpgp-key': { type: 'string' },
  data: { type: 'string' },
} as const;

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
 */
export async function auditVerifyCommand(
  args: string[],
  _dataDir: string,
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...EXPORT_CHECK_OPTIONS, verbose: { type: 'boolean' } },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError('audit verify needs exactly one BUNDLE file');
  const bytes = readFileSync(file);
  if (bytes.length > MAX_BUNDLE) throw new UsageError('the bundle is too large');
  const { text: raw, invalid } = decodeUtf8(bytes);
  const lines: string[] = [];
  let ok = true;
  let entries = 0;
  const fail = (line: string): void => {
    lines.push(`FAIL ${line}`);
    ok = false;
  };
  const finish = (): number => {
    if (entries > 0 && values.verbose !== true)
      lines.push(
        `ok   ${entries} ${entries === 1 ? 'entry' : 'entries'} with their inclusion proofs`,
      );
    lines.push(ok ? `verified: ${entries} entries` : 'NOT verified');
    (ok ? io.stdout : io.stderr).write(lines.join('\n') + '\n');
    return ok ? EXIT_OK : EXIT_FAILED;
  };

  // The bundle alone is checked over its bytes as read; in an export it is a JSON string.
  let bundleText = raw;
  let signed: Uint8Array | string = bytes;
  let literal: number | undefined;
  let signature =
    values.signature === undefined ? undefined : readFileSync(values.signature, 'utf8');
  if (invalid !== undefined) fail(`file: byte ${invalid.byte} is not UTF-8`);
  let outer: unknown;
  try {
    outer = JSON.parse(raw);
  } catch {
    // Not JSON: a bundle (checkBundle says where it breaks) or an export whose bundle text does.
    const broken = brokenExport(raw);
    if (broken !== undefined) {
      fail(`export: not valid JSON at offset ${broken.offset}: ${broken.message}`);
      fail(`${broken.entry}: not valid JSON — changed after signing`);
      return finish();
    }
  }
  const saved = (typeof outer === 'object' && outer !== null ? outer : {}) as {
    bundle?: unknown;
    signature?: unknown;
  };
  if (typeof saved.bundle === 'string') {
    bundleText = saved.bundle;
    signed = saved.bundle;
    literal = scanJson(raw).members.get('bundle')?.start;
    if (typeof saved.signature === 'string') signature ??= saved.signature;
  }

  if (invalid !== undefined) {
    // Where the byte is in the bundle's text: the same place, or inside the export's string.
    const at =
      literal === undefined ? invalid.offset : literalPrefix(raw, literal, invalid.offset).length;
    const entry = entryAt(bundleText, at);
    if (entry !== undefined)
      fail(`${entry}: holds a byte that is not UTF-8 — changed after signing`);
  }

  const pinnedJwks =
    values.jwks === undefined
      ? undefined
      : (JSON.parse(readFileSync(values.jwks, 'utf8')) as JSONWebKeySet);

  let signatureFrom = '';
  if (signature === undefined) {
    const beside = [`${file}.asc`, `${file}.sig`].find((path) => existsSync(path));
    if (beside !== undefined) {
      signature = armoredSignature(readFileSync(beside));
      signatureFrom = ` from ${beside}`;
    }
  }
  if (signature === undefined) {
    fail(
      'openpgp signature: none given (--signature FILE, or BUNDLE.asc / BUNDLE.sig beside the bundle)',
    );
  } else {
    let key =
      values['openpgp-key'] === undefined ? undefined : readFileSync(values['openpgp-key'], 'utf8');
    if (key === undefined) {
      try {
        key = (JSON.parse(bundleText) as { openpgpKey?: string }).openpgpKey;
      } catch {
        key = undefined;
      }
    }
    try {
      await verifyDetached(key ?? '', signed, signature);
      lines.push(
        `ok   openpgp signature${signatureFrom}${values['openpgp-key'] === undefined ? ' (key from the bundle: compare it with the published one)' : ''}`,
      );
    } catch {
      fail(`openpgp signature${signatureFrom}: does not verify over the bundle bytes`);
    }
  }
  const report = await checkBundle(bundleText, pinnedJwks);
  for (const check of report.checks) {
    const line = `${check.name}${check.detail === undefined ? '' : `: ${check.detail}`}`;
    if (!check.ok) fail(line);
    else if (!check.name.startsWith('entry ')) lines.push(`ok   ${line}`);
    else {
      // One line per entry only when asked: an export holds thousands.
      entries++;
      if (values.verbose === true) lines.push(`ok   ${line}`);
    }
  }
  if (!report.ok) ok = false;
  return finish();
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
