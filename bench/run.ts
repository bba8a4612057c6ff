/**
 * `npm run bench`: throughput and latency of the gateway's HTTP edge, measured against a real
 * Node server on 127.0.0.1 over real SQLite in a temp dir. Prints figures; asserts nothing.
 * Besides the edge: the consent check, a whole exchange (authentication, the sender's signature,
 * schema, consent ∩ policy, attestation, encryption, mailbox and audit append in one transaction)
 * and a portal page. Then that exchange against gateway processes on SQLite and on PostgreSQL
 * (one and three instances), see `instances.ts`. Last, what an exchange costs on Cloudflare
 * (`edge-cost.ts`).
 */
import 'reflect-metadata';
import { importMasterKey } from '../certs/index.ts';
import { decideConsent } from '../consent/index.ts';
import { systemClock } from '../core/index.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../policies/index.ts';
import { createApp } from '../gateway/app.ts';
import { rateLimitsOf } from '../gateway/rate-limit/index.ts';
import { createLogger } from '../gateway/logging.ts';
import { nodeDocsAssets } from '../gateway/node-docs-assets.ts';
import { startNodeServer } from '../gateway/node-server.ts';
import { openSqliteStorage } from '../storage/sqlite/index.ts';
import { CompactSign } from 'jose';
import { addPrincipal, assertionFor, pkiDeps, provisionedTenant } from '../test/support/pki.ts';
import { tempDir } from '../test/support/temp.ts';
import { measure, NAME_WIDTH, type Scenario } from './measure.ts';
import { printEdgeCost } from './edge-cost.ts';
import { measureInstances } from './instances.ts';

const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 3000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
/** Runs only the scenarios whose name contains this text (e.g. for a CPU profile of one). */
const ONLY = process.env['BENCH_ONLY'] ?? '';

const scenarios: Scenario[] = [
  { name: 'GET /health (storage ping)', path: '/health', init: {}, expect: 200 },
  {
    name: 'POST 8 KiB JSON, refused 404',
    path: '/v1/unknown',
    init: {
      method: 'POST',
      body: JSON.stringify({ filler: 'x'.repeat(8 * 1024) }),
      headers: { 'Content-Type': 'application/json' },
    },
    expect: 404,
  },
  {
    name: 'POST malformed JSON, refused 400',
    path: '/v1/unknown',
    init: { method: 'POST', body: '{"a":', headers: { 'Content-Type': 'application/json' } },
    expect: 400,
  },
];

const dir = tempDir('cgw-bench-');
const storage = openSqliteStorage(dir.path);
const logger = createLogger({ level: 'silent' });
const masterKey = await importMasterKey(crypto.getRandomValues(new Uint8Array(32)));
const app = createApp({
  config: { publicUrl: 'http://localhost', bodyLimit: 1024 * 1024, version: 'bench' },
  clock: systemClock,
  logger,
  storage,
  keys: { masterKey },
  docsAssets: nodeDocsAssets(),
  policy: await loadPolicySet(DEFAULT_POLICY),
  // The benchmark measures the gateway's work, not its rate limit (default 50/s per principal).
  rateLimits: rateLimitsOf({}, { rate: 1_000_000, burst: 1_000_000 }),
});
const server = await startNodeServer({ fetch: app.fetch, port: 0, host: '127.0.0.1', logger });
const base = `http://127.0.0.1:${server.port}`;
const inProcess = (scenario: Scenario) =>
  scenario.name.includes(ONLY)
    ? measure(scenario, { bases: [base], concurrency: CONCURRENCY, durationMs: DURATION_MS })
    : Promise.resolve();
process.stdout.write(
  `consent-gateway bench: node ${process.version}, ${CONCURRENCY} concurrent clients, ` +
    `${DURATION_MS} ms per scenario, logging off\n`,
);
/**
 * The consent check the exchange calls: one indexed lookup per question, measured over many
 * people so the table is not tiny. Consents are written straight through the store.
 */
