import { describe, expect, it } from 'vitest';
import {
  rootHash,
  type AuditDraft,
  type AuditEntry,
  type AuditHead,
  type PreparedAppend,
} from '../../audit/index.ts';
import { A, B, draft, expectAuditRace, failureOf, type ConformanceWorld } from './world.ts';

/** Appends the draft on its own and answers what was prepared for it. */
async function appended(world: ConformanceWorld, tenantId: string, entry: AuditDraft) {
  return world.log.record(tenantId, entry, async (prepared) => {
    await world.storage.audit.commit(prepared);
    return prepared;
  });
}

const all = { afterSeq: -1, limit: 1000 };
/** A head as plain arrays, so a Buffer and a Uint8Array with the same bytes compare equal. */
const plain = (head: Partial<AuditHead> | undefined) =>
  head && {
    size: head.size,
    root: head.root && [...head.root],
    frontier: head.frontier?.map((hash) => [...hash]),
  };
const seqs = (entries: readonly AuditEntry[]): number[] => entries.map((e) => e.seq);

/** AuditStore: one gap-free sequence per tenant, its tree nodes, reads and paging. */
export function describeAudit(world: ConformanceWorld): void {
  describeCommits(world);
  describeReads(world);
  describeAuditIsolation(world);
}

function describeCommits(world: ConformanceWorld): void {
  describe('AuditStore: commits', () => {
    it('serves each committed entry by seq as exactly the JSON prepared, and grows by one each', async () => {
      const prepared: PreparedAppend[] = [];
      for (const actor of ['a', 'b', 'c']) prepared.push(await appended(world, A, draft(actor)));
      expect(await world.auditSize()).toBe(3);
      expect(prepared.map((p) => p.entry.seq)).toEqual([0, 1, 2]);
      for (const p of prepared)
        expect(await world.storage.audit.entryJson(A, p.entry.seq)).toBe(p.entryJson);
      expect(await world.storage.audit.entryJson(A, 3)).toBeUndefined();
      expect(await world.storage.audit.entries(A, all)).toEqual(prepared.map((p) => p.entry));
    });

    it('keeps the tree nodes each append completes', async () => {
      const prepared: PreparedAppend[] = [];
      for (let i = 0; i < 7; i++) prepared.push(await appended(world, A, draft(`a${i}`)));
      const nodes = prepared.flatMap((p) => p.nodes);
      expect(nodes.length).toBeGreaterThan(7);
      for (const node of nodes) {
        const stored = await world.storage.audit.getNode(A, node.level, node.index);
        expect(stored && [...stored], `node ${node.level}/${node.index}`).toEqual([...node.hash]);
      }
      expect(await world.storage.audit.getNode(A, 0, 7)).toBeUndefined();
      expect(await world.storage.audit.getNode(A, 3, 0)).toBeUndefined();
    });

    it('keeps the head each append leaves: size, root and frontier, agreeing with the nodes', async () => {
      expect(await world.storage.audit.head(A)).toBeUndefined();
      for (let i = 0; i < 11; i++) {
        const p = await appended(world, A, draft(`h${i}`));
        const head = await world.storage.audit.head(A);
        expect(plain(head)).toEqual(plain(p.head));
        expect(head?.frontier).toHaveLength((i + 1).toString(2).replaceAll('0', '').length);
        const tree = { getNode: (l: number, x: number) => world.storage.audit.getNode(A, l, x) };
        expect([...(head?.root ?? [])]).toEqual([...(await rootHash(tree, i + 1))]);
      }
      expect(await world.storage.audit.head(B)).toBeUndefined();
    });

    it('refuses an entry prepared for another tree size as an AuditRace, writing nothing', async () => {
      await appended(world, A, draft('first'));
      const behind = await world.staleAppend();
      const ahead = await world.log.prepare(A, draft('ahead'));
      for (const wrong of [behind, { ...ahead, expectedSize: ahead.expectedSize + 1 }]) {
        const size = await world.auditSize();
        expectAuditRace(await failureOf(() => world.storage.audit.commit(wrong)));
        expect(await world.auditSize()).toBe(size);
        expect(await world.storage.audit.entryJson(A, size)).toBeUndefined();
      }
      await world.storage.audit.commit(ahead);
      expect(await world.storage.audit.entryJson(A, ahead.entry.seq)).toBe(ahead.entryJson);
    });

    it('lets exactly one of two entries prepared for the same size be committed', async () => {
      await appended(world, A, draft('first'));
      const one = await world.log.prepare(A, draft('one'));
      const two = await world.log.prepare(A, draft('two'));
      const results = await Promise.allSettled([
        world.storage.audit.commit(one),
        world.storage.audit.commit(two),
      ]);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results[1 - won];
      expectAuditRace(lost?.status === 'rejected' ? lost.reason : undefined);
      expect(await world.auditSize()).toBe(2);
      expect(await world.storage.audit.entryJson(A, 1)).toBe([one, two][won]?.entryJson);
      expect(plain(await world.storage.audit.head(A))).toEqual(plain([one, two][won]?.head));
    });

    it('keeps one sequence per tenant: appends in A leave B where it was', async () => {
      for (const actor of ['a', 'b', 'c']) await appended(world, A, draft(actor));
      expect(await world.auditSize(B)).toBe(0);
      const inB = await appended(world, B, draft('b0'));
      expect(inB.entry).toMatchObject({ seq: 0, tenant: B });
      expect(await world.auditSize(B)).toBe(1);
      expect(await world.auditSize(A)).toBe(3);
      expect(await world.storage.audit.entryJson(B, 0)).toBe(inB.entryJson);
      const leafB = await world.storage.audit.getNode(B, 0, 0);
      expect(leafB && [...leafB]).toEqual([...inB.leafHash]);
      expect(await world.storage.audit.entries(B, all)).toEqual([inB.entry]);
    });
  });
}

