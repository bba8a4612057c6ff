import { describe, expect, it } from 'vitest';
import { AuditLog, currentHead, rootHash } from '../../audit/index.ts';
import { FixedClock } from '../../core/index.ts';
import { tempDirsPerTest } from '../../test/support/temp.ts';
import { tenant, tenantKeys } from '../conformance/world.ts';
import { openSqliteStorage } from './storage.ts';

const fresh = tempDirsPerTest();

describe('SQLite audit head', () => {
  it('carries on a log whose head was written before heads kept root and frontier', async () => {
    const storage = openSqliteStorage(fresh());
    try {
      await storage.pki.createTenant(tenant('koeln'), tenantKeys('koeln'));
      const log = new AuditLog(storage.audit, new FixedClock('2026-12-04T10:00:00.000Z'));
      const record = (actor: string) =>
        log.append('koeln', { event: 'audit.read', actor, outcome: 'ok' });
      for (let i = 0; i < 5; i++) await record(`before ${i}`);
      // What migration 10 leaves for a log that existed before it.
      storage.db.prepare('UPDATE audit_heads SET root = NULL, frontier = NULL').run();
      expect(await storage.audit.head('koeln')).toEqual({ size: 5 });
      for (let i = 0; i < 4; i++) await record(`after ${i}`);
      const head = await storage.audit.head('koeln');
      expect(head?.size).toBe(9);
      const tree = { getNode: (l: number, x: number) => storage.audit.getNode('koeln', l, x) };
      expect([...(head?.root ?? [])]).toEqual([...(await rootHash(tree, 9))]);
      expect((await currentHead(storage.audit, 'koeln')).frontier).toHaveLength(2);
    } finally {
      storage.close();
    }
  });
});
