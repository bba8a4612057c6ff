/**
 * What an exchange costs on Cloudflare: the billable units one exchange (send, fetch, acknowledge)
 * uses on the edge deployment, counted, not guessed, and priced at Cloudflare's published rates.
 *
 * The app runs in this process on a local D1 database (wrangler's platform proxy over Miniflare,
 * the same SQLite engine and the same row accounting D1 reports in `meta`), so every statement's
 * rows read and written are summed. Durable Object requests are two per audit append (the
 * sequencer's lease and its release); Worker requests are the three HTTP calls.
 */
import 'reflect-metadata';
import { importMasterKey } from '../certs/index.ts';
import { systemClock } from '../core/index.ts';
import { createApp } from '../gateway/app.ts';
import { createLogger } from '../gateway/logging.ts';
import { nodeDocsAssets } from '../gateway/node-docs-assets.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../policies/index.ts';
import type { D1Database, D1PreparedStatement, D1Result } from '../storage/d1/d1.ts';
import { openD1Storage } from '../storage/d1/storage.ts';
import { localD1, migrateLocalD1 } from '../storage/d1-local.ts';
import type { Storage } from '../storage/ports.ts';
import { openSqliteStorage } from '../storage/sqlite/index.ts';
import { seedHttpConformance } from '../test/http-conformance/seed.ts';
import { signedBy } from '../test/support/flows.ts';
import { personGrants, residenceStatusRequest } from '../test/support/person.ts';
import { assertionFor, type TestPrincipal } from '../test/support/pki.ts';
import { tempDir } from '../test/support/temp.ts';

/**
 * Workers Paid, as Cloudflare publishes it (developers.cloudflare.com/{workers,d1,durable-objects}
 * /platform/pricing), beyond what the $5 a month includes. Dollars per million units.
 */
export const PRICES = {
  workerRequests: 0.3,
  workerCpuMs: 0.02,
  d1RowsRead: 0.001,
  d1RowsWritten: 1.0,
  durableObjectRequests: 0.15,
} as const;

const EXCHANGES = Number(process.env['BENCH_EDGE_EXCHANGES'] ?? 20);

interface Rows {
  read: number;
  written: number;
}

/** D1 with every statement's rows read and written summed into `rows`. */
function countingD1(db: D1Database, rows: Rows): D1Database {
  const add = (result: D1Result<unknown>) => {
    const meta = result.meta as { rows_read?: number; rows_written?: number };
    rows.read += meta.rows_read ?? 0;
    rows.written += meta.rows_written ?? 0;
  };
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement =>
    ({
      bind: (...values) => wrap(statement.bind(...values)),
      // first() reports no meta; all() reads the same rows and does.
      async first<Row>() {
        const result = await statement.all<Row>();
        add(result);
        return result.results[0] ?? null;
      },
      async all<Row>() {
        const result = await statement.all<Row>();
        add(result);
        return result;
      },
      async run() {
        const result = await statement.run();
        add(result);
        return result;
      },
      unwrapped: statement,
    }) as D1PreparedStatement;
  return {
    prepare: (query) => wrap(db.prepare(query)),
    async batch<Row>(statements: D1PreparedStatement[]) {
      const unwrapped = statements.map(
        (s) => (s as D1PreparedStatement & { unwrapped: D1PreparedStatement }).unwrapped,
      );
      const results = await db.batch<Row>(unwrapped);
      results.forEach(add);
      return results;
    },
  };
}

export interface EdgeCost {
  readonly perExchange: {
    readonly workerRequests: number;
    readonly d1RowsRead: number;
    readonly d1RowsWritten: number;
    readonly durableObjectRequests: number;
    readonly cpuMsUpperBound: number;
  };
  readonly dollarsPerMillion: number;
}

export async function measureEdgeCost(): Promise<EdgeCost> {
  const dir = tempDir('cgw-edge-cost-');
  try {
    await migrateLocalD1(dir.path);
    const { db, close } = await localD1(dir.path);
    try {
      return await measureOn(db);
    } finally {
      await close();
    }
  } finally {
    dir.remove();
  }
}

/**
 * Seeds a world, lets the Jobcenter ask and the person grant, then plays `EXCHANGES` exchanges;
 * `measuring` is called just before them. Answers the audit appends and the CPU time they took.
 */
