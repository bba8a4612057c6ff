import { describe, expect, it } from 'vitest';
import { LogCollector } from '../test/support/app.ts';
import { createLogger } from './logging.ts';
import { startNodeServer } from './node-server.ts';

const logger = createLogger({ level: 'silent', destination: new LogCollector() });
const sleep = (ms: number) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

describe('startNodeServer', () => {
  it('lets a request in flight finish during shutdown, then refuses connections', async () => {
    const server = await startNodeServer({
      fetch: async () => {
        await sleep(300);
        return new Response('finished');
      },
      port: 0,
      host: '127.0.0.1',
      logger,
    });
    const base = `http://127.0.0.1:${server.port}`;
    const inFlight = fetch(base);
    await sleep(50);
    const closed = server.shutdown();
    const res = await inFlight;
    expect(await res.text()).toBe('finished');
    await closed;
    await expect(fetch(base)).rejects.toThrow();
  });

  it('cuts requests that outlast the grace period', async () => {
    const server = await startNodeServer({
      fetch: async () => {
        await sleep(10_000);
        return new Response('too late');
      },
      port: 0,
      host: '127.0.0.1',
      logger,
      graceMs: 200,
    });
    const inFlight = fetch(`http://127.0.0.1:${server.port}`);
    await sleep(50);
    const started = performance.now();
    await server.shutdown();
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(inFlight).rejects.toThrow();
  });

  it('refuses to start on a port that is taken', async () => {
    const first = await startNodeServer({
      fetch: () => new Response(),
      port: 0,
      host: '127.0.0.1',
      logger,
    });
    await expect(
      startNodeServer({ fetch: () => new Response(), port: first.port, host: '127.0.0.1', logger }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.shutdown();
  });
});
