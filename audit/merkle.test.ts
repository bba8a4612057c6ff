import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/index.ts';
import { leafHash } from './leaf.ts';
import { appendToHead, completeHead, emptyHead, packFrontier, unpackFrontier } from './head.ts';
import { MemoryNodeStore } from './memory-tree.ts';
import { rootHash, subtreeHash, type MerkleNodeStore } from './merkle.ts';

// ---- A naive reference straight from RFC 9162 §2.1.1, over an array, with node:crypto ----------

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const refLeaf = (data: Uint8Array): Buffer => sha256(Uint8Array.of(0x00), data);
const refNode = (left: Uint8Array, right: Uint8Array): Buffer =>
  sha256(Uint8Array.of(0x01), left, right);

/** The largest power of two smaller than n, found by counting up. */
function refSplit(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) by the recursive definition, from leaf hashes. */
function refMth(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return Buffer.from(leaves[0] ?? []);
  const k = refSplit(leaves.length);
  return refNode(refMth(leaves.slice(0, k)), refMth(leaves.slice(k)));
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

/** Counts getNode calls on a store. */
function counting(store: Pick<MerkleNodeStore, 'getNode'>) {
  const counter = {
    reads: 0,
    getNode(level: number, index: number) {
      counter.reads++;
      return store.getNode(level, index);
    },
  };
  return counter;
}

const ceilLog2 = (n: number): number => (n <= 1 ? 0 : Math.ceil(Math.log2(n)));
const popcount = (n: number): number => n.toString(2).replaceAll('0', '').length;

async function storeOf(leaves: readonly Uint8Array[]): Promise<MemoryNodeStore> {
  const store = new MemoryNodeStore();
  for (const leaf of leaves) await store.append(leaf);
  return store;
}

const LEAVES = Array.from({ length: 64 }, (_, i) => refLeaf(Buffer.from(`audit entry ${i}`)));

describe('rootHash', () => {
  it('matches the RFC 9162 recursive definition for every size 0..64', async () => {
    const store = await storeOf(LEAVES);
    for (let n = 0; n <= LEAVES.length; n++) {
      expect(hex(await rootHash(store, n)), `size ${n}`).toBe(hex(refMth(LEAVES.slice(0, n))));
    }
  });

  it('matches the Certificate Transparency reference roots (sizes 0..8)', async () => {
    // Leaves and roots as published with RFC 6962 implementations (transparency-dev/merkle).
    const data = [
      '',
      '00',
      '10',
      '2021',
      '3031',
      '40414243',
      '5051525354555657',
      '606162636465666768696a6b6c6d6e6f',
    ].map(unhex);
    const roots = [
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    const store = await storeOf(data.map(refLeaf));
    for (let n = 0; n <= data.length; n++) expect(hex(await rootHash(store, n))).toBe(roots[n]);
  });

  it('fixed vector: a 3-leaf tree of audit entries, computed by hand', async () => {
    const entries = [
      { seq: 0, event: 'consent.granted', actor: 'subject', outcome: 'ok' },
      { seq: 1, event: 'exchange.accepted', actor: 'koeln-sozialamt', outcome: 'ok' },
      { seq: 2, event: 'audit.read', actor: 'dpo', outcome: 'ok' },
    ];
    // RFC 8785 text of each entry, written out by hand (keys sorted, no white space).
    const json = [
      '{"actor":"subject","event":"consent.granted","outcome":"ok","seq":0}',
      '{"actor":"koeln-sozialamt","event":"exchange.accepted","outcome":"ok","seq":1}',
      '{"actor":"dpo","event":"audit.read","outcome":"ok","seq":2}',
    ];
    const [l0, l1, l2] = json.map((text) => sha256(Uint8Array.of(0x00), Buffer.from(text)));
    if (!l0 || !l1 || !l2) throw new Error('three leaves');
    // MTH(D[3]): k = 2, so root = H(0x01 ‖ H(0x01 ‖ l0 ‖ l1) ‖ l2); the hex was checked with
    // Python hashlib over the same three strings.
    const expected = sha256(Uint8Array.of(0x01), sha256(Uint8Array.of(0x01), l0, l1), l2);
    expect(hex(expected)).toBe('c69ad33122f6b24bcec0dfbdca48f6bf15b8c4ff1b6bcbcb15f93f6973ca99ea');

    const store = new MemoryNodeStore();
    for (const entry of entries) await store.append(await leafHash(entry));
    expect(store.size).toBe(3);
    expect(hex(await rootHash(store, 3))).toBe(hex(expected));
    expect(hex(await rootHash(store, 2))).toBe(hex(refNode(l0, l1)));
    expect(hex(await rootHash(store, 1))).toBe(hex(l0));
  });

  it('reads one stored node per 1 bit of the size', async () => {
    const store = await storeOf(LEAVES);
    for (let n = 1; n <= LEAVES.length; n++) {
      const counter = counting(store);
      await rootHash(counter, n);
      expect(counter.reads).toBe(popcount(n));
      expect(counter.reads).toBeLessThanOrEqual(ceilLog2(n) + 1);
    }
  });

  it('refuses an impossible size and reports a missing node as an internal error', async () => {
    const store = await storeOf(LEAVES.slice(0, 5));
    for (const size of [-1, 1.5, Number.NaN, 2 ** 53]) {
      const error: unknown = await rootHash(store, size).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('validation_failed');
      expect((error as GatewayError).errors).toEqual([
        { path: '/treeSize', message: expect.any(String) as string },
      ]);
    }
    await expect(rootHash(store, 6)).rejects.toMatchObject({ code: 'internal_error' });
  });
});

describe('appendToHead', () => {
  it('stores exactly the complete subtrees and the head RFC 9162 defines, reading no node', async () => {
    let head = await emptyHead();
    const leaves: Buffer[] = [];
    const store = new MemoryNodeStore();
    for (let index = 0; index < 1100; index++) {
      const leaf = refLeaf(Buffer.from(`leaf ${index}`));
      leaves.push(leaf);
      const appended = await appendToHead(head, leaf);
      const n = index + 1;
      const trailingOnes = /1*$/.exec(index.toString(2))?.[0].length ?? 0;
      expect(appended.nodes.length).toBe(trailingOnes + 1);
      expect(appended.nodes.length).toBeLessThanOrEqual(Math.floor(Math.log2(n)) + 1);
      for (const node of appended.nodes) {
        const width = 2 ** node.level;
        expect((node.index + 1) * width).toBe(n); // each new node ends at the new leaf
        const covered = leaves.slice(node.index * width, (node.index + 1) * width);
        expect(hex(node.hash)).toBe(hex(refMth(covered)));
      }
      head = appended.head;
      expect(head.size).toBe(n);
      expect(head.frontier.length).toBe(popcount(n));
      expect(hex(head.root)).toBe(hex(refMth(leaves)));
      await store.putNodes(appended.nodes);
      // A head stored without root and frontier is rebuilt from the nodes, reading popcount(n).
      const counter = counting(store);
      const rebuilt = await completeHead({ size: n }, counter);
      expect(counter.reads).toBe(popcount(n));
      expect(rebuilt.frontier.map(hex)).toEqual(head.frontier.map(hex));
      expect(hex(rebuilt.root)).toBe(hex(head.root));
    }
    expect(hex(await rootHash(store, 1100))).toBe(hex(refMth(leaves)));
    expect(unpackFrontier(packFrontier(head.frontier)).map(hex)).toEqual(head.frontier.map(hex));
  });

  it('does not alias the caller’s buffer', async () => {
    const leaf = new Uint8Array(refLeaf(Buffer.from('x')));
    const original = hex(leaf);
    const { nodes, head } = await appendToHead(await emptyHead(), leaf);
    leaf.fill(0);
    expect(nodes[0] && hex(nodes[0].hash)).toBe(original);
    expect(hex(head.root)).toBe(original);
  });

  it('refuses a bad size or leaf, a frontier that does not fit, and a missing node', async () => {
    const leaf = refLeaf(Buffer.from('x'));
    const empty = await emptyHead();
    await expect(appendToHead({ ...empty, size: -1 }, leaf)).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '/seq' }],
    });
    await expect(appendToHead({ ...empty, size: 0.5 }, leaf)).rejects.toMatchObject({
      errors: [{ path: '/seq' }],
    });
    await expect(appendToHead(empty, new Uint8Array(31))).rejects.toMatchObject({
      errors: [{ path: '/leafHash' }],
    });
    await expect(appendToHead({ ...empty, size: 3 }, leaf)).rejects.toMatchObject({
      code: 'internal_error',
    });
    await expect(completeHead({ size: 3 }, new MemoryNodeStore())).rejects.toMatchObject({
      code: 'internal_error',
    });
  });

  it('works past 32 bits (no bit operators on sizes)', async () => {
    const size = 2 ** 40 - 1; // 40 trailing ones: every frontier hash is merged
    const frontier = Array.from({ length: 40 }, () => new Uint8Array(32));
    const { nodes, head } = await appendToHead(
      { size, root: new Uint8Array(32), frontier },
      new Uint8Array(32),
    );
    expect(nodes.map(({ level, index: at }) => [level, at])).toEqual(
      Array.from({ length: 41 }, (_, level) => [level, 2 ** (40 - level) - 1]),
    );
    expect(head.size).toBe(2 ** 40);
    expect(head.frontier).toHaveLength(1);
  });
});

