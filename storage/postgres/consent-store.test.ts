import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, type AuditDraft } from '../../audit/index.ts';
import type { ConsentEvent, ConsentStore } from '../../consent/index.ts';
import { FixedClock } from '../../core/index.ts';
import { startTestPostgres, type TestPostgres } from '../../test/support/postgres.ts';
import {
  A,
  LATER,
  T0,
  consentRecord,
  partiesOf,
  requestRecord,
  tenant,
  tenantKeys,
  wrappedKey,
} from '../conformance/world.ts';
import { openPostgresStorage, type PostgresStorage } from './storage.ts';

/*
 * What the conformance suite cannot show on one pool: several gateway instances (each its own
 * pool) changing consents of one tenant at once, while an agency follows the event feed.
 */
let server: TestPostgres;
const instances: { storage: PostgresStorage; consents: ConsentStore; log: AuditLog }[] = [];

beforeAll(async () => {
  server = await startTestPostgres();
  const url = await server.createDatabase('consent_instances');
  const opened = await Promise.all(
    [1, 2, 3].map(() => openPostgresStorage(url, { maxConnections: 6 })),
  );
  for (const storage of opened)
    instances.push({
      storage,
      consents: storage.consents,
      log: new AuditLog(storage.audit, new FixedClock(T0)),
    });
  await opened[0]?.pki.createTenant(tenant(A), tenantKeys(A));
}, 120_000);
afterAll(async () => {
  for (const { storage } of instances) await storage.close();
  server.stop();
});

const entry = (event: AuditDraft['event']): AuditDraft => ({
  event,
  actor: 'subject',
  outcome: 'ok',
});
const approve = { state: 'approved', at: T0, actor: 'subject' } as const;
const revoke = { state: 'revoked', at: LATER, actor: 'subject' } as const;

/** One request through all instances: recorded by one, granted and revoked by all at once. */
async function raceOneRequest(round: number, subject: string): Promise<void> {
  const first = instances[round % instances.length];
  if (!first) throw new Error('no instances');
  const request = requestRecord(subject);
  const parties = partiesOf(request);
  // Every other round without an audit entry: the order of versions must not depend on the log.
  const audited = round % 2 === 0;
  if (audited)
    await first.log.record(A, entry('consent.requested'), (p) =>
      first.consents.addRequest(request, parties, p),
    );
  else await first.consents.addRequest(request, parties);
  const grants = await Promise.all(
    instances.map(({ consents, log }) => {
      const grant = { record: consentRecord(request), parties };
      return audited
        ? log.record(A, entry('consent.granted'), (p) =>
            consents.decideRequest(request.id, 1, approve, grant, p),
          )
        : consents.decideRequest(request.id, 1, approve, grant);
    }),
  );
  expect(grants.filter(Boolean)).toHaveLength(1);
  const [granted] = await first.consents
    .consentsOfSubject(A, subject)
    .then((all) => all.filter((c) => c.consent.requestId === request.id));
  if (!granted) throw new Error('the grant was not recorded');
  const revocations = await Promise.all(
    instances.map(({ consents, log }) =>
      log.record(A, entry('consent.revoked'), (p) =>
        consents.changeConsent(granted.consent.id, 1, revoke, p),
      ),
    ),
  );
  expect(revocations.filter(Boolean)).toHaveLength(1);
}

/** Follows the agency's event feed with its cursor until told to stop and nothing is left. */
async function follow(consents: ConsentStore, stop: () => boolean): Promise<ConsentEvent[]> {
  const seen: ConsentEvent[] = [];
  let cursor = 0;
  for (;;) {
    const last = stop();
    const page = await consents.eventsFor(A, 'jc-koeln', cursor, 25);
    seen.push(...page);
    cursor = page.at(-1)?.seq ?? cursor;
    if (last && page.length === 0) return seen;
  }
}

describe('PostgreSQL ConsentStore across instances', () => {
  it('lets a reader following the event cursor miss no version while three instances request, grant and revoke at once', async () => {
    const subject = 'ps_instances';
    await instances[0]?.consents.ensureSubject(A, subject, () => Promise.resolve(wrappedKey()), T0);
    let finished = false;
    const reader = instances[1];
    if (!reader) throw new Error('no reader');
    const following = follow(reader.consents, () => finished);
    const rounds = 30;
    await Promise.all(Array.from({ length: rounds }, (_, round) => raceOneRequest(round, subject)));
    finished = true;
    const seen = await following;
    const all = await reader.consents.eventsFor(A, 'jc-koeln', 0, 10_000);
    // Per request: pending, approved; per consent: active, revoked.
    expect(all).toHaveLength(rounds * 4);
    expect(seen).toEqual(all);
    const size = (await reader.storage.audit.head(A))?.size ?? 0;
    const [log] = await reader.storage.db.rows<{ entries: number; last: number }>(
      'SELECT count(*)::int AS entries, max(seq) AS last FROM audit_entries WHERE tenant_id = $1',
      [A],
    );
    expect(log).toEqual({ entries: size, last: size - 1 });
  }, 60_000);

  it('reserves at most `max` second-factor attempts when instances race', async () => {
    const subject = 'ps_attempts';
    const [one] = instances;
    if (!one) throw new Error('no instances');
    await one.consents.ensureSubject(A, subject, () => Promise.resolve(wrappedKey()), T0);
    const request = requestRecord(subject);
    await one.consents.addRequest(request, partiesOf(request));
    const handles = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (instances[i % instances.length] ?? one).consents.reserveAttempt(request.id, T0, 5),
      ),
    );
    expect(handles.filter((h) => h !== undefined)).toHaveLength(5);
    expect((await one.consents.request(A, request.id))?.failedAttempts).toBe(5);
  });
});
