import { createRoute, z } from '@hono/zod-openapi';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../core/index.ts';
import { testGateway, type TestGateway } from '../test/support/app.ts';
import { contentSecurityPolicy } from './middleware/security-headers.ts';
import { sameSitePath } from './portal/layout.tsx';

let gw: TestGateway;
beforeEach(async () => {
  gw = await testGateway({ bodyLimit: 4096 });
  // A route of the shape later issues add, to drive the edge's validation and error handling.
  gw.app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/echo/{kind}',
      request: {
        params: z.object({ kind: z.enum(['a', 'b']) }),
        query: z.object({ limit: z.coerce.number().int().max(10).optional() }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({ name: z.string().min(1), items: z.array(z.number()) }),
            },
          },
        },
      },
      responses: { 200: { description: 'echo' } },
    }),
    (c) => c.json(c.req.valid('json'), 200),
  );
  gw.app.get('/v1/explode', () => {
    throw new Error('secret-internal-detail from the depths');
  });
  gw.app.get('/v1/explode-deliberately', () => {
    throw new GatewayError('internal_error', { detail: 'tenant koeln has no active signing key' });
  });
});
afterEach(() => {
  gw.close();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  gw.app.request(path, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

async function problem(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  return (await res.json()) as Record<string, unknown>;
}

describe('GET /health', () => {
  it('answers ok with the version and the storage check', async () => {
    const res = await gw.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      version: '0.0.0-test',
      time: '2026-11-25T10:00:00.000Z',
      checks: { storage: 'ok' },
    });
  });

  it('answers 503 storage_unavailable when the database is gone', async () => {
    gw.storage.close();
    const res = await gw.app.request('/health');
    expect(res.status).toBe(503);
    expect(await problem(res)).toMatchObject({ code: 'storage_unavailable', status: 503 });
  });
});

describe('problem+json for every refusal', () => {
  it('answers an unknown route with 404 not_found', async () => {
    const res = await gw.app.request('/v1/nothing-here');
    expect(res.status).toBe(404);
    const body = await problem(res);
    expect(body).toMatchObject({
      type: 'urn:consent-gateway:problem:not_found',
      title: 'Not found',
      status: 404,
      code: 'not_found',
    });
    expect(body['requestId']).toBe(res.headers.get('X-Request-Id'));
  });

  it('answers malformed JSON with 400 malformed_json without quoting the input', async () => {
    const res = await post('/v1/echo/a', '{"name": "canary-Zq81", ');
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body).toMatchObject({ code: 'malformed_json', status: 400 });
    expect(JSON.stringify(body)).not.toContain('canary-Zq81');
  });

  it('answers a body that is not declared as JSON with 415', async () => {
    const res = await post('/v1/echo/a', 'name=x', { 'Content-Type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(await problem(res)).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('accepts JSON nested 64 deep and refuses 65 with 400 validation_failed', async () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const ok = await post('/v1/echo/a', `{"name":"x","items":[],"deep":${nested(63)}}`);
    // 64 levels pass the depth check and reach the schema, which refuses the unknown key.
    expect(ok.status).toBe(422);
    const deep = await post('/v1/echo/a', `{"name":"x","items":[],"deep":${nested(64)}}`);
    expect(deep.status).toBe(400);
    expect(await problem(deep)).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '', message: 'nesting deeper than 64 levels' }],
    });
  });

  it('ignores brackets inside strings when measuring depth', async () => {
    const res = await post('/v1/echo/a', JSON.stringify({ name: '['.repeat(200), items: [1] }));
    expect(res.status).toBe(200);
  });

  it('answers a schema failure with 422 validation_failed listing every issue', async () => {
    const res = await post('/v1/echo/a', JSON.stringify({ name: '', items: [1, 'two'], extra: 1 }));
    expect(res.status).toBe(422);
    const body = await problem(res);
    expect(body['code']).toBe('validation_failed');
    const errors = body['errors'] as { path: string; message: string }[];
    expect(errors.map((e) => e.path).sort()).toEqual(['', '/items/1', '/name']);
    for (const error of errors) expect(error.message).toMatch(/\w/);
  });

  it('says where a failing query or path parameter is', async () => {
    const body = JSON.stringify({ name: 'x', items: [] });
    const query = await problem(await post('/v1/echo/a?limit=50', body));
    expect(query).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '/limit', in: 'query', message: expect.any(String) as string }],
    });
    const path = await problem(await post('/v1/echo/c', body));
    expect(path).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '/kind', in: 'path', message: expect.any(String) as string }],
    });
  });

  it('answers a valid request normally', async () => {
    const res = await post('/v1/echo/b?limit=3', JSON.stringify({ name: 'x', items: [1, 2] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'x', items: [1, 2] });
  });

  it('refuses a body over the limit by its Content-Length with 413', async () => {
    const res = await post('/v1/echo/a', JSON.stringify({ name: 'x'.repeat(5000), items: [] }));
    expect(res.status).toBe(413);
    expect(await problem(res)).toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('refuses a chunked body over the limit before reading it whole', async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 100) controller.close();
        else controller.enqueue(chunk);
      },
    });
    // Node's fetch needs duplex for a streamed body; the DOM typings do not know it yet.
    const init: RequestInit & { duplex: 'half' } = {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      duplex: 'half',
    };
    const res = await gw.app.request('/v1/echo/a', init);
    expect(res.status).toBe(413);
    expect(await problem(res)).toMatchObject({ code: 'payload_too_large' });
    // 4 KiB limit, 1 KiB chunks: it stops after the fifth, far from the hundred on offer.
    expect(pulled).toBeLessThan(10);
  });

  it('answers an unexpected failure with 500, the request id and nothing internal', async () => {
    const res = await gw.app.request('/v1/explode');
    expect(res.status).toBe(500);
    const body = await problem(res);
    expect(body).toEqual({
      type: 'urn:consent-gateway:problem:internal_error',
      title: 'Internal error',
      status: 500,
      code: 'internal_error',
      requestId: res.headers.get('X-Request-Id'),
    });
    expect(JSON.stringify(body)).not.toMatch(/secret-internal-detail|at |\.ts/);
    const logged = gw.logs.entries.find((entry) => entry['msg'] === 'unexpected error');
    expect(logged).toMatchObject({ errorType: 'Error', requestId: body['requestId'] });
    expect(gw.logs.text).not.toContain('secret-internal-detail');
  });
});

