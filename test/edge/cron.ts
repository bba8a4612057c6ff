import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../audit/index.ts';
import { createGatewaySigner } from '../../certs/index.ts';
import {
  ConsentRequestInput,
  createConsentRequest,
  TenantHasher,
  type ConsentDeps,
} from '../../consent/index.ts';
import { systemClock } from '../../core/index.ts';
import worker from '../../gateway/worker.ts';
import { sequencedBy } from '../../gateway/worker-sequencer.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../../policies/index.ts';
import { openD1Storage } from '../../storage/d1/storage.ts';
import { residenceStatusRequest } from '../support/person.ts';
import type { WorkerUnderTest } from './worker-target.ts';

/**
 * The Jobcenter's consent request, made through the consent module on the worker's D1 and audit
 * sequencer, as the gateway makes it, but with a code that lives one millisecond: the only way to
 * have something due without a clock to move, as the worker runs on the system clock.
 */
async function requestWithSpentCode(gateway: WorkerUnderTest): Promise<{ id: string }> {
  const world = await gateway.world();
  const masterKey = await gateway.masterKey();
  const d1 = openD1Storage(env.DB);
  const audit = sequencedBy(env.AUDIT_SEQUENCER, d1.audit);
  const deps: ConsentDeps = {
    consents: d1.consents,
    pki: d1.pki,
    tenants: d1.tenants,
    clock: systemClock,
    hasher: new TenantHasher(d1.consents, masterKey),
    signer: createGatewaySigner({ pki: d1.pki, masterKey }),
    masterKey,
    audit: new AuditLog(audit, systemClock),
    auditStore: audit,
    policy: await loadPolicySet(DEFAULT_POLICY),
    publicUrl: gateway.audience,
    codeLifetimeMs: 1,
  };
  const { jc } = world;
  const subject = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b % 10).join('');
  const input = ConsentRequestInput.parse(
    JSON.parse(
      residenceStatusRequest(
        { scheme: 'azr', value: subject },
        { validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      ),
    ),
  );
  const caller = {
    tenantId: world.tenantId,
    id: jc.id,
    kind: jc.kind,
    agencyType: 'jobcenter' as const,
    certificateFingerprint: jc.fingerprint,
  };
  const created = await createConsentRequest(deps, caller, input);
  gateway.handedOver.push(
    { kind: 'subject identifier', value: subject },
    { kind: 'one-time code', value: created.code },
  );
  return created;
}

/** The worker's `scheduled` handler as a cron trigger runs it, until its waitUntil work is done. */
async function cronTrigger(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** The background jobs on the worker's cron trigger (gateway/jobs.ts, the same as on Node). */
export function describeCron(gateway: WorkerUnderTest): void {
  describe('background jobs on the cron trigger', () => {
    it('expires a consent request whose code ran out, once, audited as request.expired', async () => {
      const request = await requestWithSpentCode(gateway);
      const { dpo } = await gateway.world();
      const expiredEntries = async () => {
        const res = await gateway.as(dpo, '/v1/audit/entries?event=request.expired&limit=500');
        expect(res.status).toBe(200);
        const { items } = (await res.json()) as { items: { requestId?: string }[] };
        return items.filter((entry) => entry.requestId === request.id);
      };
      expect(await expiredEntries()).toEqual([]);

      await cronTrigger();
      expect(await expiredEntries()).toEqual([
        expect.objectContaining({ event: 'request.expired', actor: 'system', outcome: 'ok' }),
      ]);
      // A second run finds nothing due for it: one entry, not two.
      await cronTrigger();
      expect(await expiredEntries()).toHaveLength(1);
    });
  });
}
