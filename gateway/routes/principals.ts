import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { PkiStore } from '../../certs/index.ts';
import type { GatewayEnv } from '../env.ts';
import { overloadedProblem, problemDoc } from '../problem.ts';

export const authProblems = {
  401: problemDoc('`unauthenticated`, `certificate_revoked` or `replayed_assertion`'),
  403: problemDoc('`forbidden`: authenticated, but not a principal this route serves'),
  429: problemDoc(
    '`rate_limited`: over the principal’s limit for this route class (send, mailbox, consent ' +
      'requests, audit); `Retry-After` says when, `RateLimit-Policy` and `RateLimit` ' +
      '(draft-ietf-httpapi-ratelimit-headers-11) the budget',
  ),
  ...overloadedProblem,
};

const PrincipalSchema = z
  .object({
    tenant: z.string(),
    id: z.string().openapi({ example: 'jc-koeln' }),
    kind: z.enum(['agency', 'dpo', 'operator', 'monitor']),
    agencyType: z.string().nullable().openapi({ example: 'jobcenter' }),
    certificate: z.string().openapi({ description: 'Fingerprint (kid) of the certificate used' }),
  })
  .openapi('Principal');

const whoamiRoute = createRoute({
  method: 'get',
  path: '/v1/whoami',
  tags: ['Identity'],
  summary: 'Who the gateway takes the caller for',
  description: 'Checks a client assertion end to end without side effects beyond using its jti.',
  security: [{ clientAssertion: [] }],
  responses: {
    200: {
      description: 'The principal',
      content: { 'application/json': { schema: PrincipalSchema } },
    },
    ...authProblems,
  },
});

const RegisteredPrincipalSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['agency', 'dpo', 'operator', 'monitor']),
    agencyType: z.string().nullable(),
    displayName: z.string(),
    registeredAt: z.string(),
    certificates: z.array(
      z.object({
        fingerprint: z.string(),
        serial: z.string(),
        notBefore: z.string(),
        notAfter: z.string(),
        revokedAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('RegisteredPrincipal');

const principalsRoute = createRoute({
  method: 'get',
  path: '/v1/principals',
  tags: ['Identity'],
  summary: "The tenant's registered agencies, DPOs and operators (DPO and operator only)",
  security: [{ clientAssertion: [] }],
  responses: {
    200: {
      description: 'Every principal with its certificates',
      content: {
        'application/json': { schema: z.object({ items: z.array(RegisteredPrincipalSchema) }) },
      },
    },
    ...authProblems,
  },
});

export function registerPrincipalRoutes(
  app: OpenAPIHono<GatewayEnv>,
  deps: {
    pki: PkiStore;
    anyPrincipal: MiddlewareHandler<GatewayEnv>;
    overseers: MiddlewareHandler<GatewayEnv>;
  },
): void {
  app.use(whoamiRoute.path, deps.anyPrincipal);
  app.openapi(whoamiRoute, (c) => {
    const p = c.var.principal;
    return c.json(
      {
        tenant: p.tenantId,
        id: p.id,
        kind: p.kind,
        agencyType: p.agencyType,
        certificate: p.certificateFingerprint,
      },
      200,
    );
  });

  app.use(principalsRoute.path, deps.overseers);
  app.openapi(principalsRoute, async (c) => {
    const tenantId = c.var.principal.tenantId;
    const principals = await deps.pki.principals(tenantId);
    const items = [];
    for (const p of principals) {
      const certificates = await deps.pki.certificatesOf(tenantId, p.id);
      items.push({
        id: p.id,
        kind: p.kind,
        agencyType: p.agencyType,
        displayName: p.displayName,
        registeredAt: p.createdAt,
        certificates: certificates.map((cert) => ({
          fingerprint: cert.fingerprint,
          serial: cert.serial,
          notBefore: cert.notBefore,
          notAfter: cert.notAfter,
          revokedAt: cert.revokedAt,
        })),
      });
    }
    return c.json({ items }, 200);
  });
}
