import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/index.ts';
import { emptyRoot } from './leaf.ts';
import { MemoryNodeStore } from './memory-tree.ts';
import { rootHash, type MerkleNodeStore } from './merkle.ts';
import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from './proofs.ts';

// ---- A naive, independent reference straight from RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 -------
// Recursion over explicit ranges of an array of leaf hashes, hashing with node:crypto; it shares no
// code with the store-based implementation under test.

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const refLeaf = (data: Uint8Array): Buffer => sha256(Uint8Array.of(0x00), data);
const refNode = (left: Uint8Array, right: Uint8Array): Buffer =>
  sha256(Uint8Array.of(0x01), left, right);

/** k: the largest power of two smaller than n. */
function refSplit(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[lo:hi]) of some leaf sequence. */
type Mth = (lo: number, hi: number) => Buffer;

/** MTH over an array: MTH({d0}) = d0's leaf hash; MTH(D[n]) = HASH(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])). */
function arrayMth(leaves: readonly Uint8Array[]): Mth {
  const mth: Mth = (lo, hi) => {
    if (hi === lo) return sha256();
    if (hi - lo === 1) return Buffer.from(leaves[lo] ?? []);
    const k = refSplit(hi - lo);
    return refNode(mth(lo, lo + k), mth(lo + k, hi));
  };
  return mth;
}

/** PATH(m, D[lo:hi]), m counted from lo. */
function refPath(m: number, lo: number, hi: number, mth: Mth): Buffer[] {
  if (hi - lo === 1) return [];
  const k = refSplit(hi - lo);
  return m < k
    ? [...refPath(m, lo, lo + k, mth), mth(lo + k, hi)]
    : [...refPath(m - k, lo + k, hi, mth), mth(lo, lo + k)];
}

