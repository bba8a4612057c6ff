import type { Context } from 'hono';
import {
  openPortalSession,
  openWithdrawalSession,
  type ConsentDeps,
  type PortalPerson,
} from '../../consent/index.ts';
import { GatewayError } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

/** What a person signs in with: a one-time code and second factor, or a withdrawal code. */
export type SignInInput = { code: string; secondFactor: string } | { withdrawalCode: string };

/** Opens a portal session; the JSON API and the pages sign in through it alike. */
export type PortalSignIn = (
  c: Context<GatewayEnv>,
  input: SignInInput,
) => Promise<{ token: string; person: PortalPerson }>;

/**
 * Sign-in behind the per-address throttle: an address over its budget gets `rate_limited` (with
 * `retryAfter`) before any code is looked at, and every refused attempt counts against it. The
 * attempt is reserved before the code check and given back only on success, so parallel attempts
 * from one address reach the check at most `limit` times.
 */
export function throttledSignIn(
  deps: ConsentDeps,
  throttle: SignInThrottle,
  clientAddress: (c: Context<GatewayEnv>) => string | undefined,
): PortalSignIn {
  return async function signIn(c, input) {
    const address = clientAddress(c) ?? 'unknown';
    const wait = throttle.reserve(address);
    if (wait > 0) {
      throw new GatewayError('rate_limited', {
        detail: `too many failed sign-ins from this address; try again in ${wait} s`,
        retryAfter: wait,
      });
    }
    const session =
      'withdrawalCode' in input
        ? await openWithdrawalSession(deps, input)
        : await openPortalSession(deps, input);
    throttle.release(address);
    return session;
  };
}
