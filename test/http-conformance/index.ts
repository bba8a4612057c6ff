import { describe } from 'vitest';
import { describeAudit } from './audit.ts';
import { describeAuthentication } from './authentication.ts';
import { describeConsent } from './consent.ts';
import { describeExchange } from './exchange.ts';
import { describeMonitoring } from './monitoring.ts';
import { describePublic } from './public.ts';
import { describeRefusals } from './refusals.ts';
import { gatewayUnderTest, type StartTarget } from './target.ts';

export { seedHttpConformance, TENANT } from './seed.ts';
export type { ConformanceWorld } from './seed.ts';
export type { HttpTarget, StartTarget } from './target.ts';

/**
 * States the gateway's HTTP contract (API.md) as tests, through requests alone: client-assertion
 * authentication and its refusals, consent asked by an office and decided by the person in the
 * portal JSON API, exchange and mailbox with the recipient decrypting and verifying, the refusals
 * with their problem+json codes, and the audit log with signed tree heads and proofs checked
 * offline. One gateway serves the whole run; each test makes its own person and consent.
 *
 * `start` seeds fresh storage with {@link seedHttpConformance} and starts a gateway on it; the
 * suite imports only vitest, jose, @peculiar/x509 and runtime-free modules, so it runs on Node and
 * inside workerd alike (the runner imports `reflect-metadata` first).
 *
 * @example
 * ```ts
 * describeHttpConformance('node', async () => {
 *   const world = await seedHttpConformance({ storage, masterKey });
 *   const gw = await startGatewayProcess(...);
 *   return { fetch: (path, init) => fetch(gw.baseUrl + path, init), audience, bodyLimit, world, close };
 * });
 * ```
 */
export function describeHttpConformance(name: string, start: StartTarget): void {
  describe(`${name} HTTP conformance`, () => {
    const gateway = gatewayUnderTest(start);
    describePublic(gateway);
    describeAuthentication(gateway);
    describeConsent(gateway);
    describeExchange(gateway);
    describeRefusals(gateway);
    describeAudit(gateway);
    describeMonitoring(gateway);
  });
}
