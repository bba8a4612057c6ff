import { OpenAPIHono } from '@hono/zod-openapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayEnv } from '../gateway/env.ts';
import { onError } from '../gateway/error-handler.ts';
import { createLogger } from '../gateway/logging.ts';
import { requestContext } from '../gateway/middleware/request-context.ts';
import { registerReady } from '../gateway/routes/ready.ts';
import { LogCollector, testGateway, type TestGateway } from './support/app.ts';

let gw: TestGateway;
beforeEach(async () => {
  gw = await testGateway();
});
afterEach(() => {
  gw.close();
});

describe('GET /ready', () => {
  it('answers 200 ready when storage answers', async () => {
    const res = await gw.app.request('/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('answers 503 storage_unavailable once storage is closed', async () => {
    gw.storage.close();
    const res = await gw.app.request('/ready');
    expect(res.status).toBe(503);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'storage_unavailable', status: 503 });
  });

  it('answers 503 storage_unavailable while the probe fails (migrations running)', async () => {
    const logs = new LogCollector();
    const app = new OpenAPIHono<GatewayEnv>();
    app.use(requestContext({ logger: createLogger({ level: 'info', destination: logs }) }));
    registerReady(app, {
      probe: () => Promise.reject(new Error('SQLITE_BUSY: migrating table consents')),
    });
    app.onError(onError);
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'storage_unavailable' });
    // The log says the type of what failed, never its message (which may quote data).
    expect(logs.text).toContain('not ready');
    expect(logs.text).not.toContain('migrating table');
  });

  it('is documented in OpenAPI with its 200 and 503 answers, beside /health', async () => {
    const spec = (await (await gw.app.request('/openapi.json')).json()) as {
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(spec.paths['/ready']?.get?.responses ?? {})).toEqual(['200', '503']);
    expect(spec.paths['/health']?.get).toBeDefined();
  });
});
