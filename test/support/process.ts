import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What `npm start` hands `node`: the server's V8 flags and its entry, read from package.json, so
 * that tests and the bench run the gateway exactly as a user starts it.
 */
export const SERVER_ARGS: readonly string[] = (() => {
  const start = (
    JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    }
  ).scripts.start;
  const args = /^exec node (.+)$/.exec(start)?.[1];
  if (args === undefined) throw new Error(`package.json's start is not "exec node …": ${start}`);
  return args.split(' ');
})();

/**
 * The time a test gets in a file whose tests start real processes (`vi.setConfig({ testTimeout })`
 * at its top). Each `cli/bin.mjs` or `gateway/node.ts` spends about 2 CPU-seconds loading the
 * TypeScript sources through tsx; on a busy 2-core machine that is 5–15 s of wall time apiece, and
 * tests with two to six of them failed on the 30 s default while every answer was right.
 */
export const PROCESS_TEST_TIMEOUT_MS = 90_000;

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  stdout(): string;
  stderr(): string;
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code when the process ends by itself. */
  exited: Promise<number | null>;
}

/**
 * Starts the real gateway (`node` with {@link SERVER_ARGS}, what `npm start` runs) on
 * 127.0.0.1 and resolves once it logs that it listens. Rejects with its output if it exits first.
 */
export async function startGateway(
  env: Record<string, string>,
  command: readonly [string, ...string[]] = [process.execPath, ...SERVER_ARGS],
  /** What the process prints once it serves, and how long it may take to get there. */
  readiness: { readonly line: string; readonly timeoutMs: number } = {
    line: '"msg":"gateway listening"',
    timeoutMs: 60_000,
  },
): Promise<GatewayProcess> {
  const port = env['PORT'] ?? String(await freePort());
  const [program, ...args] = command;
  const child = spawn(program, args, {
    cwd: projectRoot,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    // A gateway that did not come up is killed, never left serving after the test gave up on it.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start in time:\n${out}\n${err}`));
    }, readiness.timeoutMs);
    const onData = (): void => {
      if (out.includes(readiness.line) || err.includes(readiness.line)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${String(code)} before listening:\n${out}\n${err}`));
    });
  });
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Runs a command to its end and answers its exit code and output; `input` goes to its stdin.
 *
 * Use this rather than `execFileSync` in a test that talks to a server over HTTP: a synchronous
 * child blocks the test's event loop, so fetch's pooled keep-alive connection cannot notice that
 * the server closed it meanwhile, and the next request fails with "other side closed". Under load a
 * python or gpg child easily takes longer than the server's 5 s keep-alive.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; input?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? projectRoot,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...options.env },
      stdio: 'pipe',
    });
    // A child that exits without reading all of its input is its own failure, not an EPIPE crash.
    child.stdin.on('error', () => undefined).end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
