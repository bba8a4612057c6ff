import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { agencyConsentView, revokeDeclared, type ConsentDeps } from '../../consent/index.ts';
import type { GatewayEnv } from '../env.ts';
import { answerWrongMethods } from '../error-handler.ts';
import { assertNoFields } from '../no-fields.ts';
import { problemDoc } from '../problem.ts';
import { ConsentViewSchema } from './consent-requests.ts';
import { authProblems } from './principals.ts';

const revokeRoute = createRoute({
  method: 'post',
  path: '/v1/consents/{id}/revoke',
  tags: ['Consent'],
  summary: 'Record a revocation the person declared to this office',
  description:
    'For a person who withdraws by telling an office (in person, by letter, by phone) rather than ' +
    'in the portal, e.g. because the withdrawal code is lost. Only an office that is a sender or ' +
    'recipient of the consent may record it; for any other the consent does not exist (404). The ' +
    'new version names the office as actor and `assisted` as channel, and takes effect at once: ' +
    'messages still waiting under the consent are withheld. An office can never record a grant. ' +
    'No body, an empty body and `{}` mean the same.',
  security: [{ clientAssertion: [] }],
  request: {
    params: z.object({ id: z.string().min(1).max(64) }),
    // The body is read by hand: a declared JSON body would refuse the empty one the contract allows.
  },
  responses: {
    200: {
      description: 'The consent, now revoked',
      content: { 'application/json': { schema: ConsentViewSchema } },
    },
    ...authProblems,
    404: problemDoc('`not_found`: no such consent, or this office is not party to it'),
    422: problemDoc('`validation_failed`: a body other than none, empty or `{}`'),
    409: problemDoc('`conflict`: the consent is not active'),
  },
});

/** An office records a revocation the person declared to it; never a grant. */
export function registerAssistedRevocation(
  app: OpenAPIHono<GatewayEnv>,
  deps: { consent: ConsentDeps; agencies: MiddlewareHandler<GatewayEnv> },
): void {
  app.use('/v1/consents/:id/revoke', deps.agencies);
  app.openapi(revokeRoute, async (c) => {
    await assertNoFields(await c.req.text());
    const after = await revokeDeclared(deps.consent, c.var.principal, c.req.valid('param').id);
    const view = agencyConsentView(after, deps.consent.clock.now());
    return c.json(
      {
        ...view,
        categories: [...view.categories],
        senders: [...view.senders],
        recipients: [...view.recipients],
      },
      200,
    );
  });
  answerWrongMethods(app, [revokeRoute.getRoutingPath()]);
}
