import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { GatewayEnv } from './env.ts';
import { answerWrongMethods, onError, onNotFound } from './error-handler.ts';

const appWith = () => {
  const app = new Hono<GatewayEnv>();
  app.get('/things', (c) => c.json([]));
  app.post('/things', (c) => c.json({}, 201));
  app.post('/things/:id/done', (c) => c.body(null, 204));
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
};

describe('answerWrongMethods', () => {
  it('answers a known path under another method with 405 and Allow; unknown paths stay 404', async () => {
    const app = appWith();
    answerWrongMethods(app);
    const wrong = await app.request('/things', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('Allow')).toBe('GET, HEAD, POST');
    expect(wrong.headers.get('Content-Type')).toContain('application/problem+json');
    expect(await wrong.json()).toMatchObject({ code: 'method_not_allowed', status: 405 });
    const done = await app.request('/things/t_1/done', { method: 'GET' });
    expect(done.status).toBe(405);
    expect(done.headers.get('Allow')).toBe('POST');
    expect((await app.request('/things', { method: 'POST' })).status).toBe(201);
    expect((await app.request('/things', { method: 'HEAD' })).status).toBe(200);
    expect((await app.request('/nothing', { method: 'DELETE' })).status).toBe(404);
  });

  it('adds nothing for a path it already covers, and refuses a path without routes', () => {
    const app = appWith();
    answerWrongMethods(app, ['/things']);
    const routes = app.routes.length;
    answerWrongMethods(app, ['/things']);
    expect(app.routes).toHaveLength(routes);
    expect(() => {
      answerWrongMethods(app, ['/nowhere']);
    }).toThrow(/no route/);
  });
});
