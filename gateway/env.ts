import type { AuthenticatedPrincipal } from '../certs/index.ts';
import type { Logger } from './logging.ts';

/** The Hono environment of the gateway: the variables every request carries. */
export interface GatewayEnv {
  Variables: {
    requestId: string;
    /** A child of the root logger bound to this request's id. */
    log: Logger;
    /** Set by `authenticate()` on the routes that require it. */
    principal: AuthenticatedPrincipal;
    /** Set by `shedLoad()` on a request it refused; such requests are logged as a count only. */
    shed: boolean;
    /** Set by the mailbox fetch when the message had been fetched before, for the metrics. */
    fetchedAgain: boolean;
  };
}
