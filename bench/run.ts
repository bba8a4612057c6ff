/**
 * `npm run bench`: throughput and latency of the gateway's HTTP edge, measured against a real
 * Node server on 127.0.0.1 over real SQLite in a temp dir. Prints figures; asserts nothing.
 * Later issues add the exchange, consent check and audit append here.
 */
import 'reflect-metadata';
import { importMasterKey } from '../certs/index.ts';
import { checkConsent } from '../consent/index.ts';
import { systemClock } from '../core/index.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../policies/index.ts';
import { createApp } from '../gateway/app.ts';
import { createLogger } from '../gateway/logging.ts';
import { nodeDocsAssets } from '../gateway/node-docs-assets.ts';
import { startNodeServer } from '../gateway/node-server.ts';
import { openSqliteStorage } from '../storage/sqlite/index.ts';
import { tempDir } from '../test/support/temp.ts';

const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 3000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);

interface Scenario {
  readonly name: string;
  readonly init: RequestInit;
  readonly path: string;
  readonly expect: number;
}

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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measure(base: string, scenario: Scenario): Promise<void> {
  const latencies: number[] = [];
  let wrong = 0;
  const end = performance.now() + DURATION_MS;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const started = performance.now();
      const res = await fetch(base + scenario.path, scenario.init);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      if (res.status !== scenario.expect) wrong++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const row = [
    scenario.name.padEnd(34),
    `${Math.round(latencies.length / seconds)} req/s`.padStart(12),
    `p50 ${percentile(latencies, 50).toFixed(2)} ms`.padStart(14),
    `p99 ${percentile(latencies, 99).toFixed(2)} ms`.padStart(14),
    wrong > 0 ? `  ${wrong} unexpected statuses` : '',
  ];
  process.stdout.write(row.join('') + '\n');
}

const dir = tempDir('cgw-bench-');
const storage = openSqliteStorage(dir.path);
const logger = createLogger({ level: 'silent' });
const app = createApp({
  config: { publicUrl: 'http://localhost', bodyLimit: 1024 * 1024, version: 'bench' },
  clock: systemClock,
  logger,
  storage,
  keys: { masterKey: await importMasterKey(crypto.getRandomValues(new Uint8Array(32))) },
  docsAssets: nodeDocsAssets(),
  policy: await loadPolicySet(DEFAULT_POLICY),
});
const server = await startNodeServer({ fetch: app.fetch, port: 0, host: '127.0.0.1', logger });
const base = `http://127.0.0.1:${server.port}`;
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
          capture: 'portal',
          receiptId: `r${i}`,
          receipt: 'x',
        },
        parties: ['jc', 'abh'],
      },
    );
  }
  const started = performance.now();
  for (let i = 0; i < checks; i++) {
    await checkConsent(storage.consents, systemClock, {
      tenantId: 'bench',
      subject: `p${i % people}`,
      sender: 'abh',
      recipient: 'jc',
      purpose: 'labour_market_integration',
      categories: ['residence_status'],
    });
  }
  const ms = performance.now() - started;
  process.stdout.write(
    `${`checkConsent (${people} people)`.padEnd(34)}${`${Math.round((checks / ms) * 1000)} checks/s`.padStart(12)}` +
      `${`mean ${((ms / checks) * 1000).toFixed(1)} µs`.padStart(16)}\n`,
  );
}

try {
  for (const scenario of scenarios) await measure(base, scenario);
  await measureConsentCheck(5000, 20_000);
} finally {
  await server.shutdown();
  storage.close();
  dir.remove();
}
