import { CompactSign, exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, type AuditBundle } from './bundle.ts';
import { checkConsistentExports } from './consistency-check.ts';
import { leafHash } from './leaf.ts';
import { MemoryNodeStore } from './memory-tree.ts';
import type { AuditEntry, AuditStore } from './ports.ts';

interface LogKey {
  readonly jwks: JSONWebKeySet;
  readonly privateKey: CryptoKey;
}

async function logKey(kid: string): Promise<LogKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return { jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256' }] }, privateKey };
}

const entry = (seq: number, actor = 'jc-koeln'): AuditEntry => ({
  seq,
  time: `2026-11-0${(seq % 9) + 1}T00:00:00.000Z`,
  tenant: 'koeln',
  event: 'consent.requested',
  actor,
  outcome: 'ok',
});

/** An export of the log `entries` as it stood at `size`, its head signed with `key`. */
async function exportOf(
  entries: readonly AuditEntry[],
  size: number,
  key: LogKey,
  tenantId = 'koeln',
): Promise<AuditBundle> {
  const tree = new MemoryNodeStore();
  const logged = entries.slice(0, size);
  for (const e of logged) await tree.append(await leafHash(e));
  const store: AuditStore = {
    head: () => Promise.resolve({ size }),
    getNode: (_tenant, level, index) => tree.getNode(level, index),
    entries: (_tenant, query) =>
      Promise.resolve(logged.filter((e) => e.seq > query.afterSeq).slice(0, query.limit)),
    entryJson: () => Promise.resolve(undefined),
    entriesAbout: () => Promise.resolve([]),
    commit: () => Promise.resolve(),
  };
  const kid = String(key.jwks.keys[0]?.kid);
  return buildBundle({
    store,
    tenantId,
    range: {},
    now: `2026-12-0${size % 9}T00:00:00.000Z`,
    jwks: key.jwks,
    openpgpKey: '',
    signTreeHead: (head) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(head)))
        .setProtectedHeader({ alg: 'ES256', kid })
        .sign(key.privateKey),
  });
}

describe('checkConsistentExports', () => {
  const log = Array.from({ length: 7 }, (_, seq) => entry(seq));
  let key: LogKey;
  let older: AuditBundle;
  let newer: AuditBundle;

  beforeAll(async () => {
    key = await logKey('k');
    older = await exportOf(log, 3, key);
    newer = await exportOf(log, 7, key);
  });

  it('accepts an earlier export of the same log, with the proof between the two roots', async () => {
    const result = await checkConsistentExports(older, newer);
    expect(result).toMatchObject({
      ok: true,
      old: { treeSize: 3, rootHash: older.treeHead.rootHash },
      new: { treeSize: 7, rootHash: newer.treeHead.rootHash },
    });
    expect(result.ok && result.proof.length).toBeGreaterThan(0);
  });

  it('accepts every earlier size, the empty log and the same size included', async () => {
    for (const size of [0, 1, 2, 4, 5, 6, 7]) {
      const result = await checkConsistentExports(await exportOf(log, size, key), newer);
      expect(result.ok, `size ${size}`).toBe(true);
    }
  });

  it('accepts an earlier export of a time range only', async () => {
    const ranged = {
      ...older,
      entries: older.entries.slice(1, 2),
      proofs: older.proofs.slice(1, 2),
    };
    expect((await checkConsistentExports(ranged, newer)).ok).toBe(true);
  });

  it('refuses the two the wrong way round', async () => {
    expect(await checkConsistentExports(newer, older)).toMatchObject({
      ok: false,
      code: 'old_is_newer',
    });
  });

  it('refuses exports of different tenants', async () => {
    const elsewhere = await exportOf(log, 3, key, 'bonn');
    expect(await checkConsistentExports(elsewhere, newer)).toMatchObject({
      ok: false,
      code: 'different_tenant',
      reason: 'the exports are of different tenants (bonn, koeln)',
    });
  });

  it("refuses an earlier head signed by a key the later export's log does not have", async () => {
    const other = await exportOf(log, 3, await logKey('other'));
    expect(await checkConsistentExports(other, newer)).toMatchObject({ code: 'different_log' });
  });

  it('holds both heads to the pinned keys when given, not to those the exports bring', async () => {
    const forger = await logKey('k');
    const forged = await exportOf(log, 7, forger);
    expect((await checkConsistentExports(older, forged)).ok).toBe(false);
    expect(await checkConsistentExports(older, forged, key.jwks)).toMatchObject({
      ok: false,
      code: 'different_log',
    });
  });

  it('refuses an export whose stated root is not the signed one', async () => {
    const forged = { ...older, treeHead: { ...older.treeHead, rootHash: newer.treeHead.rootHash } };
    expect(await checkConsistentExports(forged, newer)).toMatchObject({
      ok: false,
      code: 'forged_head',
      reason:
        'the earlier export states another tree head than the one signed: its size or root was forged',
    });
  });

  it('refuses a later export that is not the whole log', async () => {
    const ranged = { ...newer, entries: newer.entries.slice(2), proofs: newer.proofs.slice(2) };
    expect(await checkConsistentExports(older, ranged)).toMatchObject({
      ok: false,
      code: 'new_incomplete',
      reason: expect.stringContaining('holds entries seq 2 to 6 of a log of 7') as unknown,
    });
  });

  it('names the entry of the earlier export that differs from the later one', async () => {
    const changed = {
      ...older,
      entries: older.entries.map((e) => (e.seq === 1 ? { ...e, actor: 'jc-koelm' } : e)),
    };
    expect(await checkConsistentExports(changed, newer)).toMatchObject({
      ok: false,
      code: 'entry_differs',
      seq: 1,
      reason: "entry seq 1 of the earlier export differs from the later export's",
    });
  });

  it('refuses a signed earlier root of another history (a split view)', async () => {
    // The gateway signed a head over a log whose entry 1 differs, and exported only entry 0 of it.
    const fork = log.map((e) => (e.seq === 1 ? entry(1, 'someone-else') : e));
    const split = await exportOf(fork, 3, key);
    const shown = {
      ...split,
      entries: split.entries.slice(0, 1),
      proofs: split.proofs.slice(0, 1),
    };
    const result = await checkConsistentExports(shown, newer);
    expect(result).toMatchObject({ ok: false, code: 'not_a_prefix' });
    expect(!result.ok && result.reason).toContain(
      `the earlier signed root ${split.treeHead.rootHash} is not the root of the later log's first 3 entries (${older.treeHead.rootHash})`,
    );
  });

  it('refuses a later export whose entries do not hash to its own signed root', async () => {
    const fork = log.map((e) => (e.seq === 5 ? entry(5, 'someone-else') : e));
    const signedFork = await exportOf(fork, 7, key);
    const mixed = { ...signedFork, entries: newer.entries };
    expect(await checkConsistentExports(older, mixed)).toMatchObject({
      ok: false,
      code: 'new_root_mismatch',
    });
  });
});
