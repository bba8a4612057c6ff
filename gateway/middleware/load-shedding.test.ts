import { Hono, type Context } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../core/index.ts';
import { LogCollector, testGateway, type TestGateway } from '../../test/support/app.ts';
import type { GatewayEnv } from '../env.ts';
import { onError } from '../error-handler.ts';
import { createLogger } from '../logging.ts';
import { DEFAULT_MAX_INFLIGHT, shedLoad } from './load-shedding.ts';
import { requestContext } from './request-context.ts';

/**
 * A route that holds every request until released, and says when a number of them are inside:
 * the test then knows they are in flight without waiting for any time to pass.
 */
class Hold {
  entered = 0;
  #release: () => void = () => undefined;
  readonly #released = new Promise<void>((resolve) => {
    this.#release = resolve;
  });
  readonly #waiting: { count: number; resolve: () => void }[] = [];

  readonly handler = async (c: Context<GatewayEnv>): Promise<Response> => {
    this.entered++;
    for (const waiter of this.#waiting) if (this.entered >= waiter.count) waiter.resolve();
    await this.#released;
    return c.json({ held: true });
  };

  untilEntered(count: number): Promise<void> {
    if (this.entered >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push({ count, resolve }));
  }

  release(): void {
    this.#release();
  }
}

/** `app.request` may answer at once or later; this is always later. */
const answered = (res: Response | Promise<Response>): Promise<Response> => Promise.resolve(res);

async function problem(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  return (await res.json()) as Record<string, unknown>;
}

const gateways: TestGateway[] = [];
afterEach(() => {
  for (const gw of gateways.splice(0)) gw.close();
});

/** The real app on real SQLite, bounded to `maxInflight`, with a held route at `/v1/hold`. */
async function boundedGateway(maxInflight: number): Promise<{ gw: TestGateway; hold: Hold }> {
  const gw = await testGateway({ maxInflight });
  gateways.push(gw);
  const hold = new Hold();
  gw.app.get('/v1/hold', hold.handler);
  return { gw, hold };
}

