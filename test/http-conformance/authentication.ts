import * as x509 from '@peculiar/x509';
import { base64url, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { keyAndCsr, x5cOf, type TestPrincipal } from '../support/pki.ts';
import { expectProblem, type GatewayUnderTest } from './target.ts';

/** Client assertions (API.md, Agency authentication): what passes, and each refusal. */
export function describeAuthentication(gateway: GatewayUnderTest): void {
  const whoami = (token: string) => gateway.withToken(token, '/v1/whoami');
  const refused = async (token: string, code = 'unauthenticated') => {
    const res = await whoami(token);
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer /);
    return expectProblem(res, 401, code);
  };

  describe('client assertion authentication', () => {
    it('accepts an assertion naming the certificate in x5c, and one naming it by kid', async () => {
      const { abh } = gateway.world;
      for (const by of ['x5c', 'kid'] as const) {
        const res = await whoami(await gateway.assertion(abh, { by }));
        expect(res.status, await res.clone().text()).toBe(200);
        expect(await res.json()).toEqual({
          tenant: gateway.world.tenantId,
          id: abh.id,
          kind: 'agency',
          agencyType: 'immigration_office',
          certificate: abh.fingerprint,
        });
      }
    });

    it('refuses a request without an assertion', async () => {
      await expectProblem(await gateway.fetch('/v1/whoami'), 401, 'unauthenticated');
    });

    it('refuses an assertion for another audience', async () => {
      const token = await gateway.assertion(gateway.world.abh, {
        audience: 'https://gateway.elsewhere.example',
      });
      await refused(token);
    });

    it('refuses an expired assertion, and one that would live longer than 5 minutes', async () => {
      const { abh } = gateway.world;
      await refused(await gateway.assertion(abh, { iatOffsetS: -600, lifetimeS: 120 }));
      const long = await refused(await gateway.assertion(abh, { lifetimeS: 3600 }));
      expect(long.detail).toMatch(/too long/);
    });

    it('refuses a jti it has seen before (replayed_assertion)', async () => {
      const token = await gateway.assertion(gateway.world.abh);
      expect((await whoami(token)).status).toBe(200);
      await refused(token, 'replayed_assertion');
    });

    it('refuses keys it does not know: an unregistered certificate, an unknown kid, another key', async () => {
      const { abh, jc } = gateway.world;
      const { keys, alg } = await keyAndCsr('P-256', abh.id);
      const selfMade = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: '01',
        name: `CN=${abh.id}`,
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + 86_400_000),
        keys,
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      });
      const impostor: TestPrincipal = {
        ...abh,
        certificatePem: selfMade.toString('pem'),
        privateKey: keys.privateKey,
        alg,
      };
      await refused(await gateway.assertion(impostor));
      await refused(await gateway.assertion(abh, { by: 'kid', header: { kid: 'A'.repeat(43) } }));
      // The registered certificate of abh, but signed with the Jobcenter's key.
      await refused(await gateway.assertion(abh, { signWith: jc.privateKey }));
    });

    it('refuses alg none and a symmetric algorithm, naming the allowed ones', async () => {
      const { abh } = gateway.world;
      const claims = {
        iss: abh.id,
        sub: abh.id,
        aud: gateway.target.audience,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 120,
        jti: crypto.randomUUID(),
      };
      const x5c = [x5cOf(abh.certificatePem)];
      const part = (json: unknown) => base64url.encode(JSON.stringify(json));
      const none = `${part({ alg: 'none', typ: 'JWT', x5c })}.${part(claims)}.`;
      expect((await refused(none)).detail).toMatch(/algorithm not allowed/);
      const hs256 = await new SignJWT({ ...claims, jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', x5c })
        .sign(crypto.getRandomValues(new Uint8Array(32)));
      expect((await refused(hs256)).detail).toMatch(/algorithm not allowed/);
    });

    it('refuses jku, x5u, jwk and crit headers even on a valid signature', async () => {
      const { abh } = gateway.world;
      const headers: [string, Record<string, unknown>][] = [
        ['jku', { jku: 'https://keys.elsewhere.example/jwks.json' }],
        ['x5u', { x5u: 'https://keys.elsewhere.example/cert.pem' }],
        ['jwk', { jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } }],
        ['crit', { b64: true, crit: ['b64'] }],
      ];
      for (const [name, header] of headers) {
        const problem = await refused(await gateway.assertion(abh, { header }));
        expect(problem.detail).toContain(`"${name}"`);
      }
    });

    it('refuses a revoked certificate (certificate_revoked)', async () => {
      await refused(await gateway.assertion(gateway.world.revoked), 'certificate_revoked');
    });

    it('answers 403 forbidden to a principal on a route of another role', async () => {
      const { abh, dpo } = gateway.world;
      await expectProblem(await gateway.as(abh, '/v1/audit/tree-head'), 403, 'forbidden');
      await expectProblem(
        await gateway.as(dpo, '/v1/exchanges', { method: 'POST', body: '{}' }),
        403,
        'forbidden',
      );
    });
  });
}
