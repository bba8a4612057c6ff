import { compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  fromBase64,
  leafHash,
  toBase64,
  verifyConsistency,
  verifyInclusion,
} from '../../audit/index.ts';
import { expectProblem, newPerson, type GatewayUnderTest } from './target.ts';

type Entry = Record<string, unknown> & { seq: number; event: string };

interface TreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  jws: string;
}

/** True when `value` holds no number that is not a safe integer, however deep. */
function onlyIntegers(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.every(onlyIntegers);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(onlyIntegers);
  return true;
}

/** The DPO's audit API: entries, signed tree heads, RFC 9162 proofs that verify offline. */
export function describeAudit(gateway: GatewayUnderTest): void {
  const asDpo = async (path: string) => {
    const res = await gateway.as(gateway.world.dpo, path);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    return JSON.parse(text) as unknown;
  };
  const entries = async (query: string) =>
    (await asDpo(`/v1/audit/entries?${query}`)) as { items: Entry[]; nextCursor?: string };

  /** The latest tree head, its JWS checked against the JWKS and agreeing with the JSON. */
  const signedHead = async (): Promise<TreeHead> => {
    const head = (await asDpo('/v1/audit/tree-head')) as TreeHead;
    const { payload, protectedHeader } = await compactVerify(head.jws, await gateway.jwks(), {
      algorithms: ['ES256'],
    });
    expect(protectedHeader.typ).toBe('tree-head+jwt');
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({
      treeSize: head.treeSize,
      rootHash: head.rootHash,
      timestamp: head.timestamp,
    });
    return head;
  };

  /** An accepted exchange of a fresh person; answers its audit seq. */
  const acceptedExchange = async (): Promise<number> => {
    const subject = newPerson();
    await gateway.grantedConsent(subject);
    const res = await gateway.send(gateway.world.abh, subject);
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { auditSeq: number }).auditSeq;
  };

  describe('audit with proofs', () => {
    it('pages entries oldest first with integer seq from 0 and an opaque cursor', async () => {
      const first = await entries('limit=3');
      expect(first.items.map((e) => e.seq)).toEqual([0, 1, 2]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const next = await entries(`limit=3&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
      expect(next.items.map((e) => e.seq)).toEqual([3, 4, 5]);
      expect(onlyIntegers([...first.items, ...next.items])).toBe(true);
      expect(first.items[0]).toMatchObject({ tenant: gateway.world.tenantId });
    });

    it('finds the entry of an accepted exchange by event, naming sender, recipient and categories', async () => {
      const seq = await acceptedExchange();
      const found = await entries(`event=exchange.accepted&cursor=${seq - 1}&limit=1`);
      expect(found.items).toEqual([
        expect.objectContaining({
          seq,
          event: 'exchange.accepted',
          sender: gateway.world.abh.id,
          recipient: gateway.world.jc.id,
          categories: ['residence_status', 'employment_permission'],
        }),
      ]);
    });

    it('serves a tree head signed with a key of the JWKS', async () => {
      const head = await signedHead();
      expect(head.treeSize).toBeGreaterThan(0);
      expect(fromBase64(head.rootHash)).toHaveLength(32);
      expect(Date.parse(head.timestamp)).not.toBeNaN();
    });

    it("proves an exchange's entry included in the signed tree head", async () => {
      const seq = await acceptedExchange();
      const [entry] = (await entries(`cursor=${seq - 1}&limit=1`)).items;
      expect(entry?.seq).toBe(seq);
      const head = await signedHead();
      const proof = (await asDpo(
        `/v1/audit/proofs/inclusion?seq=${seq}&treeSize=${head.treeSize}`,
      )) as { seq: number; treeSize: number; leafHash: string; proof: string[] };
      const leaf = await leafHash(entry ?? {});
      expect(proof.leafHash).toBe(toBase64(leaf));
      const path = proof.proof.map(fromBase64);
      const root = fromBase64(head.rootHash);
      expect(await verifyInclusion(leaf, seq, head.treeSize, path, root)).toBe(true);
      // The same proof does not place the entry anywhere else.
      expect(await verifyInclusion(leaf, seq + 1, head.treeSize, path, root)).toBe(false);
    });

    it('proves an older signed tree head consistent with a newer one', async () => {
      const older = await signedHead();
      await acceptedExchange();
      const newer = await signedHead();
      expect(newer.treeSize).toBeGreaterThan(older.treeSize);
      const { proof } = (await asDpo(
        `/v1/audit/proofs/consistency?from=${older.treeSize}&to=${newer.treeSize}`,
      )) as { proof: string[] };
      const path = proof.map(fromBase64);
      const [oldRoot, newRoot] = [fromBase64(older.rootHash), fromBase64(newer.rootHash)];
      expect(await verifyConsistency(older.treeSize, newer.treeSize, path, oldRoot, newRoot)).toBe(
        true,
      );
      expect(await verifyConsistency(older.treeSize, newer.treeSize, path, newRoot, oldRoot)).toBe(
        false,
      );
    });

    it('refuses a proof for a tree larger than the log (422 validation_failed)', async () => {
      const head = await signedHead();
      const res = await gateway.as(
        gateway.world.dpo,
        `/v1/audit/proofs/inclusion?seq=0&treeSize=${head.treeSize + 1000}`,
      );
      await expectProblem(res, 422, 'validation_failed');
    });
  });
}
