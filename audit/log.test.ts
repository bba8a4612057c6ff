import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../core/index.ts';
import { tenant, tenantKeys } from '../storage/conformance/world.ts';
import { openSqliteStorage } from '../storage/sqlite/storage.ts';
import { tempDirsPerTest } from '../test/support/temp.ts';
import { AuditLog } from './log.ts';
import { leafHash } from './leaf.ts';
import { MemoryNodeStore } from './memory-tree.ts';
import { rootHash } from './merkle.ts';

const fresh = tempDirsPerTest();
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

async function world() {
  const storage = openSqliteStorage(fresh());
  opened.push(storage);
  await storage.pki.createTenant(tenant('koeln'), tenantKeys('koeln'));
  const log = new AuditLog(storage.audit, new FixedClock('2026-12-04T10:00:00.000Z'));
  /** A draft that names its seq, as an exchange's attestation does, and says which it was given. */
  const drafted: number[] = [];
  const record = (actor: string, draft?: (seq: number) => Promise<void>) =>
    log.record(
      'koeln',
      async (seq) => {
        drafted.push(seq);
        await draft?.(seq);
        return { event: 'audit.read', actor, outcome: 'ok', reasons: [`drafted for ${seq}`] };
      },
      async (prepared) => {
        await storage.audit.commit(prepared);
        return prepared.entry;
      },
    );
  return { storage, log, record, drafted };
}

describe('AuditLog appends', () => {
  it('drafts appends in flight at the same time, outside the queue that orders their commits', async () => {
    const { record } = await world();
    await record('first');
    // Each draft waits until all five have started: drafting inside the queue would never end.
    let started = 0;
    let allStarted: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (allStarted = resolve));
    const drafts = Array.from({ length: 5 }, (_, i) =>
      record(`concurrent ${i}`, async () => {
        if (++started === 5) allStarted();
        await all;
      }),
    );
    const entries = await Promise.all(drafts);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    for (const entry of entries) expect(entry.reasons).toEqual([`drafted for ${entry.seq}`]);
  });

  it('stays gap-free when an append in flight fails: the ones after it are drafted again', async () => {
    const { storage, record, drafted } = await world();
    await record('first');
    drafted.length = 0;
    const results = await Promise.allSettled([
      record('a'),
      record('fails', () => Promise.reject(new Error('sealing failed'))),
      record('b'),
      record('c'),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const entries = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(entries.map((e) => [e.actor, e.seq])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    // Every entry carries what was drafted for its own seq.
    for (const entry of entries) expect(entry.reasons).toEqual([`drafted for ${entry.seq}`]);
    // b and c were drafted for 3 and 4 first, then again for 2 and 3.
    expect(drafted).toEqual([1, 2, 3, 4, 2, 3]);
    // The next append is drafted once, for the right seq.
    drafted.length = 0;
    expect((await record('d')).seq).toBe(4);
    expect(drafted).toEqual([4]);
    const stored = await storage.audit.entries('koeln', { afterSeq: -1, limit: 10 });
    expect(stored.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    // The head's root is the root over exactly these entries.
    const tree = new MemoryNodeStore();
    for (const entry of stored) await tree.append(await leafHash(entry));
    const head = await storage.audit.head('koeln');
    expect([...(head?.root ?? [])]).toEqual([...(await rootHash(tree, 5))]);
  });

  it('drafts again in the queue when another process appended meanwhile', async () => {
    const { storage, record, drafted } = await world();
    await record('first');
    // The CLI beside the server: another AuditLog on another connection to the same file.
    const other = openSqliteStorage(storage.db.name.replace(/\/gateway\.db$/, ''));
    const cli = new AuditLog(other.audit, new FixedClock('2026-12-04T10:00:00.000Z'));
    await cli.append('koeln', { event: 'audit.read', actor: 'cli', outcome: 'ok' });
    other.close();
    drafted.length = 0;
    const entry = await record('server');
    expect(entry.seq).toBe(2);
    expect(entry.reasons).toEqual(['drafted for 2']);
    expect(drafted).toEqual([1, 2]);
  });
});
