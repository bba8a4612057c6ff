import type { MiddlewareHandler } from 'hono';
import {
  verifyClientAssertion,
  type AssertionCheck,
  type PrincipalKind,
} from '../../certs/index.ts';
import { GatewayError } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import { lazyChild } from '../logging.ts';

export interface AuthenticateOptions extends AssertionCheck {
  /** The kinds of principal this route serves; anyone else authenticated gets 403. */
  readonly allow: readonly PrincipalKind[];
}

/**
 * Requires a client assertion (`Authorization: Bearer <JWT>`) and a principal of an allowed kind.
 * Authentication comes before anything else the route does, so an unauthenticated caller learns
 * nothing about the resource, not even whether it exists.
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler<GatewayEnv> {
  if (options.allow.length === 0) throw new Error('authenticate() needs at least one allowed kind');
  return async function authenticate(c, next) {
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i.exec(header.trim());
    if (!match?.[1]) {
      throw new GatewayError('unauthenticated', {
        detail: 'send a client assertion as "Authorization: Bearer <JWT>"',
      });
    }
    const principal = await verifyClientAssertion(match[1], options);
    if (!options.allow.includes(principal.kind)) {
      throw new GatewayError('forbidden', {
        detail: `this route serves ${options.allow.join(' and ')} principals only`,
      });
    }
    c.set('principal', principal);
    c.set(
      'log',
      lazyChild(c.var.log, { tenant: principal.tenantId, principalKind: principal.kind }),
    );
    await next();
  };
}
