import { createRoute, z } from '@hono/zod-openapi';
import { ASSURANCE_LEVELS, CHANNELS } from '../../consent/index.ts';
import { LANGUAGES } from '../../policies/index.ts';
import { overloadedProblem, problemDoc } from '../problem.ts';

/** The person's JSON API, as OpenAPI routes: what a program or a test does instead of the pages. */
const sessionProblems = {
  401: problemDoc('`unauthenticated`: no session, or it ended'),
  ...overloadedProblem,
};

const NO_FIELDS =
  'Takes no fields: no body, an empty body (also as `application/json`) and `{}` mean the same; ' +
  'a body with fields answers 422 `validation_failed`.';

/** The notice the person read in another language, or nothing (`{}`): both fields or neither. */
const ShownNoticeBody = z
  .strictObject({
    language: z.enum(LANGUAGES).optional(),
    noticeHash: z.string().min(1).max(128).optional(),
  })
  .refine((shown) => (shown.language === undefined) === (shown.noticeHash === undefined), {
    message: 'send language and noticeHash together, or neither',
    path: ['noticeHash'],
  });

const PartySchema = z.object({
  id: z.string(),
  name: z.string(),
  agencyType: z.string().nullable(),
});
const RequestViewSchema = z
  .object({
    id: z.string(),
    state: z.enum(['pending', 'approved', 'declined', 'expired']),
    language: z.string(),
    purpose: z.string(),
    categories: z.array(z.string()),
    senders: z.array(PartySchema),
    recipients: z.array(PartySchema),
    validUntil: z.string(),
    expiresAt: z.string(),
    notice: z.object({ text: z.string(), hash: z.string() }),
  })
  .openapi('PortalRequest');
const PersonConsentSchema = z
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
    receiptId: z.string(),
    channel: z.enum(CHANNELS).openapi({ description: 'how the grant was given' }),
    assurance: z.enum(ASSURANCE_LEVELS).openapi({ description: 'how sure it is who gave it' }),
    revokedThrough: z
      .enum(CHANNELS)
      .optional()
      .openapi({ description: 'for a revoked consent: how the revocation came' }),
  })
  .openapi('PortalConsent');
export type PortalConsentView = z.infer<typeof PersonConsentSchema>;

const IdParam = z.object({ id: z.string().min(1).max(64) });

