/**
 * `npm run dev:edge`: the gateway on workerd, locally, as `wrangler dev` runs it, with the demo
 * tenant seeded so the README's walk-through works against it as it does against `npm start`.
 *
 * D1 and the Durable Object persist under `<data dir>/edge/`; the demo agencies' keys go to
 * `<data dir>/demo/`, where the walk-through reads them. The master key is made once and handed
 * to wrangler as a local secret (`<data dir>/edge/.dev.vars`), never through the config file.
 */
import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { encodeMasterKey, generateMasterKeyBytes } from '../certs/index.ts';

const dataDir = resolve(process.env['GATEWAY_DATA_DIR'] ?? 'data');
const stateDir = join(dataDir, 'edge');
const varsFile = join(stateDir, '.dev.vars');
const port = process.env['PORT'] ?? '8787';
const host = process.env['HOST'] ?? '127.0.0.1';
const wrangler = createRequire(import.meta.url).resolve('wrangler/wrangler-dist/cli.js');
/** How wrangler's own launcher (bin/wrangler.js) starts it, minus the launcher. */
const nodeFlags = ['--no-warnings', '--experimental-vm-modules'];
const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
};

function fail(line: string): never {
  process.stderr.write(`dev:edge: ${line}\n`);
  process.exit(1);
}

/** The local master key: made on the first run, kept beside the local state it wraps. */
function masterKeyText(): string {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  if (!existsSync(varsFile)) {
    const lines = [
      `GATEWAY_MASTER_KEY=${encodeMasterKey(generateMasterKeyBytes())}`,
      `GATEWAY_PUBLIC_URL=http://localhost:${port}`,
    ];
    writeFileSync(varsFile, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(varsFile, 0o600);
  const line = readFileSync(varsFile, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('GATEWAY_MASTER_KEY='));
  if (line === undefined) fail(`${varsFile} has no GATEWAY_MASTER_KEY`);
  return line.slice('GATEWAY_MASTER_KEY='.length).trim();
}

function applyMigrations(): void {
  const run = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      wrangler,
      'd1',
      'migrations',
      'apply',
      'DB',
      '--local',
      '--persist-to',
      stateDir,
    ],
    { stdio: 'inherit', env: { ...wranglerEnv, CI: 'true' } },
  );
  if (run.status !== 0) fail('applying the D1 migrations failed (see above)');
}

/**
 * Seeds in a process of its own: Miniflare, which reaches local D1 from Node, takes over this
 * process's signals, and then a stop would leave wrangler running.
 */
function seedDemo(masterKey: string): void {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/dev-edge-seed.ts'], {
    stdio: 'inherit',
    env: { ...wranglerEnv, GATEWAY_MASTER_KEY: masterKey, GATEWAY_DATA_DIR: dataDir },
  });
  if (run.status !== 0) fail('seeding the demo tenant failed (see above)');
}

const masterKey = masterKeyText();
applyMigrations();
seedDemo(masterKey);
const dev = spawn(
  process.execPath,
  [
    ...nodeFlags,
    wrangler,
    'dev',
    ...['--ip', host, '--port', port, '--inspector-ip', '127.0.0.1'],
    ...['--persist-to', stateDir, '--env-file', varsFile],
    '--show-interactive-dev-session=false',
  ],
  // Started without its launcher (which passes no signal on) in a process group of its own:
  // wrangler stops on SIGINT (Ctrl-C) but not on SIGTERM, so stopping interrupts the group.
  { stdio: 'inherit', env: wranglerEnv, detached: true },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (dev.pid === undefined) return;
    process.kill(-dev.pid, 'SIGINT');
    setTimeout(() => {
      if (dev.pid !== undefined) process.kill(-dev.pid, 'SIGKILL');
    }, 10_000).unref();
  });
}
dev.on('exit', (code) => {
  try {
    if (dev.pid !== undefined) process.kill(-dev.pid, 'SIGKILL'); // a workerd left behind
  } catch {
    // the group is gone already
  }
  process.exit(code ?? 0);
});
