import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../audit/index.ts';
import { FixedClock } from '../core/index.ts';
import { tenant, tenantKeys } from '../storage/conformance/world.ts';
import { openSqliteStorage } from '../storage/sqlite/index.ts';
import { tempDir } from '../test/support/temp.ts';
import {
  AuditSequencer,
  LEASE_MS,
  sequencedBy,
  type SequencerNamespace,
} from './worker-sequencer.ts';

const post = (sequencer: AuditSequencer, path: string) =>
  sequencer.fetch(new Request(`https://sequencer${path}`, { method: 'POST' }));
const acquire = async (sequencer: AuditSequencer) =>
  ((await (await post(sequencer, '/acquire')).json()) as { token: string }).token;

/** One object per tenant name, as workerd routes `idFromName`; the objects are the real class. */
function namespace(): SequencerNamespace & { calls: number } {
  const objects = new Map<string, AuditSequencer>();
  const ns = {
    calls: 0,
    idFromName: (name: string) => name,
    get(id: unknown) {
      const name = String(id);
      const object = objects.get(name) ?? new AuditSequencer();
      objects.set(name, object);
      return {
        fetch: (input: string, init?: RequestInit) => {
          ns.calls++;
          return object.fetch(new Request(input, init));
        },
      };
    },
  };
  return ns;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('AuditSequencer', () => {
  it('grants one lease at a time, in the order asked', async () => {
    const sequencer = new AuditSequencer();
    const first = await acquire(sequencer);
    const order: string[] = [];
    const second = acquire(sequencer).then((token) => (order.push('second'), token));
    const third = acquire(sequencer).then((token) => (order.push('third'), token));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    await post(sequencer, `/release?token=${first}`);
    const secondToken = await second;
    expect(order).toEqual(['second']);
    await post(sequencer, `/release?token=${secondToken}`);
    await third;
    expect(order).toEqual(['second', 'third']);
  });

  it('ignores a release with another token', async () => {
    vi.useFakeTimers();
    const sequencer = new AuditSequencer();
    await acquire(sequencer);
    let granted = false;
    const next = acquire(sequencer).then(() => (granted = true));
    await post(sequencer, '/release?token=not-the-holder');
    await vi.advanceTimersByTimeAsync(LEASE_MS - 1);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await next;
  });

  it('takes the lease from a holder that never gives it back, after LEASE_MS', async () => {
    vi.useFakeTimers();
    const sequencer = new AuditSequencer();
    await acquire(sequencer); // a holder whose isolate went away
    let granted = false;
    const next = acquire(sequencer).then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(LEASE_MS - 1);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(granted).toBe(true);
  });

  it('answers 404 to anything else', async () => {
    const res = await new AuditSequencer().fetch(new Request('https://sequencer/acquire'));
    expect(res.status).toBe(404);
  });
});

describe('sequencedBy', () => {
  it('orders appends from several isolates into one gap-free log, none redone', async () => {
    const dir = tempDir();
    const storage = openSqliteStorage(dir.path);
    try {
      await storage.pki.createTenant(tenant('koeln'), tenantKeys('koeln'));
      const ns = namespace();
      // Three isolates: each its own AuditLog (its own in-process queue), one shared database.
      const isolate = () =>
        new AuditLog(sequencedBy(ns, storage.audit), new FixedClock('2026-12-04T10:00:00Z'));
      const logs = [isolate(), isolate(), isolate()] as const;
      let drafts = 0;
      let holding = 0;
      let overlapped = false;
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          logs[i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : 2].record(
            'koeln',
            () => {
              drafts++;
              return Promise.resolve({ event: 'audit.read', actor: `a${i}`, outcome: 'ok' });
            },
            async (prepared) => {
              // A commit that yields, as a D1 batch does: without the lease, others would overlap.
              overlapped ||= ++holding > 1;
              await new Promise((resolve) => setTimeout(resolve, 1));
              await storage.audit.commit(prepared);
              holding--;
            },
          ),
        ),
      );
      const entries = await storage.audit.entries('koeln', { afterSeq: -1, limit: 100 });
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(new Set(entries.map((e) => e.actor)).size).toBe(30);
      // Two calls (lease, release) per append; a draft prepared again only when another
      // isolate appended between its early prepare and its lease.
      expect(ns.calls).toBe(60);
      expect(overlapped).toBe(false);
      expect(drafts).toBeGreaterThanOrEqual(30);
    } finally {
      storage.close();
      dir.remove();
    }
  });
});
