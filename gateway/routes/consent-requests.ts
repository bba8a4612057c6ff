import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  ASSURANCE_LEVELS,
  CHANNELS,
  consentEventsFor,
  consentsNamingAgency,
  ConsentRequestInput,
  createConsentRequest,
  SubjectIdentifier,
  type ConsentDeps,
} from '../../consent/index.ts';
import { GatewayError } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import { problemDoc } from '../problem.ts';
import { authProblems } from './principals.ts';

const CreatedSchema = z
  .object({
    id: z.string(),
    code: z.string().openapi({
      description: 'One-time code for the person (shown once)',
      example: '7KQ2-M9XD-4RTA',
    }),
    portalUrl: z.string(),
    expiresAt: z.string(),
    requiredAssurance: z.enum(ASSURANCE_LEVELS).openapi({
      description:
        'The assurance the person’s grant will need, set by policy for this flow: `low` is met ' +
        'by the one-time code, `substantial` (e.g. health data, § 67b(2) SGB X) needs an ' +
        'identity-verified (eID) sign-in, so record `identity` for such requests.',
      example: 'low',
    }),
  })
  .openapi('CreatedConsentRequest');

const createRoute_ = createRoute({
  method: 'post',
  path: '/v1/consent-requests',
  tags: ['Consent'],
  summary: 'Ask a person for consent',
  description:
    'Records what would flow between which agencies, for which purpose and until when, and ' +
    'answers a one-time code (≥ 50 bits, valid 14 days, locked after 5 wrong second factors) and ' +
    'a portal link to hand to the person. The caller must be a sender or a recipient. The flow is ' +
    'checked against the policy in force before anything is recorded: every sender type → ' +
    'recipient type pair needs a rule for the purpose that allows every requested category. ' +
    'The subject identifier is kept only as a keyed pseudonym (`azr`: exactly 12 digits; ' +
    '`local`: 1–64 letters, digits, spaces and `. / _ -`, surrounding spaces dropped). An ' +
    'optional `identity` (family name, given names, birth date) lets the person sign in with ' +
    'eID; only its keyed hash is kept.',
  security: [{ clientAssertion: [] }],
  request: {
    body: {
      required: true,
      content: {
        'application/json': { schema: ConsentRequestInput },
      },
    },
  },
  responses: {
    201: {
      description: 'Request recorded',
      content: { 'application/json': { schema: CreatedSchema } },
    },
    ...authProblems,
    422: problemDoc(
      '`validation_failed` (`errors`): unknown agency, purpose or category, bad dates, a subject ' +
        'identifier of the wrong form, a bad identity. `policy_denied` (`reasons`, nothing ' +
        'recorded): the policy has no rule for a sender type → recipient type pair (`no_rule`) or ' +
        'its rule does not allow a requested category (`category_not_allowed`).',
    ),
  },
});

/** A consent as an office sees it (`agencyConsentView`), also what a recorded revocation answers. */
export const ConsentViewSchema = z
  .object({
    id: z.string(),
    state: z.enum(['active', 'revoked', 'expired']),
    version: z.number().int(),
    purpose: z.string(),
    categories: z.array(z.string()),
    senders: z.array(z.string()),
    recipients: z.array(z.string()),
    validFrom: z.string(),
    validUntil: z.string(),
    changedAt: z.string(),
    channel: z.enum(CHANNELS).openapi({ description: 'how the grant was given' }),
    assurance: z.enum(ASSURANCE_LEVELS).openapi({ description: 'how sure it is who gave it' }),
  })
  .openapi('AgencyConsent');

const listRoute = createRoute({
  method: 'get',
  path: '/v1/consents',
  tags: ['Consent'],
  summary: "A person's consents that name the caller",
  security: [{ clientAssertion: [] }],
  request: {
    query: z.object({
      'subject.scheme': z.enum(['azr', 'local']),
      'subject.value': z.string().min(1).max(64),
    }),
  },
  responses: {
    200: {
      description: 'Consents with state and version',
      content: { 'application/json': { schema: z.object({ items: z.array(ConsentViewSchema) }) } },
    },
    ...authProblems,
    422: problemDoc('`validation_failed`'),
  },
});

const EventSchema = z
  .object({
    cursor: z.string(),
    type: z.string().openapi({ example: 'consent.revoked' }),
    id: z.string().openapi({ description: 'Request or consent id' }),
    version: z.number().int(),
    purpose: z.string(),
    at: z.string(),
    actor: z.string(),
  })
  .openapi('ConsentEvent');

const eventsRoute = createRoute({
  method: 'get',
  path: '/v1/consent-events',
  tags: ['Consent'],
  summary: 'State changes of requests and consents that concern the caller, oldest first',
  description: 'Poll with `since` = the last `nextCursor` to learn of grants and revocations.',
  security: [{ clientAssertion: [] }],
  request: {
    query: z.object({
      since: z
        .string()
        .regex(/^\d{1,15}$/)
        .optional(),
      cursor: z
        .string()
        .regex(/^\d{1,15}$/)
        .optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
    }),
  },
  responses: {
    200: {
      description: 'A page of events',
      content: {
        'application/json': {
          schema: z.object({ items: z.array(EventSchema), nextCursor: z.string().optional() }),
        },
      },
    },
    ...authProblems,
  },
});

export function registerConsentRequestRoutes(
  app: OpenAPIHono<GatewayEnv>,
  deps: { consent: ConsentDeps; agencies: MiddlewareHandler<GatewayEnv> },
): void {
  for (const path of ['/v1/consent-requests', '/v1/consents', '/v1/consent-events']) {
    app.use(path, deps.agencies);
  }
  app.openapi(createRoute_, async (c) => {
    const created = await createConsentRequest(deps.consent, c.var.principal, c.req.valid('json'));
    return c.json(created, 201);
  });

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const subject = SubjectIdentifier.safeParse({
      scheme: query['subject.scheme'],
      value: query['subject.value'],
    });
    if (!subject.success) {
      throw new GatewayError('validation_failed', {
        errors: subject.error.issues.map((issue) => ({
          path: `/subject.${issue.path.map(String).join('.')}`,
          message: issue.message,
          in: 'query' as const,
        })),
      });
    }
    const items = await consentsNamingAgency(deps.consent, c.var.principal, subject.data);
    return c.json(
      {
        items: items.map((item) => ({
          ...item,
          categories: [...item.categories],
          senders: [...item.senders],
          recipients: [...item.recipients],
        })),
      },
      200,
    );
  });

  app.openapi(eventsRoute, async (c) => {
    const query = c.req.valid('query');
    if (query.since !== undefined && query.cursor !== undefined) {
      throw new GatewayError('validation_failed', {
        errors: [{ path: '/cursor', message: 'give since or cursor, not both', in: 'query' }],
      });
    }
    const limit = query.limit ?? 100;
    const since = Number(query.cursor ?? query.since ?? '0');
    const events = await consentEventsFor(deps.consent, c.var.principal, since, limit + 1);
    const page = events.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        items: page.map((e) => ({
          cursor: String(e.seq),
          type: `${e.kind}.${e.state}`,
          id: e.refId,
          version: e.version,
          purpose: e.purpose,
          at: e.at,
          actor: e.actor,
        })),
        ...(events.length > limit && last ? { nextCursor: String(last.seq) } : {}),
      },
      200,
    );
  });
}
