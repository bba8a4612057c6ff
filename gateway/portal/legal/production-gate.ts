import type { Context, MiddlewareHandler } from 'hono';
import { GatewayError, type Clock } from '../../../core/index.ts';
import { portalProfileState, type TenantStore } from '../../../tenants/index.ts';
import type { GatewayEnv } from '../../env.ts';
import { portalNotReadyLine } from './profile-notice.ts';

/** At most one log line per interval, however many people knock on the closed portal. */
const LOG_EVERY_MS = 60_000;

/**
 * GATEWAY_ENV=production: an official site names its operator, controller and contacts, so the
 * portal's pages answer 503 `portal_not_ready` with `Retry-After` (through `refuse`, the app's
 * one refusal path: a page for a browser, problem+json for an API client) while there is no tenant or the portal tenant's
 * profile lacks a required field. The Node entry also refuses to start then; a Worker cannot, so
 * this is what keeps its portal shut. Nothing else of the gateway changes: agencies, the DPO and
 * monitoring go on, and the portal's constant assets stay served so the refusal page is styled.
 *
 * While closed it reads the profile on every portal request, so a `tenant set` opens the portal
 * at once, and logs at most once a minute which tenant lacks which fields and the command that
 * sets them. Once complete it never reads again: `tenant set` can fill fields but never empty
 * them.
 *
 * @example
 * ```ts
 * const gate = portalProfileGate({ tenants: storage.tenants, clock, refuse: refusal });
 * app.use('/portal', gate);
 * app.use('/portal/*', gate);
 * ```
 */
export function portalProfileGate(deps: {
  readonly tenants: TenantStore;
  /** GATEWAY_PORTAL_TENANT, see `portalProfileState`. */
  readonly chosen?: string | undefined;
  readonly clock: Clock;
  /** Answers the refusal; not thrown, as `onError` would log each one as a server error. */
  readonly refuse: (c: Context<GatewayEnv>, error: GatewayError) => Response | Promise<Response>;
}): MiddlewareHandler<GatewayEnv> {
  let complete = false;
  let loggedAt = -Infinity;
  return async function portalProfileGate(c, next) {
    if (complete || c.req.path.startsWith('/portal/assets/')) return next();
    const profile = await portalProfileState(deps.tenants, deps.chosen);
    if (profile.state === 'complete') {
      complete = true;
      return next();
    }
    const now = deps.clock.now().getTime();
    if (now - loggedAt >= LOG_EVERY_MS) {
      loggedAt = now;
      c.var.log.error({ production: true }, `portal not served: ${portalNotReadyLine(profile)}`);
    }
    // The operator's business: the detail says no more than that.
    const closed = new GatewayError('portal_not_ready', {
      detail:
        "the portal is not open yet: its operator has not completed the municipality's profile",
      retryAfter: 300,
    });
    return deps.refuse(c, closed);
  };
}
