import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { checkBundle } from '../../audit/index.ts';
import { verifyDetached } from '../../certs/index.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIo } from '../io.ts';

const MAX_BUNDLE = 256 * 1024 * 1024;

/**
 * `audit verify BUNDLE [--signature FILE] [--jwks FILE] [--openpgp-key FILE]`: checks an export
 * offline. BUNDLE is either the export answer as saved (`{ bundle, signature }`) or the bundle
 * text alone (then `--signature`). Pin the keys with --jwks / --openpgp-key (from
 * /.well-known/…) so a forger cannot bring their own; without them the keys in the bundle are
 * used, and their fingerprints printed to compare. Exit 0 only if every check holds.
 */
export async function auditVerifyCommand(
  args: string[],
  _dataDir: string,
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      signature: { type: 'string' },
      jwks: { type: 'string' },
      'openpgp-key': { type: 'string' },
      data: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError('audit verify needs exactly one BUNDLE file');
  const raw = readFileSync(file, 'utf8');
  if (raw.length > MAX_BUNDLE) throw new UsageError('the bundle is too large');

  let bundleText = raw;
  let signature =
    values.signature === undefined ? undefined : readFileSync(values.signature, 'utf8');
  try {
    const outer = JSON.parse(raw) as { bundle?: unknown; signature?: unknown };
    if (typeof outer.bundle === 'string') {
      bundleText = outer.bundle;
      if (typeof outer.signature === 'string') signature ??= outer.signature;
    }
  } catch {
    // not JSON at all: checkBundle says so below
  }
  const pinnedJwks =
    values.jwks === undefined
      ? undefined
      : (JSON.parse(readFileSync(values.jwks, 'utf8')) as JSONWebKeySet);
  const lines: string[] = [];
  let ok = true;

  if (signature === undefined) {
    lines.push('FAIL openpgp signature: none given (--signature FILE)');
    ok = false;
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
      await verifyDetached(key ?? '', bundleText, signature);
      lines.push(
        `ok   openpgp signature${values['openpgp-key'] === undefined ? ' (key from the bundle: compare it with the published one)' : ''}`,
      );
    } catch {
      lines.push('FAIL openpgp signature: does not verify over the bundle bytes');
      ok = false;
    }
  }
  const report = await checkBundle(bundleText, pinnedJwks);
  for (const check of report.checks) {
    lines.push(
      `${check.ok ? 'ok  ' : 'FAIL'} ${check.name}${check.detail === undefined ? '' : `: ${check.detail}`}`,
    );
  }
  ok &&= report.ok;
  const entries = report.checks.filter((c) => c.name.startsWith('entry ')).length;
  lines.push(ok ? `verified: ${entries} entries` : 'NOT verified');
  (ok ? io.stdout : io.stderr).write(lines.join('\n') + '\n');
  return ok ? EXIT_OK : EXIT_FAILED;
}