export const portalRoutes = {
  session: createRoute({
    method: 'post',
    path: '/v1/portal/session',
    tags: ['Portal'],
    summary: 'Sign in with a one-time code and second factor, or with a withdrawal code',
    description:
      'Sets the session cookie (HttpOnly, SameSite=Strict, Secure over TLS; ends after 30 minutes ' +
      "without use). A one-time code's session reaches only its own request and the consent " +
      "granted from it; a withdrawal code's only its consent; everything else answers 404. Wrong " +
      'code and wrong second factor get the same answer; five wrong second factors lock the code ' +
      '(`code_locked`); a code whose request is decided is spent (`code_used`). The person-wide ' +
      'portal needs the identity-verified sign-in (`/portal/eid/start`).',
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.union([
              z.strictObject({
                code: z.string().min(1).max(32),
                secondFactor: z.string().min(1).max(32).openapi({ example: '1990-01-31' }),
              }),
              z.strictObject({
                withdrawalCode: z
                  .string()
                  .min(1)
                  .max(48)
                  .openapi({ example: 'WXYZ-2345-ABCD-6789-EFGH' }),
              }),
            ]),
          },
        },
      },
    },
    responses: {
      201: {
        description: 'Signed in: what the session reaches',
        content: {
          'application/json': {
            schema: z.object({
              scope: z.enum(['request', 'consent']),
              requestId: z.string().optional(),
              consentId: z.string().optional(),
              assurance: z.enum(ASSURANCE_LEVELS),
            }),
          },
        },
      },
      401: problemDoc('`unauthenticated`'),
      403: problemDoc('`code_locked`'),
      410: problemDoc('`code_expired`, `code_used`: the request is decided'),
      429: problemDoc(
        '`rate_limited`: too many failed sign-ins from this address (Retry-After). Each attempt ' +
          'counts before its code is checked and is given back only on success, so attempts ' +
          'sent in parallel cannot pass the limit',
      ),
      ...overloadedProblem,
    },
  }),
  signOut: createRoute({
    method: 'delete',
    path: '/v1/portal/session',
    tags: ['Portal'],
    summary: 'Sign out',
    responses: { 204: { description: 'Signed out' }, ...overloadedProblem },
  }),
  request: createRoute({
    method: 'get',
    path: '/v1/portal/requests/{id}',
    tags: ['Portal'],
    summary: 'The request in plain language, in its language or in `lang`',
    description:
      'The notice is in the language the office chose, or in `lang` when given. To grant what ' +
      'was shown in another language, send that `language` and the notice `hash` with the grant.',
    request: {
      params: IdParam,
      query: z.object({ lang: z.enum(LANGUAGES).optional() }),
    },
    responses: {
      200: {
        description: 'The request',
        content: { 'application/json': { schema: RequestViewSchema } },
      },
      ...sessionProblems,
      404: problemDoc('`not_found`'),
    },
  }),
  grant: createRoute({
    method: 'post',
    path: '/v1/portal/requests/{id}/grant',
    tags: ['Portal'],
    summary: 'Grant: records the consent and answers a receipt signed by the gateway',
    description:
      'Without fields (no body, an empty body, also as `application/json`, or `{}`: all mean ' +
      'the same) the consent records the notice in the language the office chose. With ' +
      '`{ language, noticeHash }` (both or neither) it records the notice the person read in ' +
      'that language; a hash that is no longer the current text answers 409 `conflict` (reason ' +
      '`notice_changed`).',
    request: {
      params: IdParam,
      body: {
        required: false,
        content: { 'application/json': { schema: ShownNoticeBody } },
      },
    },
    responses: {
      200: {
        description: 'Consent and receipt (compact JWS, key in the JWKS)',
        content: {
          'application/json': {
            schema: z.object({
              consent: PersonConsentSchema,
              receipt: z.string(),
              withdrawalCode: z.string().openapi({
                description:
                  'For the person alone: opens this consent later (withdraw, history, receipt). ' +
                  'Never given to an office; the gateway keeps only a keyed hash.',
                example: 'WXYZ-2345-ABCD-6789-EFGH',
              }),
            }),
          },
        },
      },
      ...sessionProblems,
      403: problemDoc(
        '`assurance_insufficient`: the policy demands a stronger sign-in (ID card) for this',
      ),
      404: problemDoc('`not_found`'),
      409: problemDoc('`conflict`: decided already'),
      410: problemDoc('`code_expired`'),
      422: problemDoc(
        '`validation_failed`: a body with other fields, or `language` without `noticeHash`',
      ),
    },
  }),
  decline: createRoute({
    method: 'post',
    path: '/v1/portal/requests/{id}/decline',
    tags: ['Portal'],
    summary: 'Decline the request',
    description: NO_FIELDS,
    // The body is read by hand: a declared JSON body would refuse the empty one the contract allows.
    request: { params: IdParam },
    responses: {
      204: { description: 'Declined' },
      ...sessionProblems,
      404: problemDoc('`not_found`'),
      409: problemDoc('`conflict`: decided already'),
      422: problemDoc('`validation_failed`: a body other than none, empty or `{}`'),
    },
  }),
  consents: createRoute({
    method: 'get',
    path: '/v1/portal/consents',
    tags: ['Portal'],
    summary: "The consents the session reaches (a code's: the one granted from it)",
    responses: {
      200: {
        description: 'Consents, oldest first',
        content: {
          'application/json': { schema: z.object({ items: z.array(PersonConsentSchema) }) },
        },
      },
      ...sessionProblems,
    },
  }),
  requests: createRoute({
    method: 'get',
    path: '/v1/portal/requests',
    tags: ['Portal'],
    summary: 'The open requests the session reaches, oldest first',
    responses: {
      200: {
        description: 'Requests waiting for a decision',
        content: {
          'application/json': {
            schema: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  purpose: z.string(),
                  requestedBy: z.string(),
                  expiresAt: z.string(),
                }),
              ),
            }),
          },
        },
      },
      ...sessionProblems,
    },
  }),
  report: createRoute({
    method: 'get',
    path: '/v1/portal/report',
    tags: ['Portal'],
    summary: "The person's own GDPR Art. 15 report (identity-verified sign-in only)",
    description:
      'Every consent, request and exchange concerning the person, across the subjects the ' +
      'verified identity matches. A code or withdrawal code session gets 404: the person-wide ' +
      'view needs the ID-card sign-in.',
    responses: {
      200: {
        description: 'The report, as a download',
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
      },
      ...sessionProblems,
      404: problemDoc('`not_found`: the session is not identity-verified'),
    },
  }),
  history: createRoute({
    method: 'get',
    path: '/v1/portal/history',
    tags: ['Portal'],
    summary: 'Which office received which categories, when, under which consent',
    description:
      "A code's or withdrawal code's session sees only what concerns its own request and " +
      'consent; the identity-verified sign-in sees the whole history.',
    responses: {
      200: {
        description: 'History, oldest first',
        content: {
          'application/json': {
            schema: z.object({
              items: z.array(
                z.object({
                  at: z.string(),
                  event: z.string(),
                  exchangeId: z.string().optional(),
                  sender: z.string().optional(),
                  recipient: z.string().optional(),
                  purpose: z.string().optional(),
                  categories: z.array(z.string()).optional(),
                  consentId: z.string().optional(),
                }),
              ),
            }),
          },
        },
      },
      ...sessionProblems,
    },
  }),
  revoke: createRoute({
    method: 'post',
    path: '/v1/portal/consents/{id}/revoke',
    tags: ['Portal'],
    summary: 'Withdraw a consent, effective at once',
    description: NO_FIELDS,
    request: { params: IdParam },
    responses: {
      200: {
        description: 'The consent, now revoked',
        content: { 'application/json': { schema: PersonConsentSchema } },
      },
      ...sessionProblems,
      404: problemDoc('`not_found`'),
      409: problemDoc('`conflict`: not active'),
      422: problemDoc('`validation_failed`: a body other than none, empty or `{}`'),
    },
  }),
};
