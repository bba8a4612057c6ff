import { afterEach, describe, expect, it } from 'vitest';
import type { TestGateway } from './support/app.ts';
import type { TestPrincipal } from './support/pki.ts';
import { koelnWorld, type KoelnWorld } from './support/world.ts';

let world: KoelnWorld;
let gw: TestGateway;
let abh: TestPrincipal;
let jc: TestPrincipal;
let dpo: TestPrincipal;
let as: KoelnWorld['as'];

/** Sends `count` requests one after another and answers their statuses. */
async function repeat(count: number, request: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await request()).status);
  return statuses;
}

const mailbox = (p: TestPrincipal) => () => as(p, '/v1/mailbox');
/** A send the schema refuses (422): no recipient, no payload. */
const malformedSend = (p: TestPrincipal) => () =>
  as(p, '/v1/exchanges', {
    method: 'POST',
    body: JSON.stringify({ purpose: 'labour_market_integration' }),
  });

function auditEntries(event: string): Record<string, unknown>[] {
  return gw.storage.db
    .prepare('SELECT entry FROM audit_entries WHERE event = ? ORDER BY seq')
    .pluck()
    .all(event)
    .map((e) => JSON.parse(e as string) as Record<string, unknown>);
}

/** Small buckets (5 a second, bursts of 10) for the tests that need not send 100 requests. */
const SMALL = { rate: 5, burst: 10 };

async function start(limit?: typeof SMALL): Promise<void> {
  world = await koelnWorld({
    agencies: ['abh', 'jc'],
    dpo: 'dpo-koeln',
    ...(limit === undefined
      ? {}
      : { rateLimits: { send: limit, mailbox: limit, 'consent-requests': limit, audit: limit } }),
  });
  ({ gw, abh, jc, dpo, as } = world);
}
afterEach(() => {
  world.close();
});

describe('rate limits per principal and route class', () => {
  it('answers the 101st request of a burst 429 rate_limited with Retry-After and RateLimit fields (default 50/s, bursts of 100)', async () => {
    await start();
    const first = await as(jc, '/v1/mailbox');
    expect(first.status).toBe(200);
    expect(first.headers.get('RateLimit-Policy')).toBe('"mailbox";q=100;w=2');
    expect(first.headers.get('RateLimit')).toBe('"mailbox";r=99;t=1');
    expect(await repeat(99, mailbox(jc))).toEqual(Array(99).fill(200));

    const refused = await as(jc, '/v1/mailbox');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Content-Type')).toBe('application/problem+json');
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect(refused.headers.get('RateLimit-Policy')).toBe('"mailbox";q=100;w=2');
    expect(refused.headers.get('RateLimit')).toBe('"mailbox";r=0;t=2');
    expect(await refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it('leaves other agencies and the same agency’s other route classes alone', async () => {
    await start(SMALL);
    expect(await repeat(11, mailbox(jc))).toContain(429);
    expect((await as(jc, '/v1/mailbox')).status).toBe(429);
    expect((await as(abh, '/v1/mailbox')).status).toBe(200);
    const events = await as(jc, '/v1/consent-events');
    expect(events.status).toBe(200);
    expect(events.headers.get('RateLimit')).toBe('"consent-requests";r=9;t=1');
  });

  it('counts requests refused after authentication (422), and refuses the one past the burst before validation', async () => {
    await start(SMALL);
    const first = await malformedSend(abh)();
    expect(first.status).toBe(422);
    expect(first.headers.get('RateLimit')).toBe('"send";r=9;t=1');
    expect(await repeat(9, malformedSend(abh))).toEqual(Array(9).fill(422));
    const refused = await malformedSend(abh)();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('RateLimit-Policy')).toBe('"send";q=10;w=2');
    // The 429 never reached the exchange pipeline, so it wrote no exchange.refused entry.
    expect(auditEntries('exchange.refused')).toHaveLength(10);
  });

  it('does not count requests refused by authentication', async () => {
    await start();
    const anonymous = async () => gw.app.request('/v1/mailbox');
    expect(await repeat(150, anonymous)).toEqual(Array(150).fill(401));
    expect((await as(jc, '/v1/mailbox')).headers.get('RateLimit')).toBe('"mailbox";r=99;t=1');
  });

  it('audits the first refusal of each burst of refusals, not every one', async () => {
    await start(SMALL);
    await repeat(10, mailbox(jc));
    expect(await repeat(5, mailbox(jc))).toEqual(Array(5).fill(429));
    expect(auditEntries('rate.limited')).toEqual([
      expect.objectContaining({
        event: 'rate.limited',
        tenant: 'koeln',
        actor: 'jc-koeln',
        outcome: 'refused',
        reasons: ['rate_limited mailbox'],
      }),
    ]);
    // One token back after 200 ms: allowed once, and the next refusal starts a new burst.
    gw.clock.advance(200);
    expect(await repeat(3, mailbox(jc))).toEqual([200, 429, 429]);
    expect(auditEntries('rate.limited')).toHaveLength(2);
  });

  it('answers again after waiting Retry-After, and the bucket refills to the burst', async () => {
    await start(SMALL);
    await repeat(10, mailbox(jc));
    const refused = await as(jc, '/v1/mailbox');
    expect(refused.status).toBe(429);
    gw.clock.advance(Number(refused.headers.get('Retry-After')) * 1000);
    expect((await as(jc, '/v1/mailbox')).status).toBe(200);
    gw.clock.advance(2000);
    const full = await as(jc, '/v1/mailbox');
    expect(full.headers.get('RateLimit')).toBe('"mailbox";r=9;t=1');
  });

  it('limits a DPO’s audit reads too', async () => {
    await start(SMALL);
    const read = () => as(dpo, '/v1/audit/tree-head');
    const statuses = await repeat(11, read);
    expect(statuses.slice(0, 10)).not.toContain(429);
    expect(statuses[10]).toBe(429);
  });

  it('puts no limit on routes outside the classes (whoami)', async () => {
    await start(SMALL);
    const whoami = await as(jc, '/v1/whoami');
    expect(whoami.status).toBe(200);
    expect(whoami.headers.get('RateLimit')).toBeNull();
  });
});