describe('load shedding in the gateway', () => {
  it('bounds the requests in flight by default', () => {
    expect(DEFAULT_MAX_INFLIGHT).toBe(64);
  });

  it('answers 503 overloaded with Retry-After once the bound is reached, without reading the body', async () => {
    const { gw, hold } = await boundedGateway(2);
    const held = [gw.app.request('/v1/hold'), gw.app.request('/v1/hold')].map(answered);
    await hold.untilEntered(2);

    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          controller.enqueue(new TextEncoder().encode('{"recipient":"jc-koeln"}'));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const send = new Request('http://localhost/v1/exchanges', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x.y.z' },
      body,
      duplex: 'half',
    } as RequestInit);
    const res = await gw.app.request(send);

    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('1');
    const answer = await problem(res);
    expect(answer).toMatchObject({
      type: 'urn:consent-gateway:problem:overloaded',
      title: 'Gateway overloaded, try again shortly',
      status: 503,
      code: 'overloaded',
    });
    expect(answer['requestId']).toBe(res.headers.get('X-Request-Id'));
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(pulls).toBe(0);
    expect(send.bodyUsed).toBe(false);

    hold.release();
    for (const res of await Promise.all(held)) expect(res.status).toBe(200);
  });

  it('lets requests in again once those in flight are done', async () => {
    const { gw, hold } = await boundedGateway(1);
    const held = gw.app.request('/v1/hold');
    await hold.untilEntered(1);
    expect((await gw.app.request('/v1/policy')).status).toBe(503);

    hold.release();
    expect((await held).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await gw.app.request('/v1/policy')).status).toBe(200);
  });

  it('frees the slot of a handler that throws', async () => {
    const { gw } = await boundedGateway(1);
    gw.app.get('/v1/explode', () => {
      throw new Error('broken on purpose');
    });
    for (let i = 0; i < 3; i++) expect((await gw.app.request('/v1/explode')).status).toBe(500);
    expect((await gw.app.request('/v1/policy')).status).toBe(200);
  });

  it('frees the slot of a request whose client went away', async () => {
    const { gw } = await boundedGateway(1);
    const inside = new Hold();
    gw.app.get('/v1/abandoned', async (c) => {
      const signal = c.req.raw.signal;
      const gone = new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => {
          reject(new Error('client closed the request'));
        });
      });
      await Promise.all([inside.handler(c), gone]);
      return c.body(null, 204);
    });
    const client = new AbortController();
    const abandoned = gw.app.request(
      new Request('http://localhost/v1/abandoned', { signal: client.signal }),
    );
    await inside.untilEntered(1);
    expect((await gw.app.request('/v1/policy')).status).toBe(503);

    client.abort();
    expect((await abandoned).status).toBe(499);
    expect((await gw.app.request('/v1/policy')).status).toBe(200);
  });

  it('never sheds GET /health, and does not count it', async () => {
    const { gw, hold } = await boundedGateway(1);
    const healthChecks = Array.from({ length: 5 }, () => answered(gw.app.request('/health')));
    const held = gw.app.request('/v1/hold');
    await hold.untilEntered(1);
    for (const res of await Promise.all(healthChecks)) expect(res.status).toBe(200);
    expect((await gw.app.request('/health')).status).toBe(200);
    expect((await gw.app.request('/v1/policy')).status).toBe(503);
    hold.release();
    await held;
  });

  it('answers a portal page with a page in the person’s language, and still serves its stylesheet', async () => {
    const { gw, hold } = await boundedGateway(1);
    const held = gw.app.request('/v1/hold');
    await hold.untilEntered(1);

    const page = await gw.app.request('/portal/sign-in?code=AAAA-BBBB-CCCC', {
      headers: { 'Accept-Language': 'tr-TR,tr;q=0.9' },
    });
    expect(page.status).toBe(503);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(page.headers.get('Retry-After')).toBe('1');
    const html = await page.text();
    expect(html).toContain('<html lang="tr"');
    expect(html).toContain('Portal şu anda çok yoğun.');
    expect(html).toContain(page.headers.get('X-Request-Id') ?? 'missing');
    expect(html).not.toContain('AAAA-BBBB-CCCC');

    const form = await gw.app.request('/portal/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'code=AAAA-BBBB-CCCC&secondFactor=1990-01-31',
    });
    expect(form.status).toBe(503);
    expect(await form.text()).toContain('Das Portal ist gerade überlastet.');

    expect((await gw.app.request('/portal/assets/portal.css')).status).toBe(200);
    hold.release();
    await held;
  });

  it('logs the number of shed requests at most once a second, and no line for each', async () => {
    const { gw, hold } = await boundedGateway(1);
    const held = gw.app.request('/v1/hold');
    await hold.untilEntered(1);
    const shedLines = () => gw.logs.entries.filter((entry) => entry['msg'] === 'requests shed');

    for (let i = 0; i < 5; i++) expect((await gw.app.request('/v1/policy')).status).toBe(503);
    // The first refusal is told at once; the next four wait for a second to have passed.
    expect(shedLines()).toEqual([
      expect.objectContaining({ level: 'warn', shed: 1, maxInflight: 1 }),
    ]);

    gw.clock.advance(1000);
    hold.release();
    expect((await held).status).toBe(200);
    // A finished request reports what was refused since, so the count is not left behind.
    expect(shedLines().map((line) => line['shed'])).toEqual([1, 4]);
    expect(
      gw.logs.entries.filter((entry) => entry['msg'] === 'request' && entry['status'] === 503),
    ).toEqual([]);
    for (const line of shedLines()) {
      expect(Object.keys(line).sort()).toEqual(Object.keys(shedLines()[0] ?? {}).sort());
      expect(line).not.toHaveProperty('route');
      expect(line).not.toHaveProperty('requestId');
    }
  });

  it('documents 503 overloaded on every operation but GET /health', async () => {
    const { gw } = await boundedGateway(DEFAULT_MAX_INFLIGHT);
    const doc = (await (await gw.app.request('/openapi.json')).json()) as {
      info: { description: string };
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    expect(doc.info.description).toContain('503 `overloaded`');
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(20);
    for (const { path, method, operation } of operations) {
      const answer = operation.responses['503']?.description ?? '';
      if (path === '/health') expect(answer).not.toContain('overloaded');
      else expect(answer, `${method.toUpperCase()} ${path}`).toContain('`overloaded`');
    }
  });
});

