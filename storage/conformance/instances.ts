import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../audit/index.ts';
import { A, T0, consentRecord, draft, partiesOf, type ConformanceWorld } from './world.ts';

/**
 * Two connections to one database, each with its own audit log, as two gateway instances (or the
 * CLI beside the server) have: writes from both land in one gap-free sequence, and optimistic
 * versions still let exactly one of racing writers win. Skipped where a backend gives no second
 * connection.
 */
export function describeInstances(world: ConformanceWorld): void {
  describe('two instances on one database', () => {
    const instances = () => {
      const other = world.other;
      if (other === undefined) return undefined;
      return [
        { storage: world.storage, log: world.log },
        { storage: other, log: new AuditLog(other.audit, world.clock) },
      ] as const;
    };

    it('appends from both form one gap-free sequence with one head', async (ctx) => {
      const both = instances();
      if (both === undefined) return ctx.skip();
      await Promise.all(
        Array.from({ length: 16 }, (_, i) => {
          const { storage, log } = both[i % 2 === 0 ? 0 : 1];
          return log.record(A, draft(`actor-${i}`), (prepared) => storage.audit.commit(prepared));
        }),
      );
      const seen = await both[1].storage.audit.entries(A, { afterSeq: -1, limit: 100 });
      expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i));
      expect(new Set(seen.map((e) => e.actor)).size).toBe(16);
      const heads = await Promise.all(both.map(({ storage }) => storage.audit.head(A)));
      expect(heads[0]?.size).toBe(16);
      expect([...(heads[0]?.root ?? [])]).toEqual([...(heads[1]?.root ?? [])]);
    });

    it('lets exactly one of decisions racing from both win, with one entry for it', async (ctx) => {
      const both = instances();
      if (both === undefined) return ctx.skip();
      const request = await world.pendingRequest();
      const before = (await world.storage.audit.head(A))?.size ?? 0;
      const results = await Promise.all(
        both.map(({ storage, log }, i) =>
          log.record(A, draft(`decider-${i}`), (prepared) =>
            storage.consents.decideRequest(
              request.id,
              1,
              { state: 'approved', at: T0, actor: 'subject' },
              { record: consentRecord(request), parties: partiesOf(request) },
              prepared,
            ),
          ),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const entries = await world.storage.audit.entries(A, { afterSeq: before - 1, limit: 10 });
      expect(entries.map((e) => e.actor)).toEqual([`decider-${results.indexOf(true)}`]);
      const consents = await both[1].storage.consents.consentsOfSubject(A, request.subject);
      expect(consents).toHaveLength(1);
    });
  });
}
