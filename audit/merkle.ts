/**
 * An incremental RFC 9162 Merkle tree over stored nodes. Only complete subtrees are stored (they
 * never change once complete), so an append writes at most log2 n + 1 nodes after reading at most
 * log2 n, and the hash of any prefix or aligned range is assembled from O(log n) stored nodes
 * instead of rebuilding the tree.
 *
 * Sizes and indices are plain numbers up to Number.MAX_SAFE_INTEGER; all arithmetic here is done
 * with division, never with 32-bit bit operators.
 */
import { GatewayError, type ValidationIssue } from '../core/index.ts';
import { emptyRoot, nodeHash } from './leaf.ts';

/** A stored node: the hash of the complete subtree over leaves [index·2^level, (index+1)·2^level). */
export interface MerkleNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

/**
 * Stored nodes of complete subtrees: level 0 = leaf hashes; a node at (level, index) covers
 * leaves [index·2^level, (index+1)·2^level).
 */
export interface MerkleNodeStore {
  getNode(level: number, index: number): Promise<Uint8Array | undefined>;
  /** Writes the nodes of one append; the caller runs it inside its transaction. */
  putNodes(nodes: readonly MerkleNode[]): Promise<void>;
}

export type NodeReader = Pick<MerkleNodeStore, 'getNode'>;

/**
 * The issue, if any, with a tree size or index that must be an integer in
 * [min, Number.MAX_SAFE_INTEGER]; shared with proofs.ts.
 */
export function countIssues(
  value: number,
  min: number,
  path: string,
  name: string,
): ValidationIssue[] {
  return Number.isSafeInteger(value) && value >= min
    ? []
    : [{ path, message: `${name} must be an integer ≥ ${min}` }];
}

/** Throws GatewayError('validation_failed') listing `issues`, if there are any. */
export function refuse(issues: readonly ValidationIssue[]): void {
  if (issues.length === 0) return;
  throw new GatewayError('validation_failed', {
    detail: issues.map((issue) => issue.message).join('; '),
    errors: issues,
  });
}

/** The largest power of two strictly below n (n ≥ 2): RFC 9162's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2(n) if n is a power of two, else undefined. */
function exactLog2(n: number): number | undefined {
  let level = 0;
  let size = 1;
  while (size < n) {
    size *= 2;
    level++;
  }
  return size === n ? level : undefined;
}

/** A stored node that must exist; its absence means the store lost part of the tree. */
export async function readNode(
  store: NodeReader,
  level: number,
  index: number,
): Promise<Uint8Array> {
  const hash = await store.getNode(level, index);
  if (hash === undefined) {
    throw new GatewayError('internal_error', {
      detail: `audit tree node at level ${level}, index ${index} is missing from the store`,
    });
  }
  return hash;
}

/**
 * MTH(D[start:end]): the hash of the subtree over leaves [start, end), by RFC 9162's recursive
 * split, reading stored complete nodes where the range covers one. When `start` is a multiple of
 * the power of two ≥ end − start (the prefix [0, n) and every range a proof needs), this takes
 * popcount(end − start) ≤ log2 n + 1 reads; other ranges are allowed but cost more. An empty
 * range gives the empty-tree hash.
 *
 * @throws GatewayError `validation_failed` (/start, /end) for impossible ranges; `internal_error`
 *   if a node the range needs is missing (the range reaches beyond the stored tree).
 */
export async function subtreeHash(
  store: NodeReader,
  start: number,
  end: number,
): Promise<Uint8Array> {
  const issues = [
    ...countIssues(start, 0, '/start', 'start'),
    ...countIssues(end, 0, '/end', 'end'),
  ];
  if (issues.length === 0 && start > end)
    issues.push({ path: '/start', message: 'start must not exceed end' });
  refuse(issues);
  if (start === end) return emptyRoot();
  return rangeHash(store, start, end);
}

async function rangeHash(store: NodeReader, start: number, end: number): Promise<Uint8Array> {
  const n = end - start;
  const level = exactLog2(n);
  if (level !== undefined && start % n === 0) return readNode(store, level, start / n);
  const k = splitPoint(n);
  const [left, right] = await Promise.all([
    rangeHash(store, start, start + k),
    rangeHash(store, start + k, end),
  ]);
  return nodeHash(left, right);
}

/**
 * MTH(D[0:size]), the root hash of the tree of the first `size` leaves, from the stored complete
 * subtrees (one per 1 bit of `size`): at most log2 n + 1 reads. Size 0 gives SHA-256("").
 *
 * @throws GatewayError `validation_failed` (/treeSize) for a negative or non-integer size.
 */
export async function rootHash(store: NodeReader, size: number): Promise<Uint8Array> {
  refuse(countIssues(size, 0, '/treeSize', 'treeSize'));
  return size === 0 ? emptyRoot() : rangeHash(store, 0, size);
}
