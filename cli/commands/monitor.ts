import { parseArgs } from 'node:util';
import type { AuditBundle } from '../../audit/index.ts';
import {
  compareReports,
  parsePeriod,
  parseRule,
  recomputeReport,
  reportCsv,
  type MonitoringReport,
} from '../../monitoring/index.ts';
import { jwksFile, readBounded, readSmallText } from '../files.ts';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIo } from '../io.ts';
import { auditVerifyCommand, EXPORT_CHECK_OPTIONS, MAX_BUNDLE } from './audit.ts';

const MAX_REPORT = 64 * 1024 * 1024;

/**
 * `monitor compute BUNDLE (--period P | --check REPORT) [--tree-size N] [--rule R] [--csv]
 * [--signature FILE] [--jwks FILE] [--openpgp-key FILE]`: the monitoring figures recomputed from
 * an audit export, after checking the export as `audit verify` does. With `--check` the period,
 * tree size and rule come from a published report, and the command says whether its figures are
 * the log's (exit 0) or where they differ (exit 1).
 */
export async function monitorComputeCommand(
  args: string[],
  dataDir: string,
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      period: { type: 'string' },
      check: { type: 'string' },
      'tree-size': { type: 'string' },
      rule: { type: 'string' },
      csv: { type: 'boolean' },
      ...EXPORT_CHECK_OPTIONS,
    },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError('monitor compute needs exactly one BUNDLE file');
  if ((values.period === undefined) === (values.check === undefined))
    throw new UsageError('monitor compute needs --period P or --check REPORT, not both');
  const published = values.check === undefined ? undefined : readReport(values.check);

  const verifyArgs = [file];
  for (const name of ['signature', 'jwks', 'openpgp-key'] as const) {
    const value = values[name];
    if (value !== undefined) verifyArgs.push(`--${name}`, value);
  }
  const verifyOutput: string[] = [];
  const quiet = { write: (text: string) => verifyOutput.push(text) };
  const verified = await auditVerifyCommand(verifyArgs, dataDir, {
    ...io,
    stdout: quiet,
    stderr: quiet,
  });
  if (verified !== EXIT_OK) {
    const failures = verifyOutput
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('FAIL'));
    io.stderr.write(
      `the export does not verify; nothing computed\n${failures.slice(0, 5).join('\n')}\n`,
    );
    return EXIT_FAILED;
  }

  const bundle = bundleOf(readBounded(file, MAX_BUNDLE).toString('utf8'));
  const ruleText = values.rule ?? published?.suppression.rule ?? 'suppress:3';
  const rule = parseRuleOrUsage(ruleText);
  const treeSize = treeSizeOf(values['tree-size'], published, bundle);
  const period = parsePeriod(published?.period.key ?? values.period ?? '');
  const report = await recomputeReport({ bundle, treeSize, period, rule, ruleText });
  if (published === undefined) {
    io.stdout.write(
      values.csv === true ? reportCsv(report) : `${JSON.stringify(report, null, 2)}\n`,
    );
    return EXIT_OK;
  }
  const jwks = jwksFile(values.jwks) ?? bundle.jwks;
  const differences = await compareReports(published, report, jwks);
  if (differences.length > 0) {
    io.stderr.write(
      `${differences.map((d) => `DIFFERS ${d}`).join('\n')}\nNOT the log's figures\n`,
    );
    return EXIT_FAILED;
  }
  io.stdout.write(
    `same figures: ${report.tables.length} tables of ${report.period.key} for ${report.tenant}, ` +
      `computed from the first ${treeSize} entries (tree head ${report.treeHead.rootHash}), ` +
      `rule ${ruleText}\n`,
  );
  return EXIT_OK;
}

function readReport(file: string): MonitoringReport {
  const text = readSmallText(file, MAX_REPORT);
  const report = JSON.parse(text) as Partial<MonitoringReport>;
  if (report.format !== 'consent-gateway-monitoring/1' || report.treeHead === undefined)
    throw new UsageError(
      `${file} is not a monitoring report (GET /v1/monitoring/reports/{period})`,
    );
  return report as MonitoringReport;
}

/** The bundle, from an export answer as saved (`{ bundle, signature }`) or its text alone. */
function bundleOf(text: string): AuditBundle {
  const outer = JSON.parse(text) as { bundle?: unknown };
  return (typeof outer.bundle === 'string' ? JSON.parse(outer.bundle) : outer) as AuditBundle;
}

function treeSizeOf(
  given: string | undefined,
  published: MonitoringReport | undefined,
  bundle: AuditBundle,
): number {
  if (published !== undefined) return published.treeHead.treeSize;
  if (given === undefined) return bundle.treeHead.treeSize;
  if (!/^\d{1,15}$/.test(given)) throw new UsageError('--tree-size is a whole number');
  return Number(given);
}

function parseRuleOrUsage(text: string) {
  try {
    return parseRule(text);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