async function playExchanges(
  storage: Storage,
  measuring: () => void,
): Promise<{ appends: number; cpuMs: number }> {
  const masterKey = await importMasterKey(crypto.getRandomValues(new Uint8Array(32)));
  const world = await seedHttpConformance({ storage, masterKey });
  const app = createApp({
    config: { publicUrl: 'http://localhost', bodyLimit: 1024 * 1024, version: 'bench' },
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    storage,
    keys: { masterKey },
    docsAssets: nodeDocsAssets(),
    policy: await loadPolicySet(DEFAULT_POLICY),
  });
  const as = async (p: TestPrincipal, path: string, init: RequestInit = {}) => {
    const token = await assertionFor(p, { audience: 'http://localhost', now: new Date() });
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    return app.request(path, { ...init, headers });
  };
  const subject = { scheme: 'azr', value: '123456789012' };
  const asked = await as(world.jc, '/v1/consent-requests', {
    method: 'POST',
    body: residenceStatusRequest(subject, {
      categories: ['residence_status', 'employment_permission'],
      validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    }),
  });
  await personGrants(app, (await asked.json()) as { id: string; code: string });
  const payloads = await Promise.all(
    Array.from({ length: EXCHANGES }, () =>
      signedBy(world.abh, {
        residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
        employmentPermission: { allowed: true, conditions: 'x'.repeat(500) },
      }),
    ),
  );
  const auditBefore = (await storage.audit.head(world.tenantId))?.size ?? 0;
  measuring();
  const cpuBefore = process.cpuUsage();
  for (const payload of payloads) {
    const sent = await as(world.abh, '/v1/exchanges', {
      method: 'POST',
      body: JSON.stringify({
        recipient: world.jc.id,
        subject,
        purpose: 'labour_market_integration',
        messageType: 'residence_status.notice',
        payload,
      }),
    });
    if (sent.status !== 201) throw new Error(`send answered ${sent.status}: ${await sent.text()}`);
    const { id } = (await sent.json()) as { id: string };
    const fetched = await as(world.jc, `/v1/mailbox/${id}`);
    if (fetched.status !== 200) throw new Error(`fetch answered ${fetched.status}`);
    const acked = await as(world.jc, `/v1/mailbox/${id}/ack`, { method: 'POST' });
    if (acked.status !== 204) throw new Error(`ack answered ${acked.status}`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const appends = ((await storage.audit.head(world.tenantId))?.size ?? 0) - auditBefore;
  return { appends, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function measureOn(d1: D1Database): Promise<EdgeCost> {
  const rows: Rows = { read: 0, written: 0 };
  const { appends } = await playExchanges(openD1Storage(countingD1(d1, rows)), () => {
    Object.assign(rows, { read: 0, written: 0 });
  });
  // The Worker's CPU: the same exchanges on SQLite in this process, whose CPU time also includes
  // SQLite itself and signing the requests, so it bounds the Worker's from above.
  const dir = tempDir('cgw-edge-cpu-');
  const sqlite = openSqliteStorage(dir.path);
  const { cpuMs } = await playExchanges(sqlite, () => undefined).finally(() => {
    sqlite.close();
    dir.remove();
  });
  const perExchange = {
    workerRequests: 3,
    d1RowsRead: rows.read / EXCHANGES,
    d1RowsWritten: rows.written / EXCHANGES,
    durableObjectRequests: (2 * appends) / EXCHANGES,
    cpuMsUpperBound: cpuMs / EXCHANGES,
  };
  const dollarsPerMillion =
    perExchange.workerRequests * PRICES.workerRequests +
    perExchange.cpuMsUpperBound * PRICES.workerCpuMs +
    perExchange.d1RowsRead * PRICES.d1RowsRead +
    perExchange.d1RowsWritten * PRICES.d1RowsWritten +
    perExchange.durableObjectRequests * PRICES.durableObjectRequests;
  return { perExchange, dollarsPerMillion };
}

/** Prints what {@link measureEdgeCost} found, as `npm run bench` shows it. */
export async function printEdgeCost(): Promise<void> {
  const cost = await measureEdgeCost();
  const p = cost.perExchange;
  const line = (name: string, value: number, price: number) =>
    `  ${name.padEnd(28)} ${value.toFixed(1).padStart(8)}   $${(value * price).toFixed(2)} per million exchanges`;
  process.stdout.write(
    [
      `\nedge cost per exchange (send, fetch, acknowledge; ${EXCHANGES} residence notices on local D1)`,
      line('Worker requests', p.workerRequests, PRICES.workerRequests),
      line('Worker CPU ms (upper bound)', p.cpuMsUpperBound, PRICES.workerCpuMs),
      line('D1 rows read', p.d1RowsRead, PRICES.d1RowsRead),
      line('D1 rows written', p.d1RowsWritten, PRICES.d1RowsWritten),
      line('Durable Object requests', p.durableObjectRequests, PRICES.durableObjectRequests),
      `  total ≈ $${cost.dollarsPerMillion.toFixed(2)} per million exchanges, beyond the units the $5 a month plan includes`,
      '',
    ].join('\n'),
  );
}
