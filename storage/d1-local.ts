import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { D1Database } from './d1/d1.ts';
import { openD1Storage } from './d1/storage.ts';
import type { Storage } from './ports.ts';

/**
 * Local D1 from Node: the database `wrangler dev --persist-to <stateDir>` serves (what
 * `npm run dev:edge` keeps under `<data dir>/edge`), reached through wrangler's platform proxy,
 * for the CLI beside a local edge gateway and for the edge cost benchmark.
 */

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * The D1 database as the project's wrangler.toml names it: local state is kept per database id
 * (or name), so the CLI must name it as `wrangler dev` does to find the same file.
 */
function databaseLines(): string[] {
  const toml = readFileSync(fileURLToPath(new URL('../wrangler.toml', import.meta.url)), 'utf8');
  return toml
    .split('\n')
    .filter((line) => /^\s*database_(name|id)\s*=/.test(line))
    .map((line) => line.trim());
}

/**
 * A wrangler config with the D1 binding alone, so neither wrangler nor Miniflare looks for the
 * Worker and its Durable Object, which the CLI and the benchmark do not run.
 */
async function withD1Config<T>(work: (configPath: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cgw-d1-'));
  const configPath = join(dir, 'wrangler.toml');
  writeFileSync(
    configPath,
    [
      'name = "consent-gateway-local"',
      'compatibility_date = "2026-05-03"',
      '[[d1_databases]]',
      'binding = "DB"',
      ...databaseLines(),
      `migrations_dir = ${JSON.stringify(migrationsDir)}`,
      '',
    ].join('\n'),
  );
  try {
    return await work(configPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Brings the local D1 database in `stateDir` to the newest schema (`wrangler d1 migrations apply`). */
export function migrateLocalD1(stateDir: string): Promise<void> {
  return withD1Config((configPath) => {
    const wrangler = createRequire(import.meta.url).resolve('wrangler/wrangler-dist/cli.js');
    const args = ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir];
    const run = spawnSync(
      process.execPath,
      ['--no-warnings', '--experimental-vm-modules', wrangler, ...args, '--config', configPath],
      { env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`D1 migrations failed: ${run.stderr}`);
    return Promise.resolve();
  });
}

/** The local D1 binding in `stateDir`; `close` lets go of Miniflare. */
export function localD1(stateDir: string): Promise<{ db: D1Database; close: () => Promise<void> }> {
  return withD1Config(async (configPath) => {
    // Loaded only here: wrangler and Miniflare are large, and only this path needs them.
    const { getPlatformProxy } = await import('wrangler');
    const proxy = await getPlatformProxy<{ DB: D1Database }>({
      configPath,
      persist: { path: join(stateDir, 'v3') },
    });
    return { db: proxy.env.DB, close: () => proxy.dispose() };
  });
}

/** Every storage port on the local edge gateway's D1; a state dir without its schema is refused. */
export async function openLocalD1Storage(
  stateDir: string,
): Promise<{ storage: Storage; close(): Promise<void> }> {
  const { db, close } = await localD1(stateDir);
  const migrated = await db
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'tenants'")
    .first<{ n: number }>()
    .catch(async (error: unknown) => {
      await close();
      throw error;
    });
  if (!migrated?.n) {
    await close();
    throw new Error(`no edge gateway data in ${stateDir}: run npm run dev:edge`);
  }
  return { storage: openD1Storage(db), close };
}
