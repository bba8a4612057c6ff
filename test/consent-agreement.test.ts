import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/index.ts';
import { expireDue } from '../consent/index.ts';
import { withholdEndedConsents } from '../exchange/index.ts';
import { personGrants } from './support/person.ts';
import { askConsent, sendNotice } from './support/flows.ts';
import { koelnWorld, type KoelnWorld } from './support/world.ts';

/*
 * Send and fetch ask the same consent decision. Driven through the HTTP API against real SQLite:
 * at every instant a sequence visits, a send under the person's one consent is accepted exactly
 * when a fetch of a message waiting under that consent hands it out. The instants cluster on the
 * lines the decision draws (validFrom, validUntil, a revocation), where two answers would part.
 */

const SUBJECT = { scheme: 'azr', value: '100200300402' };
const HOUR = 3_600_000;
const LIFETIME = 48 * HOUR;
const NO_LIMIT = { rate: 100_000, burst: 100_000 };
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261204);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 12);

/** Where the clock goes next, relative to the consent's start G and end U. */
const Instant = fc.constantFrom(
  'G-1',
  'G',
  'G+1',
  'mid',
  'U-1',
  'U',
  'U+1',
  'U+hour',
) satisfies fc.Arbitrary<string>;
type Instant = typeof Instant extends fc.Arbitrary<infer T> ? T : never;

const Step = fc.oneof(
  { weight: 5, arbitrary: Instant.map((at) => ({ kind: 'probe' as const, at })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'revoke' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sweep' as const }) },
);
type Step = typeof Step extends fc.Arbitrary<infer T> ? T : never;

interface Probe {
  readonly at: Instant;
  readonly send: number;
  readonly fetch?: number;
}

async function consentedWorld(): Promise<{
  world: KoelnWorld;
  consentId: string;
  start: number;
}> {
  const world = await koelnWorld({ dpo: false, rateLimits: { send: NO_LIMIT, mailbox: NO_LIMIT } });
  // The frozen clock stands where the certificates begin; the consent starts an hour later, so
  // instants just before it still authenticate.
  world.gw.clock.advance(HOUR);
  const validUntil = new Date(world.gw.clock.now().getTime() + LIFETIME).toISOString();
  const created = await askConsent(world, world.jc, SUBJECT, { validUntil });
  const start = world.gw.clock.now().getTime();
  const { consentId } = await personGrants(world.gw.app, created);
  return { world, consentId, start };
}

/** The oldest message waiting for the Jobcenter, if any. */
async function waitingId(world: KoelnWorld): Promise<string | undefined> {
  const res = await world.as(world.jc, '/v1/mailbox?limit=1');
  const body = (await res.json()) as { items: { id: string }[] };
  return body.items[0]?.id;
}

async function run(steps: readonly Step[]): Promise<Probe[]> {
  const { world, consentId, start } = await consentedWorld();
  const { gw } = world;
  const end = start + LIFETIME;
  const instants: Record<Instant, number> = {
    'G-1': start - 1,
    G: start,
    'G+1': start + 1,
    mid: start + LIFETIME / 2,
    'U-1': end - 1,
    U: end,
    'U+1': end + 1,
    'U+hour': end + HOUR,
  };
  const probes: Probe[] = [];
  try {
    for (const step of steps) {
      if (step.kind === 'revoke') {
        // Declared to the Jobcenter (the portal session would have timed out over the hours the
        // clock jumps). 200, or 409 once it has ended: either way it no longer covers anything.
        const res = await world.as(world.jc, `/v1/consents/${consentId}/revoke`, {
          method: 'POST',
        });
        expect([200, 409]).toContain(res.status);
      } else if (step.kind === 'sweep') {
        const audit = new AuditLog(gw.storage.audit, gw.clock);
        await expireDue({ consents: gw.storage.consents, clock: gw.clock, audit });
        await withholdEndedConsents({
          exchanges: gw.storage.exchanges,
          consents: gw.storage.consents,
          audit,
          clock: gw.clock,
          masterKey: gw.masterKey,
        });
      } else {
        gw.clock.advance(instants[step.at] - gw.clock.now().getTime());
        const waiting = await waitingId(world);
        const fetched =
          waiting === undefined ? undefined : await world.as(world.jc, `/v1/mailbox/${waiting}`);
        const sent = await sendNotice(world, world.abh, SUBJECT);
        probes.push({
          at: step.at,
          send: sent.status,
          ...(fetched === undefined ? {} : { fetch: fetched.status }),
        });
      }
    }
  } finally {
    world.close();
  }
  return probes;
}

describe('send and fetch decide consent alike', () => {
  it(`at every instant, a send passes exactly when a fetch of a waiting message does (seed ${SEED}, ${RUNS} runs)`, async () => {
    let compared = 0;
    let bothPassed = 0;
    let bothRefused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(Step, { minLength: 3, maxLength: 9 }), async (steps) => {
        for (const probe of await run(steps)) {
          expect([201, 403]).toContain(probe.send);
          if (probe.fetch === undefined) continue;
          compared++;
          if (probe.send === 201) bothPassed++;
          else bothRefused++;
          // 200 delivered; 410 withheld (revoked or ended); 403 not in force yet (kept waiting).
          expect(probe.fetch === 200, JSON.stringify(probe)).toBe(probe.send === 201);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The property says little unless both outcomes were compared.
    expect(compared).toBeGreaterThan(RUNS);
    expect(bothPassed).toBeGreaterThan(0);
    expect(bothRefused).toBeGreaterThan(0);
  }, 180_000);
});
