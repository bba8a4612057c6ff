/**
 * RFC 9162 §2.1.3 inclusion and §2.1.4 consistency proofs. Generation walks RFC 9162's recursive
 * definitions (PATH and SUBPROOF) top-down over the stored tree, so a proof costs O(log n) stored
 * reads. Verification is pure (no store) and follows the RFC's verification algorithms step by
 * step; it answers false, never throws, so the CLI can say which check failed.
 *
 * A verifier trusts a (size, root) pair only from a signed tree head: a proof shows how a leaf or
 * an older root fits the tree the root commits to, not that the size belongs to that root.
 */
import type { ValidationIssue } from '../core/index.ts';
import { HASH_LENGTH, emptyRoot, equalBytes, nodeHash } from './leaf.ts';
import { countIssues, refuse, splitPoint, subtreeHash, type MerkleNodeStore } from './merkle.ts';

type NodeReader = Pick<MerkleNodeStore, 'getNode'>;

/**
 * PATH(index, D[size]) (RFC 9162 §2.1.3.1): the sibling hashes from the leaf up to the root,
 * nearest the leaf first. A tree of one leaf has the empty path. O(log n) stored reads.
 *
 * @throws GatewayError `validation_failed` with /seq or /treeSize for a negative or non-integer
 *   argument or index ≥ size; `internal_error` if the store lacks nodes of that tree.
 */
export async function inclusionProof(
  store: NodeReader,
  index: number,
  size: number,
): Promise<Uint8Array[]> {
  const issues: ValidationIssue[] = [
    ...countIssues(index, 0, '/seq', 'seq'),
    ...countIssues(size, 1, '/treeSize', 'treeSize'),
  ];
  if (issues.length === 0 && index >= size)
    issues.push({ path: '/seq', message: 'seq must be less than treeSize' });
  refuse(issues);

  // PATH(m, D[lo:hi]) = PATH(m, D[lo:lo+k]) : MTH(D[lo+k:hi])   if m < lo + k
  //                   = PATH(m, D[lo+k:hi]) : MTH(D[lo:lo+k])   otherwise
  // Walked from the root down, so the siblings come out farthest from the leaf first.
  const siblings: Promise<Uint8Array>[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      siblings.push(subtreeHash(store, lo + k, hi));
      hi = lo + k;
    } else {
      siblings.push(subtreeHash(store, lo, lo + k));
      lo += k;
    }
  }
  return (await Promise.all(siblings)).reverse();
}

/**
 * PROOF(from, D[to]) (RFC 9162 §2.1.4.1): the hashes that show the tree of `from` leaves is a
 * prefix of the tree of `to` leaves. `from` = 0 or `from` = `to` gives the empty proof. O(log n)
 * stored reads.
 *
 * @throws GatewayError `validation_failed` with /from or /to for a negative or non-integer
 *   argument or from > to; `internal_error` if the store lacks nodes of that tree.
 */
export async function consistencyProof(
  store: NodeReader,
  from: number,
  to: number,
): Promise<Uint8Array[]> {
  const issues: ValidationIssue[] = [
    ...countIssues(from, 0, '/from', 'from'),
    ...countIssues(to, 0, '/to', 'to'),
  ];
  if (issues.length === 0 && from > to)
    issues.push({ path: '/from', message: 'from must not exceed to' });
  refuse(issues);
  if (from === 0 || from === to) return [];

  // SUBPROOF(m, D[lo:hi], b), m counted from lo:
  //   m = hi - lo:  {} if b, else {MTH(D[lo:hi])}
  //   m ≤ k:        SUBPROOF(m, D[lo:lo+k], b) : MTH(D[lo+k:hi])
  //   m > k:        SUBPROOF(m - k, D[lo+k:hi], false) : MTH(D[lo:lo+k])
  const siblings: Promise<Uint8Array>[] = [];
  let lo = 0;
  let hi = to;
  let m = from;
  let complete = true; // RFC 9162's b: the subtree is still a subtree of the old tree's root path
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      siblings.push(subtreeHash(store, lo + k, hi));
      hi = lo + k;
    } else {
      siblings.push(subtreeHash(store, lo, lo + k));
      lo += k;
      m -= k;
      complete = false;
    }
  }
  const innermost = complete ? [] : [subtreeHash(store, lo, hi)];
  return Promise.all([...innermost, ...siblings.reverse()]);
}

/**
 * RFC 9162 §2.1.3.2: true iff `proof` shows the leaf with hash `leaf` at `index` in the tree of
 * `size` leaves whose root is `root`. False for any wrong or malformed input; never throws.
 */
export async function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  try {
    if (!isCount(index) || !isCount(size) || index >= size) return false;
    if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
    let fn = index;
    let sn = size - 1;
    let r: Uint8Array = leaf;
    for (const p of proof) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(p, r);
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      } else {
        r = await nodeHash(r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 && equalBytes(r, root);
  } catch {
    return false;
  }
}

/**
 * RFC 9162 §2.1.4.2: true iff `proof` shows that the tree of `from` leaves with root `oldRoot` is
 * a prefix of the tree of `to` leaves with root `newRoot`. The RFC leaves two cases to the caller,
 * settled here as in PROOF's definition: from = to needs the empty proof and equal roots; from =
 * 0 needs the empty proof and `oldRoot` = SHA-256(""). False for any wrong or malformed input;
 * never throws.
 */
export async function verifyConsistency(
  from: number,
  to: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): Promise<boolean> {
  try {
    if (!isCount(from) || !isCount(to) || from > to) return false;
    if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
    if (from === 0)
      return (
        proof.length === 0 &&
        equalBytes(oldRoot, await emptyRoot()) &&
        (to !== 0 || equalBytes(newRoot, oldRoot))
      );
    if (from === to) return proof.length === 0 && equalBytes(oldRoot, newRoot);
    // 1. An empty path fails.
    if (proof.length === 0) return false;
    // 2. If first is an exact power of 2, prepend first_hash.
    const path = isPowerOfTwo(from) ? [oldRoot, ...proof] : proof;
    // 3. fn = first - 1, sn = second - 1.
    let fn = from - 1;
    let sn = to - 1;
    // 4. If LSB(fn) is set, right-shift both until it is not.
    while (fn % 2 === 1) {
      fn = (fn - 1) / 2;
      sn = Math.floor(sn / 2);
    }
    // 5. fr and sr start at the first value of the path.
    const [first, ...rest] = path;
    if (first === undefined) return false;
    let fr: Uint8Array = first;
    let sr: Uint8Array = first;
    // 6. Fold in each subsequent value.
    for (const c of rest) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        fr = await nodeHash(c, fr);
        sr = await nodeHash(c, sr);
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      } else {
        sr = await nodeHash(sr, c);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    // 7. Both roots reproduced and the path used up exactly.
    return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
  } catch {
    return false;
  }
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function isHash(value: Uint8Array): boolean {
  return value.length === HASH_LENGTH;
}

function isPowerOfTwo(n: number): boolean {
  let size = 1;
  while (size < n) size *= 2;
  return size === n;
}
