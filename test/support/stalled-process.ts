import { afterAll } from 'vitest';
import { startGateway, type GatewayProcess } from './process.ts';

/** Every gateway started through this module and not yet known to be gone. */
const started = new Set<GatewayProcess>();

/**
 * Stops a gateway: SIGTERM, then SIGKILL if it is still there after `graceMs`. Resolves with how
 * it ended once it is gone, and whether SIGKILL was needed.
 */
export async function stopWithin(
  gw: GatewayProcess,
  graceMs = 5_000,
): Promise<{ code: number | null; killed: boolean }> {
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    gw.child.kill('SIGKILL');
  }, graceMs);
  try {
    const code = await gw.stop('SIGTERM');
    return { code, killed };
  } finally {
    clearTimeout(timer);
    started.delete(gw);
  }
}

/**
 * {@link startGateway}, remembered so that it is stopped when the test file ends, also when a test
 * failed before its own clean-up ran: SIGTERM, and SIGKILL for one that does not end in 5 s.
 */
export async function startTrackedGateway(
  env: Record<string, string>,
  command?: readonly [string, ...string[]],
): Promise<GatewayProcess> {
  const gw = await startGateway(env, command);
  started.add(gw);
  void gw.exited.then(() => started.delete(gw));
  return gw;
}

/**
 * Starts the real gateway, waits until it listens, then stops reading its stdout: the pipe fills
 * (64 KiB on Linux) and every further write to it would block. What was read until then stays in
 * `stdout()`. `resumeReading()` reads again.
 */
export async function startGatewayWithStalledStdout(
  env: Record<string, string>,
): Promise<GatewayProcess & { resumeReading(): void }> {
  const gw = await startTrackedGateway(env);
  gw.child.stdout?.pause();
  return Object.assign(gw, {
    resumeReading: () => {
      gw.child.stdout?.resume();
    },
  });
}

afterAll(async () => {
  await Promise.all([...started].map((gw) => stopWithin(gw)));
});

// The last line of defence if the worker ends without running hooks: no gateway outlives it.
process.once('exit', () => {
  for (const gw of started) gw.child.kill('SIGKILL');
});
