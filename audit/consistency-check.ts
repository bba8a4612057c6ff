/**
 * Whether an earlier audit export is a prefix of a later one: what a DPO holding an old export
 * checks offline once they have a new one. The log may only ever have grown between the two; a
 * gateway that rewrote, dropped or reordered an entry after the first export, or signed two
 * different histories, cannot produce a pair that passes.
 */
import type { JSONWebKeySet } from 'jose';
import { canonicalJson } from '../core/index.ts';
import { checkTreeHeadSignature, type AuditBundle } from './bundle.ts';
import { equalBytes, fromBase64, leafHash, toBase64 } from './leaf.ts';
import { rootHash } from './merkle.ts';
import { MemoryNodeStore } from './memory-tree.ts';
import { consistencyProof, verifyConsistency } from './proofs.ts';

/** Why two exports are not an earlier and a later view of one log; callers switch on these. */
export type ExportConsistencyCode =
  /** The exports are of different tenants. */
  | 'different_tenant'
  /** A tree head is not signed by the pinned keys, or the earlier one by the later log's. */
  | 'different_log'
  /** An export states another tree head (size, root, time) than its signature covers. */
  | 'forged_head'
  /** The "earlier" export holds the larger tree: the two were given the wrong way round. */
  | 'old_is_newer'
  /** The later export is not the whole log (a --from/--to range), so no proof can be computed. */
  | 'new_incomplete'
  /** The later export's entries do not hash to its own signed root. */
  | 'new_root_mismatch'
  /** An entry of the earlier export differs from the entry of the same seq in the later one. */
  | 'entry_differs'
  /** The earlier signed root is not the root of the later log's first entries. */
  | 'not_a_prefix';

/** The tree head of one export, as the summary names it. */
export interface ExportHead {
  readonly exportedAt: string;
  readonly treeSize: number;
  readonly rootHash: string;
}

export type ExportConsistency =
  | {
      readonly ok: true;
      readonly old: ExportHead;
      readonly new: ExportHead;
      /** The RFC 9162 §2.1.4 consistency proof from the old size to the new one, base64. */
      readonly proof: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: ExportConsistencyCode;
      readonly reason: string;
      /** The entry that differs, for `entry_differs`. */
      readonly seq?: number;
    };

const refused = (code: ExportConsistencyCode, reason: string, seq?: number): ExportConsistency => ({
  ok: false,
  code,
  reason,
  ...(seq === undefined ? {} : { seq }),
});

const headOf = (bundle: AuditBundle): ExportHead => ({
  exportedAt: bundle.exportedAt,
  treeSize: bundle.treeHead.treeSize,
  rootHash: bundle.treeHead.rootHash,
});

/**
 * Checks that `older` is a prefix of `newer`: same tenant, both heads signed by a key of the
 * newer export's log (of `pinnedJwks` when the DPO pinned them), the older tree no larger, each
 * entry of the older export the same canonical JSON as the newer export's entry of that seq, and
 * an RFC 9162 consistency proof, computed from the newer export's leaves, that holds between the
 * two signed roots. The newer export must hold the whole log (no range) to compute that proof.
 *
 * Each export must already have been checked on its own (`checkBundle` and its OpenPGP
 * signature): this checks only how the two relate, and trusts each stated tree head to be the
 * signed one.
 *
 * @example
 * ```ts
 * const result = await checkConsistentExports(oldBundle, newBundle, publishedJwks);
 * if (!result.ok) io.stderr.write(`INCONSISTENT: ${result.reason}\n`); // as the CLI says it
 * ```
 */
export async function checkConsistentExports(
  older: AuditBundle,
  newer: AuditBundle,
  pinnedJwks?: JSONWebKeySet,
): Promise<ExportConsistency> {
  if (older.tenant !== newer.tenant)
    return refused(
      'different_tenant',
      `the exports are of different tenants (${older.tenant}, ${newer.tenant})`,
    );
  // Both heads under one key set: the pinned one, else the later export's (which, after a key
  // rotation, still lists the keys that signed earlier heads).
  const keys = pinnedJwks ?? newer.jwks;
  for (const [which, bundle] of [
    ['later', newer],
    ['earlier', older],
  ] as const) {
    const { status } = await checkTreeHeadSignature(bundle.treeHead, keys);
    if (status === 'differs')
      return refused(
        'forged_head',
        `the ${which} export states another tree head than the one signed: its size or root was forged`,
      );
    if (status === 'invalid')
      return refused(
        'different_log',
        `the ${which} tree head is not signed by a key of ${pinnedJwks === undefined ? "the later export's log" : 'the pinned keys'}: another gateway's or another log's export`,
      );
  }
  const m = older.treeHead.treeSize;
  const n = newer.treeHead.treeSize;
  if (m > n)
    return refused(
      'old_is_newer',
      `the earlier export holds more entries (${m}) than the later one (${n}): give the later export first and the earlier one to --consistent-with`,
    );
  const incomplete = completenessProblem(newer);
  if (incomplete !== undefined) return refused('new_incomplete', incomplete);
  for (const entry of older.entries) {
    const later = newer.entries[entry.seq];
    if (entry.seq >= m || later === undefined || canonicalJson(entry) !== canonicalJson(later))
      return refused(
        'entry_differs',
        `entry seq ${entry.seq} of the earlier export differs from the later export's`,
        entry.seq,
      );
  }
  return proveConsistency(older, newer);
}

/** Why `bundle` is not the whole log up to its tree head, if it is not. */
function completenessProblem(bundle: AuditBundle): string | undefined {
  const { entries, treeHead } = bundle;
  const gap = entries.findIndex((entry, i) => entry.seq !== i);
  if (entries.length === treeHead.treeSize && gap === -1) return undefined;
  const first = entries[0]?.seq;
  const last = entries.at(-1)?.seq;
  const held =
    first === undefined || last === undefined ? 'no entries' : `entries seq ${first} to ${last}`;
  return `the later export holds ${held} of a log of ${treeHead.treeSize}: export the whole log (no --from/--to) to check consistency`;
}

/** Rebuilds the later log from its entries and checks the consistency proof between the roots. */
async function proveConsistency(
  older: AuditBundle,
  newer: AuditBundle,
): Promise<ExportConsistency> {
  const m = older.treeHead.treeSize;
  const n = newer.treeHead.treeSize;
  const tree = new MemoryNodeStore();
  for (const entry of newer.entries) await tree.append(await leafHash(entry));
  const newRoot = await rootHash(tree, n);
  if (!equalBytes(newRoot, fromBase64(newer.treeHead.rootHash)))
    return refused(
      'new_root_mismatch',
      `the later export's entries hash to ${toBase64(newRoot)}, not to its signed root`,
    );
  const proof = await consistencyProof(tree, m, n);
  const oldRoot = fromBase64(older.treeHead.rootHash);
  if (!(await verifyConsistency(m, n, proof, oldRoot, newRoot))) {
    // Why: the first m entries of the later log hash to another root than the one signed earlier.
    const prefixRoot = toBase64(await rootHash(tree, m));
    return refused(
      'not_a_prefix',
      `the earlier signed root ${older.treeHead.rootHash} is not the root of the later log's first ${m} entries (${prefixRoot}): the log was rewritten, or a root forged`,
    );
  }
  return { ok: true, old: headOf(older), new: headOf(newer), proof: proof.map(toBase64) };
}
