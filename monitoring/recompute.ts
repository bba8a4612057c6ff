import type { JSONWebKeySet } from 'jose';
import {
  checkTreeHeadSignature,
  leafHash,
  MemoryNodeStore,
  rootHash,
  toBase64,
  type AuditBundle,
} from '../audit/index.ts';
import { GatewayError } from '../core/index.ts';
import type { Period } from './periods.ts';
import type { MonitoringReport, SignedTreeHead } from './report.ts';
import type { SuppressionRule } from './suppression.ts';
import { computeReport } from './tables.ts';
import { MonitoringTally } from './tally.ts';

/**
 * A report recomputed from an audit export, as a DPO checks a published one: the figures of the
 * first `treeSize` entries, which must all be in the bundle from seq 0 on. The export's own checks
 * (hashes, proofs, signatures) are the caller's, as `audit verify` makes them.
 *
 * @throws GatewayError `validation_failed` when the bundle lacks an entry below `treeSize`.
 */
export async function recomputeReport(input: {
  bundle: AuditBundle;
  treeSize: number;
  period: Period;
  rule: SuppressionRule;
  ruleText: string;
}): Promise<MonitoringReport> {
  const { bundle, treeSize } = input;
  const entries = bundle.entries.slice(0, treeSize);
  if (treeSize > bundle.treeHead.treeSize || entries.some((e, i) => e.seq !== i)) {
    throw new GatewayError('validation_failed', {
      detail: `the export must hold every entry from seq 0 to ${treeSize - 1}: export without a time range`,
    });
  }
  const tally = new MonitoringTally();
  const tree = new MemoryNodeStore();
  for (const entry of entries) {
    tally.add(entry);
    await tree.append(await leafHash(entry));
  }
  const root = toBase64(await rootHash(tree, treeSize));
  const treeHead: SignedTreeHead =
    treeSize === bundle.treeHead.treeSize
      ? bundle.treeHead
      : { treeSize, rootHash: root, timestamp: '', jws: '' };
  if (treeHead.rootHash !== root) {
    throw new GatewayError('validation_failed', {
      detail: 'the entries do not hash to the tree head the export names',
    });
  }
  return computeReport({ ...input, tally, tenant: bundle.tenant, treeHead });
}

/**
 * The differences between a published report and one recomputed from the log, as lines a DPO can
 * read; none means the published figures are the log's. The published tree head must be signed
 * by a key of `jwks` and hash to the same root as the export's first entries.
 */
export async function compareReports(
  published: MonitoringReport,
  recomputed: MonitoringReport,
  jwks: JSONWebKeySet,
): Promise<string[]> {
  const differences: string[] = [];
  const head = published.treeHead;
  const signature = await checkTreeHeadSignature(head, jwks);
  if (signature.status === 'invalid')
    differences.push('tree head: the signature does not verify with the export’s keys');
  else if (signature.typ !== 'tree-head+jwt') differences.push('tree head: not a tree head JWS');
  else if (signature.status === 'differs')
    differences.push('tree head: the signed head differs from the stated one');
  if (head.rootHash !== recomputed.treeHead.rootHash)
    differences.push(`tree head: root of the first ${head.treeSize} entries differs`);
  if (published.suppression.rule !== recomputed.suppression.rule)
    differences.push(
      `rule: ${published.suppression.rule} stated, ${recomputed.suppression.rule} applied`,
    );
  const mine = new Map(recomputed.tables.map((t) => [t.id, t]));
  for (const table of published.tables) {
    const other = mine.get(table.id);
    if (JSON.stringify(table) !== JSON.stringify(other))
      differences.push(`table ${table.id}: ${describeDifference(table, other)}`);
  }
  if (published.tables.length !== recomputed.tables.length)
    differences.push('tables: a table is missing');
  return differences;
}

function describeDifference(
  a: MonitoringReport['tables'][number],
  b: typeof a | undefined,
): string {
  if (b === undefined) return 'not computed';
  if (JSON.stringify(a.columns) !== JSON.stringify(b.columns)) return 'other columns';
  const rowsA = [...a.rows, a.total].map((r) => JSON.stringify(r));
  const rowsB = new Set([...b.rows, b.total].map((r) => JSON.stringify(r)));
  const first = rowsA.find((r) => !rowsB.has(r));
  return first === undefined ? 'other rows' : `row ${first} differs`;
}