describe('subtreeHash', () => {
  it('is MTH of any range, aligned or not, and the empty hash for an empty range', async () => {
    const store = await storeOf(LEAVES.slice(0, 20));
    for (let start = 0; start <= 20; start++) {
      for (let end = start; end <= 20; end++) {
        expect(hex(await subtreeHash(store, start, end)), `[${start}, ${end})`).toBe(
          hex(refMth(LEAVES.slice(start, end))),
        );
      }
    }
  });

  it('takes popcount(end − start) reads for the aligned ranges proofs use', async () => {
    const store = await storeOf(LEAVES);
    for (const [start, end] of [
      [32, 64],
      [32, 63],
      [32, 45],
      [16, 17],
      [48, 61],
    ] as const) {
      const counter = counting(store);
      await subtreeHash(counter, start, end);
      expect(counter.reads, `[${start}, ${end})`).toBe(popcount(end - start));
    }
  });

  it('refuses impossible ranges', async () => {
    const store = await storeOf(LEAVES.slice(0, 4));
    await expect(subtreeHash(store, 3, 2)).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '/start' }],
    });
    await expect(subtreeHash(store, -1, 2)).rejects.toMatchObject({ errors: [{ path: '/start' }] });
    await expect(subtreeHash(store, 0, 2.5)).rejects.toMatchObject({ errors: [{ path: '/end' }] });
  });
});

describe('MemoryNodeStore', () => {
  it('tracks its size and hands out copies', async () => {
    const store = new MemoryNodeStore();
    expect(store.size).toBe(0);
    expect(await store.append(LEAVES[0] ?? new Uint8Array(32))).toBe(0);
    expect(await store.append(LEAVES[1] ?? new Uint8Array(32))).toBe(1);
    expect(store.size).toBe(2);
    const node = await store.getNode(1, 0);
    expect(node && hex(node)).toBe(hex(refMth(LEAVES.slice(0, 2))));
    if (node) node[0] = (node[0] ?? 0) ^ 1;
    const again = await store.getNode(1, 0);
    expect(again && hex(again)).toBe(hex(refMth(LEAVES.slice(0, 2))));
    expect(await store.getNode(1, 1)).toBeUndefined();
  });
});
