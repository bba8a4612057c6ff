import { appendToHead, completeHead } from './head.ts';
import type { MerkleNode, MerkleNodeStore } from './merkle.ts';

/**
 * In-memory MerkleNodeStore for tests and offline verification (the CLI rebuilds an exported log
 * with it and compares the root with the signed tree head).
 *
 * @example
 * ```ts
 * const tree = new MemoryNodeStore();
 * for (const entry of bundle.entries) await tree.append(await leafHash(entry));
 * const root = await rootHash(tree, tree.size);
 * ```
 */
export class MemoryNodeStore implements MerkleNodeStore {
  readonly #nodes = new Map<string, Uint8Array>();
  #size = 0;

  /** Number of leaves stored (one more than the highest leaf index written). */
  get size(): number {
    return this.#size;
  }

  getNode(level: number, index: number): Promise<Uint8Array | undefined> {
    const hash = this.#nodes.get(`${level}/${index}`);
    return Promise.resolve(hash && new Uint8Array(hash));
  }

  putNodes(nodes: readonly MerkleNode[]): Promise<void> {
    for (const { level, index, hash } of nodes) {
      this.#nodes.set(`${level}/${index}`, new Uint8Array(hash));
      if (level === 0) this.#size = Math.max(this.#size, index + 1);
    }
    return Promise.resolve();
  }

  /** Appends a leaf hash at index `size` and returns that index; await one append before the next. */
  async append(leaf: Uint8Array): Promise<number> {
    const index = this.#size;
    // The frontier is read back from the nodes (popcount(size) map lookups), so nodes put
    // directly with putNodes and appends can be mixed.
    const { nodes } = await appendToHead(await completeHead({ size: index }, this), leaf);
    await this.putNodes(nodes);
    return index;
  }
}
