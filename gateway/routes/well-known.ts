import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { PkiStore } from '../../certs/index.ts';
import { GatewayError } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import { overloadedProblem, PROBLEM_CONTENT_TYPE, ProblemSchema } from '../problem.ts';

const JwksSchema = z
  .object({
    keys: z.array(
      z
        .object({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string() })
        .catchall(z.unknown()),
    ),
  })
  .openapi('Jwks');

const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['Public'],
  summary: "The gateway's verification keys (JWKS)",
  description:
    'Every signing key of every tenant, active and retired, so receipts, attestations and tree ' +
    'heads signed before a rotation still verify.',
  responses: {
    200: { description: 'JWK Set', content: { 'application/json': { schema: JwksSchema } } },
    ...overloadedProblem,
  },
});

const openpgpRoute = createRoute({
  method: 'get',
  path: '/.well-known/openpgp-key.asc',
  tags: ['Public'],
  summary: "The gateway's OpenPGP public key (armored)",
  description:
    'Checks detached signatures on audit exports with GnuPG. With several tenants the file holds ' +
    'one armored key per tenant; `?tenant=` selects one.',
  request: { query: z.object({ tenant: z.string().max(63).optional() }) },
  responses: {
    200: {
      description: 'Armored OpenPGP public key(s)',
      content: { 'application/pgp-keys': { schema: z.string() } },
    },
    404: {
      description: 'No such tenant',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    },
    ...overloadedProblem,
  },
});

export function registerWellKnown(
  app: OpenAPIHono<GatewayEnv>,
  deps: { pki: PkiStore; tenantIds: () => Promise<string[]> },
): void {
  app.openapi(jwksRoute, async (c) => {
    const keys = (await deps.pki.allSigningKeys()).map(
      (key) => JSON.parse(key.publicMaterial) as z.infer<typeof JwksSchema>['keys'][number],
    );
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ keys }, 200);
  });

  app.openapi(openpgpRoute, async (c) => {
    const { tenant } = c.req.valid('query');
    const tenants = tenant === undefined ? await deps.tenantIds() : [tenant];
    const armored: string[] = [];
    for (const id of tenants) {
      const [active] = await deps.pki.keys(id, 'openpgp');
      if (active) armored.push(active.publicMaterial.trim());
    }
    if (armored.length === 0) throw new GatewayError('not_found', { detail: 'no OpenPGP key' });
    return c.body(armored.join('\n') + '\n', 200, {
      'Content-Type': 'application/pgp-keys',
      'Cache-Control': 'public, max-age=300',
    });
  });
}
