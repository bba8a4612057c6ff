import type { ConsentDeps } from '../consent/index.ts';
import type { GatewayApp, GatewayDeps } from './app.ts';
import { throttledSignIn } from './portal/sign-in.ts';
import { SignInThrottle } from './portal/sign-in-throttle.ts';
import { registerPortalApi } from './routes/portal-api.ts';
import { registerPortalPages } from './routes/portal-pages.tsx';
import { registerIcons } from './routes/portal/icons.ts';

/** The portal where people answer consent requests: its API, its pages and their icons. */
export function registerPortal(app: GatewayApp, deps: GatewayDeps, consent: ConsentDeps): void {
  const portal = {
    consent,
    https: deps.config.publicUrl.startsWith('https:'),
    signIn: throttledSignIn(
      consent,
      new SignInThrottle({
        limit: deps.signInThrottle?.limit ?? 10,
        windowMs: deps.signInThrottle?.windowMs ?? 15 * 60_000,
        clock: deps.clock,
      }),
      deps.clientAddress ?? (() => undefined),
    ),
  };
  registerPortalApi(app, portal);
  registerPortalPages(app, { ...portal, eid: deps.eid, portalTenant: deps.portalTenant });
  registerIcons(app);
}