async function measureConsentCheck(people: number, checks: number): Promise<void> {
  const now = new Date().toISOString();
  const until = new Date(Date.now() + 86_400_000).toISOString();
  storage.db
    .prepare(
      "INSERT OR IGNORE INTO tenants (id, display_name, created_at) VALUES ('bench', 'bench', ?)",
    )
    .run(now);
  const wrapped = { alg: 'A256GCM' as const, iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'AA' };
  for (let i = 0; i < people; i++) {
    const subject = `p${i}`;
    await storage.consents.ensureSubject('bench', subject, () => Promise.resolve(wrapped), now);
    const request = {
      id: `cr${i}`,
      tenantId: 'bench',
      subject,
      requestedBy: 'jc',
      senders: ['abh'],
      recipients: ['jc'],
      purpose: 'labour_market_integration',
      categories: ['residence_status', 'employment_permission'],
      validUntil: until,
      language: 'de',
      noticeText: 't',
      noticeHash: 'h',
      codeHash: `c${i}`,
      secondFactorHash: 's',
      codeExpiresAt: until,
      createdAt: now,
    };
    await storage.consents.addRequest(request, ['jc', 'abh']);
    await storage.consents.decideRequest(
      request.id,
      1,
      { state: 'approved', at: now, actor: 'subject' },
      {
        record: {
          ...request,
          id: `cs${i}`,
          requestId: request.id,
          validFrom: now,
          channel: 'portal-code',
          assurance: 'low',
          receiptId: `r${i}`,
          receipt: 'x',
        },
        parties: ['jc', 'abh'],
      },
    );
  }
  const flow = {
    sender: 'abh',
    recipient: 'jc',
    purpose: 'labour_market_integration',
    categories: ['residence_status'],
  };
  const started = performance.now();
  for (let i = 0; i < checks; i++) {
    // As a send asks it: every consent of the person for the purpose, decided now.
    const consents = await storage.consents.consentsFor(
      'bench',
      `p${i % people}`,
      'labour_market_integration',
    );
    const decision = decideConsent(consents, flow, systemClock.now());
    if (!decision.covered) throw new Error('bench consent does not cover its flow');
  }
  const ms = performance.now() - started;
  process.stdout.write(
    `${`consent decision (${people} people)`.padEnd(NAME_WIDTH)}${`${Math.round((checks / ms) * 1000)} checks/s`.padStart(12)}` +
      `${`mean ${((ms / checks) * 1000).toFixed(1)} µs`.padStart(16)}\n`,
  );
}

/**
 * The gateway's main job end to end, as an agency sees it: each request carries a fresh client
 * assertion and Idempotency-Key, and is accepted only after every check; then a portal page.
 */
async function exchangeScenarios(): Promise<Scenario[]> {
  const deps = await pkiDeps(storage, systemClock, masterKey);
  await provisionedTenant(deps, 'koeln');
  const abh = await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'abh-koeln',
    kind: 'agency',
    agencyType: 'immigration_office',
  });
  const jc = await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'jc-koeln',
    kind: 'agency',
    agencyType: 'jobcenter',
  });
  const subject = { scheme: 'azr', value: '123456789012' };
  const bearer = async (p: typeof abh) =>
    `Bearer ${await assertionFor(p, { audience: 'http://localhost', now: new Date() })}`;
  const created = (await (
    await fetch(`${base}/v1/consent-requests`, {
      method: 'POST',
      headers: { Authorization: await bearer(jc), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        subject,
        senders: ['abh-koeln'],
        recipients: ['jc-koeln'],
        purpose: 'labour_market_integration',
        categories: ['residence_status', 'employment_permission'],
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        language: 'de',
        secondFactor: { type: 'birthDate', value: '1990-01-31' },
      }),
    })
  ).json()) as { id: string; code: string };
  const session = await fetch(`${base}/v1/portal/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: created.code, secondFactor: '1990-01-31' }),
  });
  const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  await fetch(`${base}/v1/portal/requests/${created.id}/grant`, {
    method: 'POST',
    headers: { Cookie: cookie },
  });
  const payload = await new CompactSign(
    new TextEncoder().encode(
      JSON.stringify({
        residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
        employmentPermission: { allowed: true },
      }),
    ),
  )
    .setProtectedHeader({ alg: 'ES256' })
    .sign(abh.privateKey);
  const body = JSON.stringify({
    recipient: 'jc-koeln',
    subject,
    purpose: 'labour_market_integration',
    messageType: 'residence_status.notice',
    payload,
  });
  return [
    {
      name: 'POST /v1/exchanges, accepted (JWE)',
      path: '/v1/exchanges',
      expect: 201,
      init: async () => ({
        method: 'POST',
        body,
        headers: {
          Authorization: await bearer(abh),
          'Content-Type': 'application/json',
          'Idempotency-Key': crypto.randomUUID(),
        },
      }),
    },
    {
      name: 'GET /portal/consents (page)',
      path: '/portal/consents',
      expect: 200,
      init: { headers: { Cookie: cookie } },
    },
  ];
}

try {
  for (const scenario of scenarios) await inProcess(scenario);
  if ('consent'.includes(ONLY)) await measureConsentCheck(5000, 20_000);
  for (const scenario of await exchangeScenarios()) await inProcess(scenario);
} finally {
  await server.shutdown();
  storage.close();
  dir.remove();
}
await measureInstances({ only: ONLY, concurrency: CONCURRENCY });
if ('edge cost'.includes(ONLY)) await printEdgeCost();
