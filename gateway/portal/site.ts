import type { Context, MiddlewareHandler } from 'hono';
import { portalTenant, supervisoryAuthorityOf, type TenantStore } from '../../tenants/index.ts';
import type { GatewayEnv } from '../env.ts';
import { reportUnexpected } from '../error-handler.ts';
import type { PortalSite } from './legal/pages.tsx';

/** The municipality whose site the portal is, read at most once per request. */
export interface PortalSites {
  /** Reads it (see `portalTenant`); undefined while the gateway has no tenant. */
  readonly site: (c: Context<GatewayEnv>) => Promise<PortalSite | undefined>;
  /** What `withSite` or `site` read for this request, without waiting; undefined before that. */
  readonly loaded: (c: Context<GatewayEnv>) => PortalSite | undefined;
  /**
   * Reads the site before a page is built, so the frame can name it. The constant assets
   * (`/portal/assets/*`) name nobody and skip it: an icon must not cost a storage read.
   */
  readonly withSite: MiddlewareHandler<GatewayEnv>;
}

/**
 * The portal's site per request, keyed on its context: the profile may change under a running
 * gateway (the CLI writes it), and one read per page costs less than keeping a cache right.
 */
export function portalSites(tenants: TenantStore, chosen?: string): PortalSites {
  const sites = new WeakMap<Context<GatewayEnv>, Promise<PortalSite | undefined>>();
  const loaded = new WeakMap<Context<GatewayEnv>, PortalSite>();
  const site = (c: Context<GatewayEnv>): Promise<PortalSite | undefined> => {
    let known = sites.get(c);
    if (known === undefined) {
      known = portalTenant(tenants, chosen).then((tenant) => {
        if (tenant === undefined) return undefined;
        const found: PortalSite = {
          name: tenant.displayName,
          profile: tenant.profile ?? {},
          authority: supervisoryAuthorityOf(tenant),
        };
        loaded.set(c, found);
        return found;
      });
      sites.set(c, known);
    }
    return known;
  };
  const withSite: MiddlewareHandler<GatewayEnv> = async function withSite(c, next) {
    if (c.req.path.startsWith('/portal/assets/')) return next();
    try {
      await site(c);
    } catch (error) {
      // The page still comes, without the name in its header; a page that needs the profile
      // asks again and fails on its own.
      sites.delete(c);
      reportUnexpected(c, error);
    }
    await next();
  };
  return { site, loaded: (c) => loaded.get(c), withSite };
}
