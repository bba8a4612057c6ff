import { describe, expect, it } from 'vitest';
import type { GatewayUnderTest } from './target.ts';

/** What anyone may read (API.md, Public). */
export function describePublic(gateway: GatewayUnderTest): void {
  describe('public endpoints', () => {
    it('answers health, the JWKS with the tenant signing key, and the OpenAPI document', async () => {
      const health = await gateway.fetch('/health');
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });

      const jwks = await gateway.fetch('/.well-known/jwks.json');
      expect(jwks.status).toBe(200);
      const { keys } = (await jwks.json()) as { keys: Record<string, unknown>[] };
      expect(keys).toContainEqual(expect.objectContaining({ kty: 'EC', crv: 'P-256' }));
      expect(keys.every((key) => !('d' in key))).toBe(true);

      const openapi = await gateway.fetch('/openapi.json');
      expect(openapi.status).toBe(200);
      const paths = Object.keys(((await openapi.json()) as { paths: object }).paths);
      expect(paths).toEqual(
        expect.arrayContaining(['/v1/exchanges', '/v1/mailbox/{id}', '/v1/audit/tree-head']),
      );
    });
  });
}
