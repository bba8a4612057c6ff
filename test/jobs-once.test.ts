import { decodeJwt } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../audit/index.ts';
import { importMasterKey, type PkiDeps } from '../certs/index.ts';
import { FixedClock } from '../core/index.ts';
import { createApp, type GatewayApp } from '../gateway/app.ts';
import { backgroundJobs, type BackgroundJobs } from '../gateway/jobs.ts';
import { createLogger } from '../gateway/logging.ts';
import { nodeDocsAssets } from '../gateway/node-docs-assets.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../policies/index.ts';
import { openPostgresStorage, type PostgresStorage } from '../storage/postgres/storage.ts';
import { LogCollector } from './support/app.ts';
import { signedBy } from './support/flows.ts';
import { personGrants } from './support/person.ts';
import {
  addPrincipal,
  assertionFor,
  provisionedTenant,
  type TestPrincipal,
} from './support/pki.ts';
import { startTestPostgres, type TestPostgres } from './support/postgres.ts';

/*
 * Three gateway instances on one PostgreSQL database, each with its own pool and its own
 * background jobs, over one clock, as a data centre runs them. Their jobs run at the same moment
 * over the same due work; every item is done once: each notification POSTed once, each message
 * withheld or purged once, each consent and request expired once, each with one audit entry.
 */

const AUD = 'http://gateway.test';
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-25T10:00:00Z');
const day = (d: number): string => new Date(T0 + d * DAY).toISOString();
/** Retention of the flow every message takes: short, so a purge falls within the codes' life. */
const RETENTION_DAYS = 10;
const LASTING = 2; // consents running past the test, their messages sent at T0 and purged
const ENDING = 3; // consents ending on day 9, their messages sent on day 8 and withheld
const PENDING = 2; // requests nobody answers, expired with their codes (14 days)
const PER_CONSENT = 6;

interface Instance {
  readonly storage: PostgresStorage;
  readonly app: GatewayApp;
  readonly jobs: BackgroundJobs;
  readonly logs: LogCollector;
}

const clock = new FixedClock(day(0));
let postgres: TestPostgres;
let receiver: Server;
const instances: Instance[] = [];
/** The messageId of every notification the receiver was POSTed. */
const announced: string[] = [];
let abh: TestPrincipal;
let jc: TestPrincipal;

async function startReceiver(): Promise<string> {
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      announced.push((decodeJwt(body) as { messageId: string }).messageId);
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}

async function openInstance(url: string, masterKey: CryptoKey): Promise<Instance> {
  const storage = await openPostgresStorage(url, { maxConnections: 8 });
  const logs = new LogCollector();
  const logger = createLogger({ level: 'info', destination: logs });
  const policy = await loadPolicySet({
    ...DEFAULT_POLICY,
    rules: DEFAULT_POLICY.rules.map((rule) =>
      rule.id === 'lmi.abh-to-jc' ? { ...rule, retentionDays: RETENTION_DAYS } : rule,
    ),
  });
  const app = createApp({
    config: { publicUrl: AUD, bodyLimit: 1024 * 1024, version: '0.0.0-test' },
    clock,
    logger,
    storage,
    keys: { masterKey },
    docsAssets: nodeDocsAssets(),
    policy,
  });
  const jobs = backgroundJobs({ storage, clock, masterKey, logger, fetch });
  return { storage, app, jobs, logs };
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  const url = await postgres.createDatabase('jobs_once');
  const hook = await startReceiver();
  const masterKey = await importMasterKey(crypto.getRandomValues(new Uint8Array(32)));
  // The first migrates the empty database; the other two find it done.
  instances.push(await openInstance(url, masterKey));
  instances.push(
    ...(await Promise.all([openInstance(url, masterKey), openInstance(url, masterKey)])),
  );
  const first = instances[0]?.storage;
  if (!first) throw new Error('no instance');
  const deps: PkiDeps = { pki: first.pki, clock, masterKey };
  await provisionedTenant(deps, 'koeln');
  const agency = (id: string, agencyType: string, webhookUrl?: string) =>
    addPrincipal(deps, {
      tenantId: 'koeln',
      id,
      kind: 'agency',
      agencyType,
      ...(webhookUrl === undefined ? {} : { webhookUrl }),
    });
  abh = await agency('abh-koeln', 'immigration_office');
  jc = await agency('jc-koeln', 'jobcenter', hook);
}, 120_000);
afterAll(async () => {
  await Promise.all(instances.map((i) => i.storage.close()));
  await new Promise<void>((resolve) =>
    receiver.close(() => {
      resolve();
    }),
  );
  postgres.stop();
});

const through = (n: number): Instance => {
  const instance = instances[n % instances.length];
  if (!instance) throw new Error('no instances');
  return instance;
};

