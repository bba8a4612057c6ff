import type { OpenAPIHono } from '@hono/zod-openapi';
import type { GatewayEnv } from '../../env.ts';
import { faviconIco, faviconSvg } from '../../portal/favicon.ts';

/** A day: the icon rarely changes, and a stale one harms nobody. */
const CACHE = 'public, max-age=86400';

/**
 * The site's icon: `/portal/assets/favicon.svg` for the pages' `<link rel="icon">`, and
 * `/favicon.ico`, which browsers ask for on their own and would otherwise get a 404 for.
 */
export function registerIcons(app: OpenAPIHono<GatewayEnv>): void {
  app.get('/portal/assets/favicon.svg', (c) => {
    c.header('Content-Type', 'image/svg+xml; charset=utf-8');
    c.header('Cache-Control', CACHE);
    return c.body(faviconSvg);
  });
  app.get('/favicon.ico', (c) => {
    c.header('Content-Type', 'image/x-icon');
    c.header('Cache-Control', CACHE);
    return c.body(faviconIco);
  });
}
