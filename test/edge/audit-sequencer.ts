import { describe, expect, it, vi } from 'vitest';
import { AuditSequencer } from '../../gateway/worker-sequencer.ts';
import type { WorkerUnderTest } from './worker-target.ts';

/**
 * Every request the tenants' sequencers (the Durable Object class, in this isolate) are sent from
 * now on, passed on to them unchanged.
 */
export function watchAuditSequencer(): { readonly paths: () => string[] } {
  const spy = vi.spyOn(AuditSequencer.prototype, 'fetch');
  return {
    paths: () => spy.mock.calls.map(([request]) => new URL(request.url).pathname),
  };
}

/**
 * The audit log's order at the edge: each append the worker made while the file's earlier blocks
 * ran held a lease of the tenant's Durable Object, and gave it back. Runs after those blocks.
 */
export function describeAuditSequencer(
  worker: WorkerUnderTest,
  sequencer: ReturnType<typeof watchAuditSequencer>,
): void {
  describe('the audit sequencer on workerd', () => {
    it('leased every audit append from the tenant’s Durable Object, and got each lease back', async () => {
      const { tenantId } = await worker.world();
      const appended = (await worker.auditSize(tenantId)) - worker.seededAuditSize;
      const paths = sequencer.paths();
      const acquired = paths.filter((path) => path === '/acquire').length;
      const released = paths.filter((path) => path === '/release').length;
      expect(appended).toBeGreaterThan(0);
      // A lease whose work was refused (a decided request granted again) appends nothing.
      expect(acquired).toBeGreaterThanOrEqual(appended);
      expect(released).toBe(acquired);
    });
  });
}
