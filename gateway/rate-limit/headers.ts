import type { RateLimitDecision, RateLimitPolicy } from './ports.ts';

/*
 * The structured-field form of draft-ietf-httpapi-ratelimit-headers-11 (May 2026, RFC 9651
 * fields): `RateLimit-Policy: "send";q=100;w=2` names the quota `q` a window of `w` seconds
 * allows; `RateLimit: "send";r=0;t=1` says how much remains (`r`) and in how many seconds (`t`)
 * the quota is whole again. A token bucket maps to it as quota = burst, window = the time an
 * empty bucket takes to fill.
 */

/** The `RateLimit-Policy` field value for a policy named `name` (a route class). */
export function rateLimitPolicyField(name: string, policy: RateLimitPolicy): string {
  const window = Math.max(1, Math.ceil(policy.burst / policy.rate));
  return `"${name}";q=${policy.burst};w=${window}`;
}

/** The `RateLimit` field value after a decision under the policy named `name`. */
export function rateLimitField(name: string, decision: RateLimitDecision): string {
  return `"${name}";r=${decision.remaining};t=${decision.resetSeconds}`;
}
