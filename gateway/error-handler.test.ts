import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/index.ts';
import type { GatewayEnv } from './env.ts';
import { answerWrongMethods, onError, onNotFound } from './error-handler.ts';
import { prefersHtml } from './portal/problem-page.tsx';

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

describe('answers for browsers', () => {
  const browser = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  it('tells a browser’s Accept from an API client’s', () => {
    expect(prefersHtml(browser.Accept)).toBe(true);
    expect(prefersHtml('text/html')).toBe(true);
    expect(prefersHtml('application/json, text/html;q=0.5')).toBe(false);
    expect(prefersHtml('application/json')).toBe(false);
    expect(prefersHtml('application/problem+json')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('text/html;q=0')).toBe(false);
    expect(prefersHtml('text/html, application/json')).toBe(true);
    expect(prefersHtml('application/json, text/html')).toBe(false);
  });

  it('answers an unknown path with a page for a browser and problem+json for a client', async () => {
    const app = appWith();
    const page = await app.request('/nothing', {
      headers: { ...browser, 'Accept-Language': 'ar' },
    });
    expect(page.status).toBe(404);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<a href="/portal">');
    const json = await app.request('/nothing', { headers: { Accept: 'application/json' } });
    expect(json.headers.get('Content-Type')).toBe('application/problem+json');
  });

  it('keeps a refusal’s status and Retry-After on the page, and never its detail', async () => {
    const app = appWith();
    app.get('/busy', () => {
      throw new GatewayError('rate_limited', { detail: 'bucket send of p_1', retryAfter: 7 });
    });
    const res = await app.request('/busy', { headers: browser });
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toBe('7');
    const html = await res.text();
    expect(html).toContain('Es gab zu viele Anfragen.');
    expect(html).not.toContain('bucket');
  });

  it('sends a browser from / to the portal and anyone from /portal/ to /portal', async () => {
    const app = appWith();
    const root = await app.request('/', { headers: browser });
    expect(root.status).toBe(303);
    expect(root.headers.get('Location')).toBe('/portal');
    expect((await app.request('/')).status).toBe(404);
    const slash = await app.request('/portal/?lang=fa');
    expect(slash.status).toBe(301);
    expect(slash.headers.get('Location')).toBe('/portal?lang=fa');
    expect((await app.request('/portal/', { method: 'POST' })).status).toBe(404);
  });
});
