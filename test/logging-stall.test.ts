import { afterEach, describe, expect, it } from 'vitest';
import { randomMasterKeyHex } from './support/pki.ts';
import { startGatewayWithStalledStdout, stopWithin } from './support/stalled-process.ts';
import { tempDir } from './support/temp.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Sends `total` GET requests, `parallel` at a time; resolves with how many got an answer. */
async function hammer(url: string, total: number, parallel: number): Promise<number> {
  let sent = 0;
  let ok = 0;
  const worker = async (): Promise<void> => {
    while (sent < total) {
      sent++;
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status < 500) ok++;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return ok;
}

describe('a gateway whose log reader stopped reading', () => {
  it('keeps answering and stops on the first SIGTERM', async () => {
    const dir = tempDir();
    cleanups.push(() => {
      dir.remove();
    });
    const gw = await startGatewayWithStalledStdout({
      GATEWAY_DATA_DIR: dir.path,
      GATEWAY_MASTER_KEY: randomMasterKeyHex(),
      LOG_LEVEL: 'info',
    });
    cleanups.push(() => stopWithin(gw, 1_000));

    // One request log line is ~200 bytes: 3 000 of them are 600 KiB, ten times what the pipe and
    // the reader's buffer hold. The gateway that blocked on stdout stopped answering after the
    // first few hundred. (Dropping past the 1 MiB bound is tested in gateway/logging.test.ts:
    // reaching it here takes too long for the suite.)
    const answered = await hammer(`${gw.baseUrl}/no-such-page`, 3_000, 16);
    expect(answered).toBe(3_000);
    const health = await fetch(`${gw.baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    expect(health.status).toBe(200);

    const started = performance.now();
    const { code, killed } = await stopWithin(gw, 5_000);
    expect(killed).toBe(false);
    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(5_000);
  }, 60_000);
});