describe('shedLoad', () => {
  /** A bare Hono app with only the request context and the middleware. */
  function bareApp(options: {
    maxInflight: number;
    retryAfterSeconds?: number;
    waitForTurn?: () => Promise<void>;
  }) {
    const logs = new LogCollector();
    const logger = createLogger({ level: 'info', destination: logs });
    const app = new Hono<GatewayEnv>();
    app.use(requestContext({ logger }));
    app.use(shedLoad({ ...options, logger, clock: new FixedClock('2026-11-25T10:00:00Z') }));
    const hold = new Hold();
    app.get('/hold', hold.handler);
    app.get('/', (c) => c.text('ok'));
    app.onError(onError);
    return { app, hold, logs };
  }

  it('tells the client the configured number of seconds to wait', async () => {
    const { app, hold } = bareApp({ maxInflight: 1, retryAfterSeconds: 5 });
    const held = app.request('/hold');
    await hold.untilEntered(1);
    const res = await app.request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('5');
    expect(await problem(res)).toMatchObject({ code: 'overloaded' });
    hold.release();
    expect((await held).status).toBe(200);
    expect((await app.request('/')).status).toBe(200);
  });

  it('admits exactly the bound: the last one in, the next one out', async () => {
    const { app, hold } = bareApp({ maxInflight: 3 });
    const held = [app.request('/hold'), app.request('/hold'), app.request('/hold')].map(answered);
    await hold.untilEntered(3);
    expect((await app.request('/')).status).toBe(503);
    hold.release();
    for (const res of await Promise.all(held)) expect(res.status).toBe(200);
  });

  it('makes requests wait for a turn only past half the bound, counting them in flight meanwhile', async () => {
    let turns = 0;
    let letIn: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      letIn = resolve;
    });
    const { app, hold } = bareApp({
      maxInflight: 4,
      waitForTurn: () => {
        turns++;
        return gate;
      },
    });
    const held = [app.request('/hold'), app.request('/hold')].map(answered);
    await hold.untilEntered(2);
    expect(turns).toBe(0);
    // The third and fourth are past half the bound: they wait for a turn, holding their slots.
    const waiting = [app.request('/'), app.request('/')].map(answered);
    expect(turns).toBe(2);
    // The fifth is shed at once, without a turn.
    expect((await app.request('/')).status).toBe(503);
    expect(turns).toBe(2);
    letIn();
    for (const res of await Promise.all(waiting)) expect(res.status).toBe(200);
    hold.release();
    for (const res of await Promise.all(held)) expect(res.status).toBe(200);
    expect((await app.request('/')).status).toBe(200);
    expect(turns).toBe(2);
  });

  it.each([
    [{ maxInflight: 0 }],
    [{ maxInflight: 1.5 }],
    [{ maxInflight: Number.NaN }],
    [{ maxInflight: 8, retryAfterSeconds: 0 }],
    [{ maxInflight: 8, retryAfterSeconds: 0.5 }],
  ])('refuses the options %j when created', (options) => {
    const logger = createLogger({ level: 'silent', destination: new LogCollector() });
    expect(() =>
      shedLoad({ ...options, logger, clock: new FixedClock('2026-11-25T10:00:00Z') }),
    ).toThrow(RangeError);
  });
});
