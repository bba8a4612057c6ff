import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  accessReport,
  eraseSubject,
  SubjectIdentifier,
  type ConsentDeps,
} from '../../consent/index.ts';
import type { GatewayEnv } from '../env.ts';
import { problemDoc } from '../problem.ts';
import { authProblems } from './principals.ts';

const body = {
  required: true,
  content: { 'application/json': { schema: z.strictObject({ subject: SubjectIdentifier }) } },
};

const reportRoute = createRoute({
  method: 'post',
  path: '/v1/subjects/access-report',
  tags: ['Audit'],
  summary: "A person's GDPR Art. 15 report (DPO)",
  description:
    'Every consent, request and exchange concerning the person, and every audit entry naming them. ' +
    'The identifier travels in the body, never in a URL; the report is itself audited.',
  security: [{ clientAssertion: [] }],
  request: { body },
  responses: {
    200: {
      description: 'The report',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
    ...authProblems,
  },
});

const erasureRoute = createRoute({
  method: 'post',
  path: '/v1/subjects/erasure',
  tags: ['Audit'],
  summary: "Crypto-shred a person's linkage (DPO)",
  description:
    'Deletes the pseudonym mapping, the per-subject key and the consent records; the audit log ' +
    'keeps verifying, its entries no longer linkable to the person. Refused while a consent is active.',
  security: [{ clientAssertion: [] }],
  request: { body },
  responses: {
    204: { description: 'Erased' },
    ...authProblems,
    404: problemDoc('`not_found`: nothing held about the person'),
    409: problemDoc('`conflict`: a consent is still active'),
  },
});

export function registerSubjectRights(
  app: OpenAPIHono<GatewayEnv>,
  deps: { consent: ConsentDeps; dpo: MiddlewareHandler<GatewayEnv> },
): void {
  app.use('/v1/subjects/*', deps.dpo);
  app.openapi(reportRoute, async (c) => {
    const report = await accessReport(deps.consent, c.var.principal, c.req.valid('json').subject);
    return c.json(JSON.parse(JSON.stringify(report)) as Record<string, unknown>, 200);
  });
  app.openapi(erasureRoute, async (c) => {
    await eraseSubject(deps.consent, c.var.principal, c.req.valid('json').subject);
    return c.body(null, 204);
  });
}