function describeReads(world: ConformanceWorld): void {
  describe('AuditStore: reads', () => {
    it('pages entries with afterSeq and limit, oldest first, without gaps or repeats', async () => {
      for (let i = 0; i < 8; i++) await appended(world, A, draft(`a${i}`));
      await appended(world, B, draft('elsewhere'));
      const seen: number[] = [];
      let afterSeq = -1;
      for (let pages = 0; pages < 10; pages++) {
        const page = await world.storage.audit.entries(A, { afterSeq, limit: 3 });
        expect(page.length).toBeLessThanOrEqual(3);
        if (page.length === 0) break;
        seen.push(...seqs(page));
        afterSeq = page.at(-1)?.seq ?? afterSeq;
      }
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(seqs(await world.storage.audit.entries(A, { afterSeq: 5, limit: 10 }))).toEqual([
        6, 7,
      ]);
    });

    it('filters by time (from inclusive, to exclusive), event, agency, channel and assurance', async () => {
      const minute = () => {
        world.clock.advance(60_000);
      };
      const e = async (fields: Partial<AuditDraft>) =>
        (await appended(world, A, { ...draft('system'), ...fields })).entry.seq;
      const s0 = await e({
        event: 'exchange.accepted',
        sender: 'abh-koeln',
        recipient: 'jc-koeln',
      });
      minute();
      const s1 = await e({
        event: 'consent.granted',
        actor: 'subject',
        channel: 'portal-eid',
        assurance: 'substantial',
      });
      minute();
      const s2 = await e({
        event: 'consent.granted',
        actor: 'jc-koeln',
        channel: 'assisted',
        assurance: 'low',
      });
      minute();
      const s3 = await e({
        event: 'exchange.delivered',
        actor: 'sozialamt-koeln',
        recipient: 'abh-koeln',
      });
      const query = async (filter: Record<string, string>) =>
        seqs(await world.storage.audit.entries(A, { ...all, ...filter }));
      expect(
        await query({ from: '2026-11-25T10:01:00.000Z', to: '2026-11-25T10:03:00.000Z' }),
      ).toEqual([s1, s2]);
      expect(await query({ event: 'consent.granted' })).toEqual([s1, s2]);
      expect(await query({ agency: 'abh-koeln' })).toEqual([s0, s3]);
      expect(await query({ agency: 'jc-koeln' })).toEqual([s0, s2]);
      expect(await query({ channel: 'portal-eid' })).toEqual([s1]);
      expect(await query({ assurance: 'low', event: 'consent.granted' })).toEqual([s2]);
      expect(await query({ agency: 'schulamt-koeln' })).toEqual([]);
    });

    it('answers the entries about a subject reference, oldest first, in its tenant only', async () => {
      const about = async (tenantId: string, subjectRef: string) =>
        (await appended(world, tenantId, { ...draft(), subjectRef })).entry;
      const first = await about(A, 'ref_1');
      await about(A, 'ref_2');
      const second = await about(A, 'ref_1');
      await about(B, 'ref_1');
      expect(await world.storage.audit.entriesAbout(A, 'ref_1')).toEqual([first, second]);
      expect(await world.storage.audit.entriesAbout(A, 'ref_3')).toEqual([]);
    });
  });
}

function describeAuditIsolation(world: ConformanceWorld): void {
  describe('AuditStore: tenant isolation', () => {
    it("answers nothing of tenant A's when asked with tenant B", async () => {
      const p = await appended(world, A, { ...draft(), subjectRef: 'ref_a' });
      expect(await world.storage.audit.head(B)).toBeUndefined();
      expect(await world.storage.audit.entryJson(B, 0)).toBeUndefined();
      expect(await world.storage.audit.getNode(B, 0, 0)).toBeUndefined();
      expect(await world.storage.audit.entries(B, all)).toEqual([]);
      expect(await world.storage.audit.entriesAbout(B, 'ref_a')).toEqual([]);
      expect(await world.storage.audit.entriesAbout(A, 'ref_a')).toEqual([p.entry]);
    });
  });
}
