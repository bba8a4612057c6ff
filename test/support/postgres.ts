import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './process.ts';

/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temp dir, `pg_ctl start` on a Unix
 * socket in that dir and on 127.0.0.1 (a free port), trust authentication for the superuser
 * `gateway`, fsync off (a test database need not survive a power cut; `durable` keeps PostgreSQL's
 * defaults, for the benchmark). As root, the server runs as the `postgres` user, as PostgreSQL
 * refuses to run as root. `stop()` ends it and removes the dir.
 */
export interface TestPostgres {
  /** A connection URL for database `name` (created by {@link TestPostgres.createDatabase}). */
  url(name?: string): string;
  createDatabase(name: string): Promise<string>;
  readonly port: number;
  readonly socketDir: string;
  stop(): void;
}

/** Debian keeps the server binaries outside PATH, under /usr/lib/postgresql/<major>/bin. */
export function postgresBin(tool: string): string {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  }
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((d) => /^\d+$/.test(d))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const major of majors) {
    const candidate = join(root, major, 'bin', tool);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${tool} not found: run npm run test:setup (installs postgresql)`);
}

export async function startTestPostgres(
  options: { durable?: boolean } = {},
): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'cgw-pg-'));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  mkdirSync(socketDir);
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  const run = (tool: string, args: readonly string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', postgresBin(tool), ...args], {
          stdio: 'pipe',
        })
      : execFileSync(postgresBin(tool), args, { stdio: 'pipe' });
  run('initdb', ['-D', data, '-U', 'gateway', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-k ${socketDir} -h 127.0.0.1 -p ${port} -c max_connections=200` +
      (options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off'),
    'start',
  ]);
  const url = (name = 'postgres') => `postgres://gateway@127.0.0.1:${port}/${name}`;
  return {
    port,
    socketDir,
    url,
    async createDatabase(name) {
      if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`bad database name ${name}`);
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
