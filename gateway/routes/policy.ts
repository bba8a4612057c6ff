import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ASSURANCE_LEVELS, DATA_CATEGORIES, type PolicySet } from '../../policies/index.ts';
import type { GatewayEnv } from '../env.ts';
import { overloadedProblem } from '../problem.ts';

const RuleSchema = z
  .object({
    id: z.string(),
    purpose: z.string(),
    from: z.array(z.string()),
    to: z.array(z.string()),
    categories: z.array(z.string()),
    legalBasis: z.string(),
    retentionDays: z.number().int(),
    specialCategories: z.boolean(),
    minAssurance: z.enum(ASSURANCE_LEVELS).optional().openapi({
      description: 'the least assurance a grant for this purpose needs (absent: low)',
    }),
    categoryAssurance: z
      .partialRecord(z.enum(DATA_CATEGORIES), z.enum(ASSURANCE_LEVELS))
      .optional()
      .openapi({
        description: 'per data category, the least assurance a grant needs (health: substantial)',
      }),
    reason: z.string(),
  })
  .openapi('PolicyRule');

const policyRoute = createRoute({
  method: 'get',
  path: '/v1/policy',
  tags: ['Policy'],
  summary: 'The active policy set',
  description:
    'Which agency types may send which data categories to which agency types, for which purpose, ' +
    'on which legal basis and for how long the recipient keeps them. Public: the rules are no ' +
    'secret, and people and integrators should be able to read them. `hash` is the base64url ' +
    'SHA-256 of the RFC 8785 canonical JSON of the set; attestations name version and hash.',
  responses: {
    200: {
      description: 'The policy set',
      content: {
        'application/json': {
          schema: z
            .object({ version: z.string(), hash: z.string(), rules: z.array(RuleSchema) })
            .openapi('PolicySet'),
        },
      },
    },
    ...overloadedProblem,
  },
});

export function registerPolicyRoute(app: OpenAPIHono<GatewayEnv>, policy: PolicySet): void {
  app.openapi(policyRoute, (c) =>
    c.json(
      {
        version: policy.version,
        hash: policy.hash,
        rules: policy.rules.map((rule) => ({ ...rule })),
      },
      200,
    ),
  );
}
