import type { OpenAPIHono } from '@hono/zod-openapi';
import type { GatewayEnv } from '../env.ts';
import { isLanguage } from '../portal/i18n.ts';
import { portalKit, type PortalPagesOptions } from '../portal/kit.tsx';
import { portalCss } from '../portal/style.ts';
import { registerConsentPages } from './portal/consent-pages.tsx';
import { registerEidPages } from './portal/eid-pages.tsx';
import { registerLegalPages } from './portal/legal-pages.tsx';
import { registerRequestPages } from './portal/request-pages.tsx';
import { registerSignInPages } from './portal/sign-in-pages.tsx';

export type { PortalPagesOptions } from '../portal/kit.tsx';

/**
 * The person's portal: server-rendered pages on the same consent operations as the JSON API.
 * Plain HTML forms, no script: it works without JavaScript, under a CSP that allows no inline
 * code, and after sign-in no code or identifier ever appears in a URL (the session is a cookie,
 * pages are addressed by opaque ids).
 */
export function registerPortalPages(
  app: OpenAPIHono<GatewayEnv>,
  options: PortalPagesOptions,
): void {
  const kit = portalKit(options);

  app.get('/portal/assets/portal.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(portalCss);
  });

  // Before every page, whose header names the municipality; the assets (also the icon, registered
  // later in registerIcons) skip it.
  app.use('/portal', kit.withSite);
  app.use('/portal/*', kit.withSite);

  app.get(
    '/portal',
    kit.page(async (c) => {
      const query = c.req.query('lang');
      const suffix = isLanguage(query) ? `?lang=${query}` : '';
      const person = await kit.signedIn(c);
      return c.redirect(`${person ? '/portal/consents' : '/portal/sign-in'}${suffix}`, 303);
    }),
  );

  registerSignInPages(app, kit);
  registerEidPages(app, kit);
  registerRequestPages(app, kit);
  registerConsentPages(app, kit);
  registerLegalPages(app, kit);
}