/** A POST as agency `by` through instance `n`, answering the JSON body of a 2xx. */
async function post(n: number, by: TestPrincipal, path: string, body: unknown): Promise<unknown> {
  const jwt = await assertionFor(by, { audience: AUD, now: clock.now() });
  const res = await through(n).app.request(path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

const subject = (n: number) => ({
  scheme: 'azr',
  value: `8000000000${String(n).padStart(2, '0')}`,
});

/** The Jobcenter asks person `n` for consent until `validUntil`, through instance `n`. */
function ask(n: number, validUntil: string) {
  return post(n, jc, '/v1/consent-requests', {
    subject: subject(n),
    senders: ['abh-koeln'],
    recipients: ['jc-koeln'],
    purpose: 'labour_market_integration',
    categories: ['residence_status', 'employment_permission'],
    validUntil,
    language: 'de',
    secondFactor: { type: 'birthDate', value: '1990-01-31' },
  }) as Promise<{ id: string; code: string }>;
}

/** Person `n` grants through the next instance; answers the consent id. */
async function granted(n: number, validUntil: string): Promise<string> {
  return (await personGrants(through(n + 1).app, await ask(n, validUntil))).consentId;
}

/** PER_CONSENT notices to person `n`, sent through all three instances at once; their ids. */
function sendTo(n: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: PER_CONSENT }, async (_, k) => {
      const payload = await signedBy(abh, {
        residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG' },
        employmentPermission: { allowed: k % 2 === 0 },
      });
      const sent = (await post(n + k, abh, '/v1/exchanges', {
        recipient: 'jc-koeln',
        subject: subject(n),
        purpose: 'labour_market_integration',
        messageType: 'residence_status.notice',
        payload,
      })) as { id: string };
      return sent.id;
    }),
  );
}

/** Every instance runs `job` at the same moment, twice over, as overlapping timers would. */
async function allAtOnce(job: keyof BackgroundJobs): Promise<void> {
  await Promise.all([...instances, ...instances].map((i) => i.jobs[job]()));
}

async function auditEntries(event: AuditEvent) {
  const store = through(0).storage.audit;
  return store.entries('koeln', { event, afterSeq: 0, limit: 10_000 });
}

const sorted = (values: readonly (string | undefined)[]) => [...values].sort();

describe('background jobs of three instances on one PostgreSQL', () => {
  it('does every due item once, however many instances run a job at once', async () => {
    const range = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => from + i);
    const lastingPersons = range(0, LASTING);
    const endingPersons = range(LASTING, ENDING);
    const pendingPersons = range(LASTING + ENDING, PENDING);

    // Day 0: consents are asked and granted, notices to the lasting ones sent and announced.
    const endingConsents = await Promise.all(endingPersons.map((n) => granted(n, day(9))));
    await Promise.all(lastingPersons.map((n) => granted(n, day(180))));
    const pending = await Promise.all(pendingPersons.map((n) => ask(n, day(180))));
    const toPurge = (await Promise.all(lastingPersons.map(sendTo))).flat();
    await allAtOnce('notify');
    // Day 8: notices to the ending ones, sent and announced.
    clock.advance(8 * DAY);
    const toWithhold = (await Promise.all(endingPersons.map(sendTo))).flat();
    await allAtOnce('notify');
    expect(sorted(announced)).toEqual(sorted([...toPurge, ...toWithhold]));

    // Day 15: the ending consents ended on day 9, the lasting ones' notices were kept until day
    // 10, the codes of the unanswered requests ran out on day 14. The ending ones' notices are
    // kept until day 18, so each message is due for exactly one of withholding and purge.
    clock.advance(7 * DAY);
    await allAtOnce('sweep');

    const expired = await auditEntries('consent.expired');
    expect(sorted(expired.map((e) => e.consentId))).toEqual(sorted(endingConsents));
    const requestsExpired = await auditEntries('request.expired');
    expect(sorted(requestsExpired.map((e) => e.requestId))).toEqual(
      sorted(pending.map((r) => r.id)),
    );
    const withheld = await auditEntries('exchange.withheld');
    expect(sorted(withheld.map((e) => e.exchangeId))).toEqual(sorted(toWithhold));
    const purged = await auditEntries('exchange.purged');
    expect(sorted(purged.map((e) => e.exchangeId))).toEqual(sorted(toPurge));
    const states = async (ids: readonly string[]) =>
      Promise.all(
        ids.map(async (id) => (await through(0).storage.exchanges.message('koeln', id))?.state),
      );
    expect(new Set(await states(toWithhold))).toEqual(new Set(['withheld']));
    expect(new Set(await states(toPurge))).toEqual(new Set(['purged']));
    // No job failed on an instance (a lost race is no failure); no notification was sent twice.
    for (const { logs } of instances) {
      expect(logs.entries.filter((e) => e['level'] === 'error')).toEqual([]);
    }
    expect(announced).toHaveLength(toPurge.length + toWithhold.length);
  }, 60_000);
});
