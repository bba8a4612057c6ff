import { afterEach, describe, expect, it } from 'vitest';
import { importMasterKey } from '../certs/index.ts';
import { FixedClock } from '../core/index.ts';
import { openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import { tempDir } from '../test/support/temp.ts';
import { LogCollector } from '../test/support/app.ts';
import { backgroundJobs, SWEEP_BATCHES, type JobObserver } from './jobs.ts';
import { prometheusMetrics } from './metrics/node-prometheus.ts';
import { createLogger } from './logging.ts';

const NOW = '2026-12-04T12:00:00.000Z';
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
});

/** A SQLite storage with `count` waiting messages past their retention. */
function storageWithDueMessages(count: number): SqliteStorage {
  const dir = tempDir();
  const storage = openSqliteStorage(dir.path);
  cleanup.push(() => {
    storage.close();
    dir.remove();
  });
  storage.db
    .prepare("INSERT INTO tenants (id, display_name, created_at) VALUES ('koeln', 'K', ?)")
    .run(NOW);
  const insert = storage.db.prepare(`INSERT INTO mailbox_messages (id, tenant_id, sender,
    recipient, subject, consent_id, message_type, purpose, categories, envelope, ciphertext,
    ciphertext_digest, received_at, retain_until, state) VALUES (?, 'koeln', 'abh', 'jc',
    'gone', 'co_1', 'notice', 'lmi', '[]', 'jwe', 'ciphertext', 'digest',
    '2026-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z', 'delivered')`);
  for (let i = 0; i < count; i++) insert.run(`ex_${String(i).padStart(4, '0')}`);
  return storage;
}

async function jobsOn(storage: SqliteStorage, observer?: JobObserver) {
  return backgroundJobs({
    ...(observer === undefined ? {} : { observer }),
    storage,
    clock: new FixedClock(new Date(NOW)),
    masterKey: await importMasterKey(new Uint8Array(32)),
    logger: createLogger({ level: 'silent', destination: new LogCollector() }),
    fetch,
  });
}

const purgedCount = (storage: SqliteStorage) =>
  storage.db
    .prepare<[], { n: number }>("SELECT count(*) AS n FROM mailbox_messages WHERE state = 'purged'")
    .get()?.n;

describe('background sweep', () => {
  it('moves more than one batch in one run, each item once', async () => {
    const due = SWEEP_BATCHES.batch * 2 + 30;
    const storage = storageWithDueMessages(due);
    await (await jobsOn(storage)).sweep();
    expect(purgedCount(storage)).toBe(due);
    const entries = storage.db
      .prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM audit_entries WHERE event = 'exchange.purged'",
      )
      .get()?.n;
    expect(entries).toBe(due);
  });

  it('joins a sweep still running instead of starting a second one beside it', async () => {
    const storage = storageWithDueMessages(10);
    const jobs = await jobsOn(storage);
    const first = jobs.sweep();
    expect(jobs.sweep()).toBe(first);
    await first;
    expect(purgedCount(storage)).toBe(10);
    const next = jobs.sweep();
    expect(next).not.toBe(first);
    await next;
  });
});

describe('what a run tells its observer', () => {
  function recording() {
    const runs: string[] = [];
    const observer: JobObserver = {
      ran: (job, outcome) => runs.push(`${job} ${outcome}`),
      withheld: (messages) => runs.push(`withheld ${messages}`),
    };
    return { runs, observer };
  }

  it('reports each run that went through, and each that failed', async () => {
    const storage = storageWithDueMessages(3);
    const { runs, observer } = recording();
    const jobs = await jobsOn(storage, observer);
    await jobs.sweep();
    await jobs.notify();
    storage.close();
    await jobs.sweep();
    await jobs.notify();
    expect(runs).toEqual(['sweep succeeded', 'notify succeeded', 'sweep failed', 'notify failed']);
  });

  it('gives the metrics a job lag that only a succeeded run resets', async () => {
    let now = Date.parse(NOW);
    const metrics = prometheusMetrics({ token: 'x'.repeat(32), now: () => now });
    const lag = async () =>
      /gateway_job_lag_seconds\{job="sweep"\} (\d+)/.exec(
        (await metrics.render({ auditEntries: [], waitingMessages: [] })).body,
      )?.[1];
    now += 90_000;
    expect(await lag()).toBe('90');
    metrics.ran('sweep', 'failed');
    expect(await lag()).toBe('90');
    metrics.ran('sweep', 'succeeded');
    now += 5_000;
    expect(await lag()).toBe('5');
    const text = (await metrics.render({ auditEntries: [], waitingMessages: [] })).body;
    expect(text).toContain('gateway_job_runs_total{job="sweep",outcome="failed"} 1');
    expect(text).toContain('gateway_job_runs_total{job="sweep",outcome="succeeded"} 1');
  });
});