/** SUBPROOF(m, D[lo:hi], b), m counted from lo. */
function refSubproof(m: number, lo: number, hi: number, b: boolean, mth: Mth): Buffer[] {
  if (m === hi - lo) return b ? [] : [mth(lo, hi)];
  const k = refSplit(hi - lo);
  return m <= k
    ? [...refSubproof(m, lo, lo + k, b, mth), mth(lo + k, hi)]
    : [...refSubproof(m - k, lo + k, hi, false, mth), mth(lo, lo + k)];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
const refProof = (m: number, n: number, mth: Mth): Buffer[] => refSubproof(m, 0, n, true, mth);

// ---- helpers ----------------------------------------------------------------------------------

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const hexes = (list: readonly Uint8Array[]): string[] => list.map(hex);
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

function flipBit(proof: readonly Uint8Array[], element: number, bit: number): Uint8Array[] {
  return proof.map((hash, i) => {
    if (i !== element) return hash;
    const copy = new Uint8Array(hash); // not slice(): on a Buffer that is a view
    copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    return copy;
  });
}

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

async function storeOf(leaves: readonly Uint8Array[]): Promise<MemoryNodeStore> {
  const store = new MemoryNodeStore();
  for (const leaf of leaves) await store.append(leaf);
  return store;
}

const N = 64;
const LEAVES = Array.from({ length: N }, (_, i) => refLeaf(Buffer.from(`audit entry ${i}`)));
const MTH = arrayMth(LEAVES);
const ROOTS = Array.from({ length: N + 2 }, (_, n) => MTH(0, Math.min(n, N)));
const rootOf = (n: number): Buffer => ROOTS[n] ?? sha256(Buffer.from('no such tree'));
const leafOf = (i: number): Buffer => LEAVES[i] ?? sha256(Buffer.from('no such leaf'));
const JUNK = sha256(Buffer.from('junk'));

// ---- inclusion --------------------------------------------------------------------------------

describe('inclusion proofs', () => {
  it('match the reference and verify, for every size 1..64 and every index', async () => {
    const store = await storeOf(LEAVES);
    let checked = 0;
    for (let n = 1; n <= N; n++) {
      const root = await rootHash(store, n);
      expect(hex(root), `root ${n}`).toBe(hex(rootOf(n)));
      const indices = Array.from({ length: n }, (_, i) => i);
      const proofs = await Promise.all(indices.map((i) => inclusionProof(store, i, n)));
      const verified = await Promise.all(
        indices.map((i) => verifyInclusion(leafOf(i), i, n, proofs[i] ?? [], root)),
      );
      for (const i of indices) {
        expect(hexes(proofs[i] ?? []), `PATH(${i}, D[${n}])`).toEqual(hexes(refPath(i, 0, n, MTH)));
        expect(verified[i], `${i}/${n}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe((N * (N + 1)) / 2);
  });

  it('reject every tampering: flipped bit, wrong leaf, index, size or root, cut or padded', async () => {
    const store = await storeOf(LEAVES);
    for (let n = 1; n <= N; n++) {
      const root = rootOf(n);
      // All checks of one size run concurrently: WebCrypto digests are slow one at a time.
      const checks: [string, Promise<boolean>][] = [];
      for (let i = 0; i < n; i++) {
        const proof = await inclusionProof(store, i, n);
        const leaf = leafOf(i);
        const no = (what: string, ...args: Parameters<typeof verifyInclusion>) => {
          checks.push([`${what} ${i}/${n}`, verifyInclusion(...args)]);
        };
        // A flipped bit in every element for small trees, in one element otherwise.
        const elements =
          n <= 16 ? proof.map((_, e) => e) : proof.length ? [(i + n) % proof.length] : [];
        for (const e of elements)
          no('flip', leaf, i, n, flipBit(proof, e, (i * 7 + e) % 256), root);
        no('leaf bit', flipBit([leaf], 0, i % 256)[0] ?? leaf, i, n, proof, root);
        no('other leaf', leafOf((i + 1) % N), i, n, proof, root);
        if (n > 1) {
          no('index + 1', leaf, (i + 1) % n, n, proof, root);
          if (n - 1 - i !== i) no('mirrored index', leaf, n - 1 - i, n, proof, root);
        }
        no('index = size', leaf, n, n, proof, root);
        no('negative index', leaf, -1, n, proof, root);
        no('fractional index', leaf, i + 0.5, n, proof, root);
        no('size + 1', leaf, i, n + 1, proof, rootOf(n + 1));
        if (i < n - 1) no('size - 1', leaf, i, n - 1, proof, rootOf(n - 1));
        no('root of another size', leaf, i, n, proof, rootOf(n === 1 ? 2 : n - 1));
        no('padded', leaf, i, n, [...proof, JUNK], root);
        if (proof.length > 0) {
          no('cut', leaf, i, n, proof.slice(0, -1), root);
          no(
            'short hash',
            leaf,
            i,
            n,
            proof.map((h) => h.subarray(1)),
            root,
          );
        }
        if (proof.length > 1) no('reordered', leaf, i, n, [...proof].reverse(), root);
      }
      const results = await Promise.all(checks.map(([, result]) => result));
      checks.forEach(([what], c) => {
        expect(results[c], what).toBe(false);
      });
    }
  });

  it('match the Certificate Transparency vectors', async () => {
    const data = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657'];
    data.push('606162636465666768696a6b6c6d6e6f');
    const leaves = data.map((d) => refLeaf(unhex(d)));
    const store = await storeOf(leaves);
    const root8 = unhex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
    const vectors = [
      {
        index: 0,
        proof: [
          '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
        ],
      },
      {
        index: 5,
        proof: [
          'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
          'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
          'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        ],
      },
    ];
    for (const { index, proof } of vectors) {
      expect(hexes(await inclusionProof(store, index, 8))).toEqual(proof);
      const leaf = leaves[index] ?? JUNK;
      expect(await verifyInclusion(leaf, index, 8, proof.map(unhex), root8)).toBe(true);
    }
  });

  it('a one-leaf tree has the empty path and its root is the leaf', async () => {
    const store = await storeOf(LEAVES.slice(0, 1));
    expect(await inclusionProof(store, 0, 1)).toEqual([]);
    expect(await verifyInclusion(leafOf(0), 0, 1, [], leafOf(0))).toBe(true);
    expect(await verifyInclusion(leafOf(0), 0, 1, [], leafOf(1))).toBe(false);
  });

  it('refuse impossible arguments with validation_failed', async () => {
    const store = await storeOf(LEAVES.slice(0, 8));
    const cases: [number, number, string[]][] = [
      [8, 8, ['/seq']],
      [9, 8, ['/seq']],
      [-1, 8, ['/seq']],
      [1.5, 8, ['/seq']],
      [0, 0, ['/treeSize']],
      [0, -3, ['/treeSize']],
      [0, 2.5, ['/treeSize']],
      [Number.NaN, Number.POSITIVE_INFINITY, ['/seq', '/treeSize']],
    ];
    for (const [index, size, paths] of cases) {
      const error: unknown = await inclusionProof(store, index, size).catch((e: unknown) => e);
      expect(error, `${index}/${size}`).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('validation_failed');
      expect((error as GatewayError).errors?.map((issue) => issue.path)).toEqual(paths);
    }
    await expect(inclusionProof(store, 0, 9)).rejects.toMatchObject({ code: 'internal_error' });
  });

  it('never throw from verification, whatever the input', async () => {
    const bad = [undefined, null, 'x', {}, [1, 2]] as unknown as Uint8Array[];
    expect(await verifyInclusion(leafOf(0), 0, 2, bad, rootOf(2))).toBe(false);
    expect(await verifyInclusion(null as unknown as Uint8Array, 0, 2, [leafOf(1)], rootOf(2))).toBe(
      false,
    );
    expect(await verifyInclusion(leafOf(0), 0, 2, null as unknown as Uint8Array[], rootOf(2))).toBe(
      false,
    );
  });
});

// ---- consistency ------------------------------------------------------------------------------

describe('consistency proofs', () => {
  it('match the reference and verify, for every 1 ≤ m ≤ n ≤ 64', async () => {
    const store = await storeOf(LEAVES);
    let checked = 0;
    for (let n = 1; n <= N; n++) {
      const sizes = Array.from({ length: n }, (_, i) => i + 1);
      const proofs = await Promise.all(sizes.map((m) => consistencyProof(store, m, n)));
      const verified = await Promise.all(
        sizes.map((m) => verifyConsistency(m, n, proofs[m - 1] ?? [], rootOf(m), rootOf(n))),
      );
      for (const m of sizes) {
        expect(hexes(proofs[m - 1] ?? []), `PROOF(${m}, D[${n}])`).toEqual(
          hexes(refProof(m, n, MTH)),
        );
        expect(verified[m - 1], `${m}→${n}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe((N * (N + 1)) / 2);
  });

  it('reject every tampering: flipped bit, swapped roots, wrong sizes, cut or padded', async () => {
    const store = await storeOf(LEAVES);
    for (let n = 2; n <= N; n++) {
      const checks: [string, Promise<boolean>][] = [];
      for (let m = 1; m < n; m++) {
        const proof = await consistencyProof(store, m, n);
        const [oldRoot, newRoot] = [rootOf(m), rootOf(n)];
        const no = (what: string, ...args: Parameters<typeof verifyConsistency>) => {
          checks.push([`${what} ${m}→${n}`, verifyConsistency(...args)]);
        };
        const elements = n <= 16 ? proof.map((_, e) => e) : [(m + n) % proof.length];
        for (const e of elements) {
          no('flip', m, n, flipBit(proof, e, (m * 11 + e) % 256), oldRoot, newRoot);
        }
        no('swapped roots', m, n, proof, newRoot, oldRoot);
        no('old root bit', m, n, proof, flipBit([oldRoot], 0, m % 256)[0] ?? JUNK, newRoot);
        no('new root bit', m, n, proof, oldRoot, flipBit([newRoot], 0, n % 256)[0] ?? JUNK);
        if (m > 1) no('from - 1', m - 1, n, proof, rootOf(m - 1), newRoot);
        no('from + 1', m + 1, n, proof, rootOf(m + 1), newRoot);
        if (n > m + 1) no('to - 1', m, n - 1, proof, oldRoot, rootOf(n - 1));
        if (n < N) no('to + 1', m, n + 1, proof, oldRoot, rootOf(n + 1));
        no('from > to', n, m, proof, newRoot, oldRoot);
        no('empty', m, n, [], oldRoot, newRoot);
        no('cut', m, n, proof.slice(0, -1), oldRoot, newRoot);
        no('padded', m, n, [...proof, JUNK], oldRoot, newRoot);
        if (proof.length > 1) no('reordered', m, n, [...proof].reverse(), oldRoot, newRoot);
        no('from 0', 0, n, proof, oldRoot, newRoot);
        no(
          'short hash',
          m,
          n,
          proof.map((h) => h.subarray(1)),
          oldRoot,
          newRoot,
        );
      }
      const results = await Promise.all(checks.map(([, result]) => result));
      checks.forEach(([what], c) => {
        expect(results[c], what).toBe(false);
      });
    }
  });

  it('settle from = 0 and from = to as PROOF defines them: empty proof, matching roots', async () => {
    const store = await storeOf(LEAVES.slice(0, 8));
    const empty = await emptyRoot();
    expect(await consistencyProof(store, 0, 8)).toEqual([]);
    expect(await consistencyProof(store, 0, 0)).toEqual([]);
    expect(await consistencyProof(store, 5, 5)).toEqual([]);
    expect(await verifyConsistency(0, 8, [], empty, rootOf(8))).toBe(true);
    expect(await verifyConsistency(0, 0, [], empty, empty)).toBe(true);
    expect(await verifyConsistency(0, 0, [], empty, rootOf(1))).toBe(false);
    expect(await verifyConsistency(0, 8, [], rootOf(1), rootOf(8))).toBe(false);
    expect(await verifyConsistency(0, 8, [JUNK], empty, rootOf(8))).toBe(false);
    expect(await verifyConsistency(5, 5, [], rootOf(5), rootOf(5))).toBe(true);
    expect(await verifyConsistency(5, 5, [], rootOf(5), rootOf(6))).toBe(false);
    expect(await verifyConsistency(5, 5, [JUNK], rootOf(5), rootOf(5))).toBe(false);
  });

  it('match the Certificate Transparency vectors', async () => {
    const data = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657'];
    data.push('606162636465666768696a6b6c6d6e6f');
    const leaves = data.map((d) => refLeaf(unhex(d)));
    const store = await storeOf(leaves);
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    const vectors = [
      {
        from: 1,
        to: 8,
        proof: [
          '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
        ],
      },
      {
        from: 6,
        to: 8,
        proof: [
          '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
          'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
          'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        ],
      },
      {
        from: 2,
        to: 5,
        proof: [
          '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
          'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        ],
      },
    ];
    for (const { from, to, proof } of vectors) {
      expect(hexes(await consistencyProof(store, from, to))).toEqual(proof);
      const [oldRoot, newRoot] = [roots[from - 1] ?? '', roots[to - 1] ?? ''].map(unhex);
      expect(
        await verifyConsistency(from, to, proof.map(unhex), oldRoot ?? JUNK, newRoot ?? JUNK),
      ).toBe(true);
    }
  });

  it('refuse impossible arguments with validation_failed', async () => {
    const store = await storeOf(LEAVES.slice(0, 8));
    const cases: [number, number, string[]][] = [
      [5, 3, ['/from']],
      [-1, 3, ['/from']],
      [1.5, 3, ['/from']],
      [1, -3, ['/to']],
      [1, 2.5, ['/to']],
      [-1, Number.NaN, ['/from', '/to']],
    ];
    for (const [from, to, paths] of cases) {
      const error: unknown = await consistencyProof(store, from, to).catch((e: unknown) => e);
      expect(error, `${from}→${to}`).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('validation_failed');
      expect((error as GatewayError).errors?.map((issue) => issue.path)).toEqual(paths);
    }
    await expect(consistencyProof(store, 3, 9)).rejects.toMatchObject({ code: 'internal_error' });
  });

  it('never throw from verification, whatever the input', async () => {
    const bad = [undefined, 'x'] as unknown as Uint8Array[];
    expect(await verifyConsistency(3, 5, bad, rootOf(3), rootOf(5))).toBe(false);
    expect(
      await verifyConsistency(3, 5, null as unknown as Uint8Array[], rootOf(3), rootOf(5)),
    ).toBe(false);
    expect(
      await verifyConsistency(3, 5, [JUNK], undefined as unknown as Uint8Array, rootOf(5)),
    ).toBe(false);
  });
});

// ---- a dishonest log --------------------------------------------------------------------------

describe('proofs crafted by a dishonest log', () => {
  // The RFC's verifiers count the levels a proof may climb (sn); hashes alone do not. These proofs
  // hash to the claimed roots but climb one level too many or too few, passing off an interior
  // node as a root, and only the level count rejects them.
  it('an inclusion proof one level too long, under a root one level higher', async () => {
    const store = await storeOf(LEAVES.slice(0, 32));
    const checks: [string, Promise<boolean>][] = [];
    for (let n = 1; n <= 32; n++) {
      for (let i = 0; i < n; i++) {
        const proof = await inclusionProof(store, i, n);
        const root = rootOf(n);
        const leaf = leafOf(i);
        checks.push([
          `left ${i}/${n}`,
          verifyInclusion(leaf, i, n, [...proof, JUNK], refNode(JUNK, root)),
        ]);
        checks.push([
          `right ${i}/${n}`,
          verifyInclusion(leaf, i, n, [...proof, JUNK], refNode(root, JUNK)),
        ]);
      }
    }
    const results = await Promise.all(checks.map(([, result]) => result));
    checks.forEach(([what], c) => {
      expect(results[c], what).toBe(false);
    });
  });

  it('a consistency proof one level too long, under roots one level higher', async () => {
    const store = await storeOf(LEAVES.slice(0, 32));
    const checks: [string, Promise<boolean>][] = [];
    for (let n = 2; n <= 32; n++) {
      for (let m = 1; m < n; m++) {
        const proof = await consistencyProof(store, m, n);
        const [oldRoot, newRoot] = [refNode(JUNK, rootOf(m)), refNode(JUNK, rootOf(n))];
        checks.push([`${m}→${n}`, verifyConsistency(m, n, [...proof, JUNK], oldRoot, newRoot)]);
      }
    }
    const results = await Promise.all(checks.map(([, result]) => result));
    checks.forEach(([what], c) => {
      expect(results[c], what).toBe(false);
    });
  });

  it('cannot bind a size to a root: that is the signed tree head’s job (RFC 9162 behaviour)', async () => {
    // PATH(0, D[5]) climbs the same way in a tree of 6, so it checks out against the root of 5
    // claimed for size 6. Verifiers must take (size, root) together from a signed tree head.
    const store = await storeOf(LEAVES.slice(0, 8));
    const path = await inclusionProof(store, 0, 5);
    expect(await verifyInclusion(leafOf(0), 0, 6, path, rootOf(5))).toBe(true);
    expect(await verifyInclusion(leafOf(0), 0, 6, path, rootOf(6))).toBe(false);
  });

  it('a two-leaf subtree passed off as the tree of size 1', async () => {
    const store = await storeOf(LEAVES.slice(0, 32));
    const checks: [string, Promise<boolean>][] = [];
    for (let n = 3; n <= 32; n++) {
      // PROOF(2, D[n]) with MTH(D[0:2]) claimed as the root of size 1: the hashes all match.
      const proof = await consistencyProof(store, 2, n);
      checks.push([`1→${n}`, verifyConsistency(1, n, proof, rootOf(2), rootOf(n))]);
    }
    const results = await Promise.all(checks.map(([, result]) => result));
    checks.forEach(([what], c) => {
      expect(results[c], what).toBe(false);
    });
  });
});

// ---- cost and scale ---------------------------------------------------------------------------

describe('proof cost', () => {
  it('takes O(log n) stored reads, never a rebuild', async () => {
    const leaves = Array.from({ length: 1100 }, (_, i) => refLeaf(Buffer.from(`e${i}`)));
    const store = await storeOf(leaves);
    const sizes = [1, 2, 3, 7, 64, 65, 100, 511, 512, 513, 767, 1000, 1023, 1024, 1025, 1099, 1100];
    for (const n of sizes) {
      const bound = 2 * ceilLog2(n) + 1;
      for (const i of new Set([0, 1, n >> 1, n - 2, n - 1].filter((x) => x >= 0 && x < n))) {
        const counter = counting(store);
        const proof = await inclusionProof(counter, i, n);
        expect(proof.length).toBeLessThanOrEqual(ceilLog2(n));
        expect(counter.reads, `inclusion ${i}/${n}`).toBeLessThanOrEqual(bound);
      }
      for (const m of new Set([1, 2, 3, n >> 1, n - 1].filter((x) => x >= 1 && x < n))) {
        const counter = counting(store);
        const proof = await consistencyProof(counter, m, n);
        expect(proof.length).toBeLessThanOrEqual(ceilLog2(n) + 1);
        expect(counter.reads, `consistency ${m}→${n}`).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('matches the reference on random sizes of a 300-leaf tree', async () => {
    const leaves = Array.from({ length: 300 }, (_, i) => refLeaf(Buffer.from(`r${i}`)));
    const store = await storeOf(leaves);
    const mth = arrayMth(leaves);
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 300 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.integer({ min: 0, max: n - 1 }),
              fc.integer({ min: 1, max: n }),
            ),
          ),
        async ([n, i, m]) => {
          const path = await inclusionProof(store, i, n);
          expect(hexes(path)).toEqual(hexes(refPath(i, 0, n, mth)));
          expect(await verifyInclusion(leaves[i] ?? JUNK, i, n, path, mth(0, n))).toBe(true);
          const proof = await consistencyProof(store, m, n);
          expect(hexes(proof)).toEqual(hexes(refProof(m, n, mth)));
          expect(await verifyConsistency(m, n, proof, mth(0, m), mth(0, n))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('works past 32 bits: a virtual tree of 2^40 + 5 identical leaves', async () => {
    // With every leaf equal, a complete subtree's hash depends only on its level, so the store can
    // answer any node of a huge tree, and the reference can compute MTH from the range length.
    const leaf = refLeaf(Buffer.from('same'));
    const levels = [leaf];
    for (let level = 1; level <= 41; level++) {
      const below = levels[level - 1] ?? leaf;
      levels.push(refNode(below, below));
    }
    const size = 2 ** 40 + 5;
    const store = {
      getNode(level: number, index: number) {
        const inside = (index + 1) * 2 ** level <= size;
        return Promise.resolve(inside ? levels[level] : undefined);
      },
    };
    const memo = new Map<number, Buffer>();
    const uniform: Mth = (lo, hi) => {
      const n = hi - lo;
      const known = memo.get(n);
      if (known) return known;
      const k = refSplit(n);
      const hash = n === 1 ? leaf : refNode(uniform(0, k), uniform(k, n));
      memo.set(n, hash);
      return hash;
    };
    const root = await rootHash(store, size);
    expect(hex(root)).toBe(hex(uniform(0, size)));

    const index = 2 ** 33 + 7;
    const path = await inclusionProof(store, index, size);
    expect(hexes(path)).toEqual(hexes(refPath(index, 0, size, uniform)));
    expect(await verifyInclusion(leaf, index, size, path, root)).toBe(true);
    expect(await verifyInclusion(leaf, index, size, path.slice(1), root)).toBe(false);

    const from = 2 ** 32 + 3;
    const proof = await consistencyProof(store, from, size);
    expect(hexes(proof)).toEqual(hexes(refProof(from, size, uniform)));
    const oldRoot = await rootHash(store, from);
    expect(await verifyConsistency(from, size, proof, oldRoot, root)).toBe(true);
    expect(await verifyConsistency(from, size, proof, root, oldRoot)).toBe(false);
  });
});
