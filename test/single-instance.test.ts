import { afterEach, describe, expect, it } from 'vitest';
import { randomMasterKeyHex } from './support/pki.ts';
import { freePort, run, SERVER_ARGS } from './support/process.ts';
import { startTrackedGateway, stopWithin } from './support/stalled-process.ts';
import { tempDir } from './support/temp.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('one gateway per data dir', () => {
  it('refuses a second gateway on the same data dir with one line, and lets one start after the first was killed', async () => {
    const dir = tempDir();
    cleanups.push(() => {
      dir.remove();
    });
    const env = { GATEWAY_DATA_DIR: dir.path, GATEWAY_MASTER_KEY: randomMasterKeyHex() };
    const first = await startTrackedGateway(env);
    cleanups.push(() => stopWithin(first, 1_000));

    const second = await run(process.execPath, [...SERVER_ARGS], {
      env: { ...env, HOST: '127.0.0.1', PORT: String(await freePort()) },
    });
    expect(second.code).toBe(1);
    expect(second.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^consent-gateway: another gateway is already serving .+ \(it holds .+gateway\.lock\)/,
      ),
    ]);
    expect(second.stdout).not.toContain('gateway listening');
    expect((await fetch(`${first.baseUrl}/health`)).status).toBe(200);

    // SIGKILL leaves no stale lock: the operating system dropped it with the process.
    await first.stop('SIGKILL');
    const third = await startTrackedGateway(env);
    cleanups.push(() => stopWithin(third, 1_000));
    expect((await fetch(`${third.baseUrl}/health`)).status).toBe(200);
    const { code } = await stopWithin(third);
    expect(code).toBe(0);
    expect(third.stdout()).toContain('"msg":"stopped"');
  }, 60_000);
});
