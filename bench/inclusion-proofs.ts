/**
 * An inclusion proof (audit/proofs.ts `inclusionProof`) read from the SQLite audit store of a
 * log of `n` leaves, for leaves spread over the whole log.
 *
 * The tree is built in memory and bulk-inserted: RFC 9162 node hashes (0x01 ‖ left ‖ right,
 * SHA-256) level by level with `createHash`, since 10⁶ appends through `appendToHead` would
 * recompute the root each time (about 10⁷ WebCrypto digests). The builder is checked against
 * `appendToHead` on a small log first: same nodes, same root. Leaf hashes are random; audit
 * entries themselves are not written (a proof reads only nodes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inclusionProof } from '../audit/proofs.ts';
import { appendToHead, completeHead, emptyHead, packFrontier } from '../audit/head.ts';
import type { MerkleNode } from '../audit/merkle.ts';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import { sizeKey } from './stored.ts';

const key = (level: number, index: number) => `${String(level)}/${String(index)}`;

/** Every complete subtree's hash of a log with these leaves, level by level (0: the leaves). */
function buildTree(leaves: readonly Uint8Array[]): Uint8Array[][] {
  const levels: Uint8Array[][] = [[...leaves]];
  for (let below = leaves; below.length > 1;) {
    const above: Uint8Array[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) {
      const hash = createHash('sha256')
        .update(Uint8Array.of(1))
        .update(below[i] ?? new Uint8Array())
        .update(below[i + 1] ?? new Uint8Array())
        .digest();
      above.push(new Uint8Array(hash));
    }
    levels.push(above);
    below = above;
  }
  return levels;
}

const nodesOf = (levels: readonly Uint8Array[][]): MerkleNode[] =>
  levels.flatMap((hashes, level) => hashes.map((hash, index) => ({ level, index, hash })));

/** The head of a tree from its nodes, through audit/head.ts's own frontier and root. */
async function headOf(levels: readonly Uint8Array[][], size: number) {
  return completeHead(
    { size },
    { getNode: (level, index) => Promise.resolve(levels[level]?.[index]) },
  );
}

/** Throws unless the builder gives appendToHead's nodes and root on a log of `n` leaves. */
async function checkBuilder(n: number): Promise<void> {
  const leaves = Array.from({ length: n }, () => new Uint8Array(randomBytes(32)));
  let head = await emptyHead();
  const appended = new Map<string, string>();
  for (const leaf of leaves) {
    const step = await appendToHead(head, leaf);
    for (const node of step.nodes)
      appended.set(key(node.level, node.index), Buffer.from(node.hash).toString('hex'));
    head = step.head;
  }
  const levels = buildTree(leaves);
  const built = nodesOf(levels);
  const same =
    built.length === appended.size &&
    built.every(
      (node) =>
        appended.get(key(node.level, node.index)) === Buffer.from(node.hash).toString('hex'),
    ) &&
    Buffer.from((await headOf(levels, n)).root).equals(Buffer.from(head.root));
  if (!same) throw new Error('the bench tree builder disagrees with appendToHead');
}

async function seedLog(storage: SqliteStorage, tenant: string, size: number): Promise<void> {
  const leaves = Array.from({ length: size }, () => new Uint8Array(randomBytes(32)));
  const levels = buildTree(leaves);
  const head = await headOf(levels, size);
  const insert = storage.db.prepare(
    'INSERT INTO audit_nodes (tenant_id, level, idx, hash) VALUES (?, ?, ?, ?)',
  );
  storage.db.transaction(() => {
    levels.forEach((hashes, level) => {
      hashes.forEach((hash, index) => insert.run(tenant, level, index, hash));
    });
    storage.db
      .prepare('INSERT INTO audit_heads (tenant_id, size, root, frontier) VALUES (?, ?, ?, ?)')
      .run(tenant, size, head.root, packFrontier(head.frontier));
  })();
}

/** Mean µs per inclusion proof at each size. */
export async function measureInclusionProofs(
  dataRoot: string,
  sizes: readonly number[],
): Promise<Record<string, number>> {
  await checkBuilder(1000);
  const storage = openSqliteStorage(join(dataRoot, 'audit'));
  const figures: Record<string, number> = {};
  try {
    for (const size of sizes) {
      const tenant = `log${String(size)}`;
      process.stderr.write(`bench: audit log of ${String(size)} leaves\n`);
      await seedLog(storage, tenant, size);
      const reader = {
        getNode: (level: number, index: number) => storage.audit.getNode(tenant, level, index),
      };
      const proofs = 5000;
      for (let i = 0; i < 500; i++) await inclusionProof(reader, (i * 7919) % size, size);
      const started = performance.now();
      for (let i = 0; i < proofs; i++) await inclusionProof(reader, (i * 104_729) % size, size);
      figures[sizeKey(size)] = ((performance.now() - started) * 1000) / proofs;
    }
  } finally {
    storage.close();
  }
  return figures;
}
