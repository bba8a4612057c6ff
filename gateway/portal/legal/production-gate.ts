import { errorTitle, GatewayError, type Clock } from '../../../core/index.ts';
import { incompletePortalProfile, type TenantStore } from '../../../tenants/index.ts';
import type { Logger } from '../../logging.ts';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../problem.ts';

/** How long an incomplete profile is believed before it is read again. */
const RECHECK_MS = 60_000;

/**
 * The edge's stand-in for the Node entry's refusal to start in production with an incomplete
 * portal profile: a Worker cannot refuse to start, so its portal pages answer 503 problem+json
 * (nothing else of the gateway changes: agencies, the DPO and monitoring go on) and one log line
 * per minute names the tenant, the missing fields and the command that sets them. A profile found
 * complete stays so for the isolate's life: `tenant set` can fill fields but never empty them.
 *
 * @example
 * ```ts
 * const gate = portalProfileGate({ tenants: storage.tenants, logger, clock: systemClock });
 * const closed = await gate(new URL(request.url).pathname);
 * if (closed) return closed;
 * ```
 */
export function portalProfileGate(deps: {
  readonly tenants: TenantStore;
  readonly logger: Logger;
  readonly clock: Clock;
}): (path: string) => Promise<Response | undefined> {
  let complete = false;
  let known: { readonly line: string | undefined; readonly at: number } | undefined;
  const incomplete = async (): Promise<string | undefined> => {
    const now = deps.clock.now().getTime();
    if (known === undefined || now - known.at >= RECHECK_MS) {
      const line = await incompletePortalProfile(deps.tenants);
      known = { line, at: now };
      if (line === undefined) complete = true;
      else deps.logger.error({ production: true }, `portal not served: ${line}`);
    }
    return known.line;
  };
  return async function portalGate(path) {
    if (complete || !isPortalPage(path)) return undefined;
    const line = await incomplete();
    return line === undefined ? undefined : closedPortal();
  };
}

const isPortalPage = (path: string) =>
  (path === '/portal' || path.startsWith('/portal/')) && !path.startsWith('/portal/assets/');

/** 503 problem+json: the operator's business, so the detail says no more than that. */
function closedPortal(): Response {
  const error = new GatewayError('internal_error', {
    status: 503,
    detail: "the portal is not open yet: its operator has not completed the municipality's profile",
    retryAfter: 300,
  });
  const body = {
    type: problemType(error.code),
    title: errorTitle[error.code],
    status: error.status,
    code: error.code,
    requestId: crypto.randomUUID(),
    detail: error.detail,
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: {
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Retry-After': String(error.retryAfter),
      'Cache-Control': 'no-store',
    },
  });
}