describe('refusal pages for a browser', () => {
  const browser = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  it('link nowhere off-site, whatever path was asked for', async () => {
    for (const path of [
      '//evil.example',
      '/\\evil.example',
      '/%5Cevil.example',
      '/%09/evil.example',
      '//evil.example/portal/help',
    ]) {
      const res = await gw.app.request(path, { headers: browser });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      const hrefs = [...(await res.text()).matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
      expect(hrefs.length, path).toBeGreaterThan(0);
      for (const href of hrefs) {
        expect(href, path).not.toMatch(/^\/\/|evil/);
      }
    }
  });

  it('frame only plain same-site paths: anything else becomes /portal', () => {
    expect(sameSitePath('/portal/help?lang=de')).toBe('/portal/help?lang=de');
    for (const path of [
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '',
    ]) {
      expect(sameSitePath(path), JSON.stringify(path)).toBe('/portal');
    }
  });
});

describe('the portal assets', () => {
  it('are served without reading storage: an icon costs no tenant read', async () => {
    const list = vi.spyOn(gw.storage.tenants, 'list');
    for (const path of ['/portal/assets/favicon.svg', '/portal/assets/portal.css']) {
      expect((await gw.app.request(path)).status, path).toBe(200);
    }
    expect(list).not.toHaveBeenCalled();
  });
});

describe('server-side refusals', () => {
  it('keep their detail in the log and out of the answer', async () => {
    const res = await gw.app.request('/v1/explode-deliberately');
    expect(res.status).toBe(500);
    const body = await problem(res);
    expect(body).not.toHaveProperty('detail');
    expect(JSON.stringify(body)).not.toContain('signing key');
    expect(gw.logs.entries.find((e) => e['msg'] === 'server error')).toMatchObject({
      code: 'internal_error',
      detail: 'tenant koeln has no active signing key',
    });
  });
});

describe('security headers', () => {
  it('marks API answers no-store and no-sniff, with a strict CSP', async () => {
    for (const path of ['/health', '/v1/nothing-here', '/openapi.json']) {
      const res = await gw.app.request(path);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicy);
      expect(res.headers.get('X-Frame-Options')).toBe('DENY');
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    }
  });

  it('sends a CSP without inline scripts or styles on HTML pages', async () => {
    const res = await gw.app.request('/docs');
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(await res.text()).not.toMatch(/<script>(?!<\/script>)|<style|style=/);
  });

  it('adds HSTS only when the public URL is https', async () => {
    expect((await gw.app.request('/health')).headers.get('Strict-Transport-Security')).toBeNull();
    const tls = await testGateway({ publicUrl: 'https://gateway.example' });
    try {
      const res = await tls.app.request('/health');
      expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d+/);
    } finally {
      tls.close();
    }
  });
});

describe('API description', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await gw.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/health']?.['get']?.responses).toHaveProperty('200');
    expect(doc.paths['/health']?.['get']?.responses).toHaveProperty('503');
    expect(doc.components.schemas).toHaveProperty('Problem');
    expect(doc.components.schemas).toHaveProperty('Health');
  });

  it('serves the interactive reference and its assets from the gateway itself', async () => {
    const html = await (await gw.app.request('/docs')).text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset.startsWith('/'), `${asset} is served locally`).toBe(true);
      const res = await gw.app.request(asset);
      expect(res.status, asset).toBe(200);
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    const init = await (await gw.app.request('/docs/init.js')).text();
    expect(init).toContain("url: '/openapi.json'");
    expect(init).toContain('validatorUrl: null');
  });

  it('serves only the known asset names', async () => {
    for (const name of ['package.json', '..%2Fpackage.json', 'index.html']) {
      expect((await gw.app.request(`/docs/assets/${name}`)).status).toBe(404);
    }
  });
});
