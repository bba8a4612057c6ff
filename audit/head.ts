/**
 * A tenant's log head: its size, root and right-edge frontier, kept in one row. With the frontier
 * an append needs no tree read at all (the left siblings it merges with are the frontier's last
 * entries), and the root of the current tree is one read instead of log2 n, so the head row that
 * orders appends across instances is also everything an append and a tree head need.
 */
import { GatewayError } from '../core/index.ts';
import { HASH_LENGTH, emptyRoot, nodeHash } from './leaf.ts';
import { countIssues, readNode, refuse, type MerkleNode, type NodeReader } from './merkle.ts';
import type { AuditHead, AuditStore, StoredHead } from './ports.ts';

/** The head of an empty log. */
export async function emptyHead(): Promise<AuditHead> {
  return { size: 0, root: await emptyRoot(), frontier: [] };
}

/**
 * Appends leaf `size` to `head`: the nodes that become complete (the leaf and, for every trailing
 * 1 bit of the size, the parent of the subtree just completed, at most log2 n + 1) and the head
 * after the append. Pure: reads nothing.
 *
 * @throws GatewayError `validation_failed` for a leaf that is not a SHA-256 hash or a full log;
 *   `internal_error` for a frontier that does not fit its size.
 */
export async function appendToHead(
  head: AuditHead,
  leaf: Uint8Array,
): Promise<{ nodes: MerkleNode[]; head: AuditHead }> {
  refuse([
    ...countIssues(head.size, 0, '/seq', 'seq'),
    ...(head.size === Number.MAX_SAFE_INTEGER
      ? [{ path: '/seq', message: 'the log is full' }]
      : []),
    ...(leaf.length === HASH_LENGTH ? [] : [{ path: '/leafHash', message: 'must be 32 bytes' }]),
  ]);
  checkFrontier(head);
  const frontier = [...head.frontier];
  let hash: Uint8Array = new Uint8Array(leaf); // a copy, also of a Buffer (whose slice() is a view)
  let level = 0;
  let index = head.size;
  const nodes: MerkleNode[] = [{ level, index, hash }];
  // Each trailing 1 bit of the size merges with the frontier's smallest subtree.
  for (let left: Uint8Array | undefined; index % 2 === 1;) {
    left = frontier.pop();
    if (left === undefined) throw misfit(head);
    hash = await nodeHash(left, hash);
    level++;
    index = (index - 1) / 2;
    nodes.push({ level, index, hash });
  }
  frontier.push(hash);
  return { nodes, head: { size: head.size + 1, root: await rootOfFrontier(frontier), frontier } };
}

/**
 * RFC 9162's MTH from the frontier: the subtrees, largest first, fold from the right, since each
 * split point k puts the largest complete subtree on the left.
 */
async function rootOfFrontier(frontier: readonly Uint8Array[]): Promise<Uint8Array> {
  const [last, ...rest] = [...frontier].reverse();
  if (last === undefined) return emptyRoot();
  let root = last;
  for (const left of rest) root = await nodeHash(left, root);
  return root;
}

/**
 * The frontier of a tree of `size` leaves as positions of stored nodes: one complete subtree per
 * 1 bit of the size, largest first.
 */
function frontierPositions(size: number): { level: number; index: number }[] {
  let span = 1;
  let level = 0;
  while (span * 2 <= size) {
    span *= 2;
    level++;
  }
  const positions: { level: number; index: number }[] = [];
  for (let covered = 0; span >= 1; span /= 2, level--) {
    if (size - covered < span) continue;
    positions.push({ level, index: covered / span });
    covered += span;
  }
  return positions;
}

const misfit = (head: AuditHead) =>
  new GatewayError('internal_error', {
    detail: `audit head of size ${head.size} has ${head.frontier.length} frontier hashes`,
  });

function checkFrontier(head: AuditHead): void {
  if (head.frontier.length !== frontierPositions(head.size).length) throw misfit(head);
}

/**
 * The tenant's head. A head stored before heads kept their root and frontier (size only) is
 * completed from the stored complete subtrees, popcount(size) reads, until its next append
 * writes it whole.
 */
export async function currentHead(store: AuditStore, tenantId: string): Promise<AuditHead> {
  return completeHead(await store.head(tenantId), {
    getNode: (level, index) => store.getNode(tenantId, level, index),
  });
}

export async function completeHead(
  stored: StoredHead | undefined,
  tree: NodeReader,
): Promise<AuditHead> {
  if (stored === undefined || stored.size === 0) return emptyHead();
  if (stored.root !== undefined && stored.frontier !== undefined) {
    return { size: stored.size, root: stored.root, frontier: stored.frontier };
  }
  const frontier = await Promise.all(
    frontierPositions(stored.size).map(({ level, index }) => readNode(tree, level, index)),
  );
  return { size: stored.size, root: await rootOfFrontier(frontier), frontier };
}

/** The frontier as one column: its hashes concatenated, largest subtree first. */
export function packFrontier(frontier: readonly Uint8Array[]): Uint8Array {
  const packed = new Uint8Array(frontier.length * HASH_LENGTH);
  frontier.forEach((hash, i) => {
    packed.set(hash, i * HASH_LENGTH);
  });
  return packed;
}

export function unpackFrontier(packed: Uint8Array): Uint8Array[] {
  const frontier: Uint8Array[] = [];
  for (let at = 0; at < packed.length; at += HASH_LENGTH) {
    frontier.push(new Uint8Array(packed.subarray(at, at + HASH_LENGTH)));
  }
  return frontier;
}
