import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LogCollector, testGateway } from '../test/support/app.ts';
import { createLogger } from './logging.ts';
import { startNodeServer } from './node-server.ts';

const logger = createLogger({ level: 'silent', destination: new LogCollector() });

/** Writes `text` on a raw connection; resolves with what came back once the server closed it. */
async function exchangeRaw(
  port: number,
  text: string,
  waitMs = 5_000,
): Promise<{ answer: string; closedAfterMs: number }> {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = performance.now();
  socket.write(text);
  await Promise.race([closed, sleep(waitMs)]);
  socket.destroy();
  return { answer, closedAfterMs: performance.now() - started };
}
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

  it('answers 408 to headers that do not arrive within the configured time, logged as a timeout', async () => {
    const logs = new LogCollector();
    const server = await startNodeServer({
      fetch: () => new Response('never'),
      port: 0,
      host: '127.0.0.1',
      logger: createLogger({ level: 'info', destination: logs }),
      headersTimeoutMs: 400,
      requestTimeoutMs: 2_000,
    });
    try {
      const { answer, closedAfterMs } = await exchangeRaw(
        server.port,
        'GET /health HTTP/1.1\r\nHost: gateway\r\n',
      );
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      // The configured 400 ms (checked every 200 ms), not after Node's default 30 s check interval.
      expect(closedAfterMs).toBeLessThan(3_000);
      expect(logs.entries).toEqual([
        expect.objectContaining({ level: 'info', msg: 'request timeout', headersTimeout: 400 }),
      ]);
    } finally {
      await server.shutdown();
    }
  });

  it('answers 408 to a body that does not arrive whole within the request timeout', async () => {
    const logs = new LogCollector();
    const server = await startNodeServer({
      fetch: async (request) => new Response(await request.text()),
      port: 0,
      host: '127.0.0.1',
      logger: createLogger({ level: 'info', destination: logs }),
      headersTimeoutMs: 400,
      requestTimeoutMs: 800,
    });
    try {
      const { answer, closedAfterMs } = await exchangeRaw(
        server.port,
        'POST /v1/exchanges HTTP/1.1\r\nHost: gateway\r\nContent-Length: 100\r\n\r\n{"a":',
      );
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(closedAfterMs).toBeLessThan(4_000);
      expect(logs.entries).toContainEqual(
        expect.objectContaining({ level: 'info', msg: 'request timeout' }),
      );
      expect(logs.entries.filter((entry) => entry['level'] === 'error')).toEqual([]);
    } finally {
      await server.shutdown();
    }
  });

  it('answers 400 to a request it cannot parse, logged as malformed, not as an error', async () => {
    const logs = new LogCollector();
    const server = await startNodeServer({
      fetch: () => new Response('never'),
      port: 0,
      host: '127.0.0.1',
      logger: createLogger({ level: 'info', destination: logs }),
    });
    try {
      const { answer } = await exchangeRaw(server.port, 'NOT HTTP AT ALL\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(logs.entries).toEqual([
        expect.objectContaining({ level: 'info', msg: 'malformed request' }),
      ]);
    } finally {
      await server.shutdown();
    }
  });

  it('refuses a request timeout shorter than the header timeout at start', () => {
    expect(() =>
      startNodeServer({
        fetch: () => new Response(),
        port: 0,
        host: '127.0.0.1',
        logger,
        headersTimeoutMs: 2_000,
        requestTimeoutMs: 1_000,
      }),
    ).toThrow(RangeError);
  });

  // @hono/node-server aborts the request's signal when the client hangs up; the error handler
  // reads that, so the log tells a hang-up from a fault.
  it('logs a client that hangs up mid-body as having closed the request, not as an unexpected error', async () => {
    const gw = await testGateway();
    gw.app.post('/v1/echo', async (c) => c.text(await c.req.text()));
    const server = await startNodeServer({
      fetch: gw.app.fetch,
      port: 0,
      host: '127.0.0.1',
      logger,
    });
    try {
      await exchangeRaw(
        server.port,
        'POST /v1/echo HTTP/1.1\r\nHost: gateway\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nhalf',
        200,
      );
      await sleep(300);
      expect(gw.logs.entries).toContainEqual(
        expect.objectContaining({ level: 'info', msg: 'client closed the request' }),
      );
      expect(gw.logs.entries.filter((entry) => entry['level'] === 'error')).toEqual([]);
    } finally {
      await server.shutdown();
      gw.close();
    }
  });
});
