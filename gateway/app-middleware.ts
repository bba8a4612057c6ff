import type { GatewayApp, GatewayDeps } from './app.ts';
import { refusal } from './error-handler.ts';
import { measureRequests } from './metrics/index.ts';
import { limitBody } from './middleware/body-limit.ts';
import { durableAnswers } from './middleware/durable-answers.ts';
import { jsonBody } from './middleware/json-body.ts';
import { DEFAULT_MAX_INFLIGHT, shedLoad } from './middleware/load-shedding.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { portalProfileGate } from './portal/legal/production-gate.ts';
import { problemPage } from './portal/problem-page.tsx';

/** Constant stylesheets: never shed, or the page saying "wait a moment" would come unstyled. */
const STYLESHEETS = new Set(['/portal/assets/portal.css', '/monitoring/assets/monitoring.css']);
/** Paths people read in a browser: refused under overload with a page, not problem+json. */
const isPage = (path: string) =>
  ['/portal', '/monitoring'].some((p) => path === p || path.startsWith(`${p}/`));

/**
 * The middleware every request passes, in the order it runs. Call it before registering any route:
 * hono runs handlers in the order they were added, and a route that answers ends the chain.
 */
export function useGatewayMiddleware(app: GatewayApp, deps: GatewayDeps): void {
  // First, so that every answer is measured, also refusals by the middleware after it.
  if (deps.metrics) app.use(measureRequests(deps.metrics));
  app.use(requestContext({ logger: deps.logger }));
  app.use(
    securityHeaders({
      https: deps.config.publicUrl.startsWith('https:'),
      formOrigins: deps.eid === undefined ? [] : [deps.eid.signInOrigin],
    }),
  );
  // Before anything reads a body or does work: a refusal under overload must cost next to nothing.
  app.use(
    shedLoad({
      maxInflight: deps.maxInflight ?? DEFAULT_MAX_INFLIGHT,
      ...(deps.waitForTurn === undefined ? {} : { waitForTurn: deps.waitForTurn }),
      // Liveness must tell a busy gateway from a dead one.
      exempt: (c) => c.req.path === '/health' || STYLESHEETS.has(c.req.path),
      // The pages answer pages whatever the client accepts, also when shed.
      refuse: (c, error) => (isPage(c.req.path) ? problemPage(c, error) : refusal(c, error)),
      logger: deps.logger,
      clock: deps.clock,
    }),
  );
  app.use(durableAnswers(deps.storage));
  app.use(limitBody(deps.config.bodyLimit));
  app.use('/v1/*', jsonBody());
  if (deps.production === true) {
    // On the path as routed (decoded), so no spelling of it reaches a page past the gate.
    const gate = portalProfileGate({
      tenants: deps.storage.tenants,
      chosen: deps.portalTenant,
      clock: deps.clock,
      refuse: refusal,
    });
    app.use('/portal', gate);
    app.use('/portal/*', gate);
  }
}
