import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogCollector, testGateway, type TestGateway } from '../test/support/app.ts';
import { createLogger, droppingDestination, lazyChild } from './logging.ts';

describe('request log', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await testGateway();
    gw.app.get('/v1/things/:id', (c) => c.json({ ok: true }));
  });
  afterEach(() => {
    gw.close();
  });

  it('writes one JSON line per request with method, route pattern, status, duration and id', async () => {
    const res = await gw.app.request('/v1/things/4711?x=1');
    const lines = gw.logs.entries.filter((entry) => entry['msg'] === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/v1/things/:id',
      status: 200,
      requestId: res.headers.get('X-Request-Id'),
    });
    expect(typeof lines[0]?.['durationMs']).toBe('number');
  });

  it('logs the route as unmatched when nothing answered, never the path', async () => {
    await gw.app.request('/v1/unknown/AZR-canary-77');
    const line = gw.logs.entries.find((entry) => entry['msg'] === 'request');
    expect(line).toMatchObject({ route: '(unmatched)', status: 404 });
    expect(gw.logs.text).not.toContain('canary');
  });

  it('never logs credentials, cookies, query strings, path ids or bodies', async () => {
    await gw.app.request(
      '/v1/things/SUBJ-canary-1?subject.value=SUBJ-canary-2&code=CODE-canary-3',
      {
        headers: { Authorization: 'Bearer TOKEN-canary-4', Cookie: 'session=COOKIE-canary-5' },
      },
    );
    await gw.app.request('/v1/things/1', {
      method: 'POST',
      body: JSON.stringify({ payload: 'PAYLOAD-canary-6' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(gw.logs.lines.length).toBeGreaterThanOrEqual(2);
    expect(gw.logs.text).not.toMatch(/canary/);
  });

  it('uses its own request id, not one the caller sends', async () => {
    const res = await gw.app.request('/health', { headers: { 'X-Request-Id': 'forged-id' } });
    expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(gw.logs.text).not.toContain('forged-id');
  });
});

describe('redaction', () => {
  it('censors sensitive fields at the top level and nested two deep', () => {
    const logs = new LogCollector();
    const log = createLogger({ level: 'info', destination: logs });
    log.info(
      {
        authorization: 'Bearer canary-a',
        subject: { scheme: 'azr', value: 'canary-b' },
        req: { headers: { cookie: 'canary-c', authorization: 'canary-d' } },
        exchange: { payload: 'canary-e', secondFactor: 'canary-f' },
        consent: { oneTimeCode: 'canary-g' },
        keep: 'visible',
      },
      'test',
    );
    expect(logs.text).not.toContain('canary');
    expect(logs.entries[0]).toMatchObject({ keep: 'visible', authorization: '[redacted]' });
  });

  it('writes nothing below the configured level', () => {
    const logs = new LogCollector();
    createLogger({ level: 'warn', destination: logs }).info('quiet');
    expect(logs.lines).toEqual([]);
  });
});

describe('droppingDestination', () => {
  /** A target whose reader is stalled until `drain()`: it keeps what it was handed. */
  function stalledTarget() {
    const lines: string[] = [];
    let pending = 0;
    return {
      lines,
      write(chunk: string) {
        lines.push(chunk);
        pending += chunk.length;
        return false;
      },
      get writableLength() {
        return pending;
      },
      drain() {
        pending = 0;
      },
    };
  }

  it('drops and counts lines while more than the bound waits for the reader', () => {
    const target = stalledTarget();
    const destination = droppingDestination(target, 100);
    const log = createLogger({ level: 'info', destination });
    for (let i = 0; i < 50; i++) log.info({ i }, 'busy');
    expect(target.writableLength).toBeLessThan(100 + 200);
    expect(destination.dropped()).toBeGreaterThan(45);
    expect(target.lines.length + destination.dropped()).toBe(50);
  });

  it('reports the dropped lines once the reader caught up, before the next line', () => {
    const target = stalledTarget();
    const destination = droppingDestination(target, 100);
    const log = createLogger({ level: 'info', destination });
    for (let i = 0; i < 10; i++) log.info('busy');
    const dropped = destination.dropped();
    expect(dropped).toBeGreaterThan(0);
    const before = target.lines.length;
    target.drain();
    log.info('after');
    const [report, next] = target.lines
      .slice(before)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(report).toMatchObject({ level: 'warn', msg: 'log lines dropped', dropped });
    expect(next).toMatchObject({ msg: 'after' });
    target.drain();
    log.info('later');
    expect(target.lines.at(-1)).toContain('"msg":"later"');
    expect(target.lines.filter((line) => line.includes('log lines dropped'))).toHaveLength(1);
  });

  it('drops nothing while the reader keeps up', () => {
    const lines: string[] = [];
    const destination = droppingDestination({
      write: (chunk) => lines.push(chunk) > 0,
      writableLength: 0,
    });
    const log = createLogger({ level: 'info', destination });
    for (let i = 0; i < 1000; i++) log.info('fine');
    expect(lines).toHaveLength(1000);
    expect(destination.dropped()).toBe(0);
  });
});

describe('lazyChild', () => {
  it('makes the child on first use only, with its bindings, redacted, and chains', () => {
    const logs = new LogCollector();
    const root = createLogger({ level: 'info', destination: logs });
    let made = 0;
    const counting = new Proxy(root, {
      get(target, property) {
        if (property === 'child') made++;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const request = lazyChild(counting, { requestId: 'r1' });
    const tenant = lazyChild(request, { tenant: 'koeln', authorization: 'canary' });
    expect(made).toBe(0);
    tenant.warn({ code: 'x' }, 'rate limited');
    expect(made).toBe(1);
    expect(logs.entries[0]).toMatchObject({
      requestId: 'r1',
      tenant: 'koeln',
      code: 'x',
      msg: 'rate limited',
      level: 'warn',
    });
    expect(logs.text).not.toContain('canary');
    // The level is the parent's, read and set through the child as pino's own child would.
    expect(tenant.level).toBe('info');
    tenant.level = 'error';
    tenant.warn('quiet');
    expect(logs.lines).toHaveLength(1);
  });
});
