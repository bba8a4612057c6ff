import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import {
  declineRequest,
  effectiveState,
  endPortalSession,
  grantRequest,
  personsConsents,
  personsHistory,
  personsRequest,
  portalPerson,
  requestNotice,
  revokeConsent,
  type ConsentDeps,
  type ConsentWithState,
  type PortalPerson,
} from '../../consent/index.ts';
import { GatewayError } from '../../core/index.ts';
import { LANGUAGES } from '../../policies/index.ts';
import type { GatewayEnv } from '../env.ts';
import { sessionCookie } from '../portal/session-cookie.ts';
import type { PortalSignIn } from '../portal/sign-in.ts';
import { problemDoc } from '../problem.ts';

const sessionProblems = { 401: problemDoc('`unauthenticated`: no session, or it ended') };

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
  })
  .openapi('PortalConsent');

const IdParam = z.object({ id: z.string().min(1).max(64) });

const routes = {
  session: createRoute({
    method: 'post',
    path: '/v1/portal/session',
    tags: ['Portal'],
    summary: 'Sign in with the one-time code and the second factor',
    description:
      'Sets the session cookie (HttpOnly, SameSite=Strict, Secure over TLS; ends after 30 minutes ' +
      'without use). Wrong code and wrong second factor get the same answer; five wrong second ' +
      'factors lock the code (`code_locked`).',
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({
              code: z.string().min(1).max(32),
              secondFactor: z.string().min(1).max(32).openapi({ example: '1990-01-31' }),
            }),
          },
        },
      },
    },
    responses: {
      201: {
        description: 'Signed in',
        content: { 'application/json': { schema: z.object({ requestId: z.string() }) } },
      },
      401: problemDoc('`unauthenticated`'),
      403: problemDoc('`code_locked`'),
      410: problemDoc('`code_expired`'),
      429: problemDoc('`rate_limited`: too many failed sign-ins from this address (Retry-After)'),
    },
  }),
  signOut: createRoute({
    method: 'delete',
    path: '/v1/portal/session',
    tags: ['Portal'],
    summary: 'Sign out',
    responses: { 204: { description: 'Signed out' } },
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
      'Without a body the consent records the notice in the language the office chose. With ' +
      '`{ language, noticeHash }` it records the notice the person read in that language; a hash ' +
      'that is no longer the current text answers 409 `conflict` (reason `notice_changed`).',
    request: {
      params: IdParam,
      body: {
        required: false,
        content: {
          'application/json': {
            schema: z.strictObject({
              language: z.enum(LANGUAGES),
              noticeHash: z.string().min(1).max(128),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'Consent and receipt (compact JWS, key in the JWKS)',
        content: {
          'application/json': {
            schema: z.object({ consent: PersonConsentSchema, receipt: z.string() }),
          },
        },
      },
      ...sessionProblems,
      404: problemDoc('`not_found`'),
      409: problemDoc('`conflict`: decided already'),
      410: problemDoc('`code_expired`'),
    },
  }),
  decline: createRoute({
    method: 'post',
    path: '/v1/portal/requests/{id}/decline',
    tags: ['Portal'],
    summary: 'Decline the request',
    request: { params: IdParam },
    responses: {
      204: { description: 'Declined' },
      ...sessionProblems,
      404: problemDoc('`not_found`'),
      409: problemDoc('`conflict`: decided already'),
    },
  }),
  consents: createRoute({
    method: 'get',
    path: '/v1/portal/consents',
    tags: ['Portal'],
    summary: "The person's consents",
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
  history: createRoute({
    method: 'get',
    path: '/v1/portal/history',
    tags: ['Portal'],
    summary: 'Which office received which categories, when, under which consent',
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
    request: { params: IdParam },
    responses: {
      200: {
        description: 'The consent, now revoked',
        content: { 'application/json': { schema: PersonConsentSchema } },
      },
      ...sessionProblems,
      404: problemDoc('`not_found`'),
      409: problemDoc('`conflict`: not active'),
    },
  }),
};

export interface PortalApiOptions {
  readonly consent: ConsentDeps;
  /** Secure cookies (and the __Host- prefix) when the gateway is reached over TLS. */
  readonly https: boolean;
  /** Sign-in with the code, behind the per-address throttle. */
  readonly signIn: PortalSignIn;
}

/** The person's JSON API; the portal pages use the same operations. */
export function registerPortalApi(app: OpenAPIHono<GatewayEnv>, options: PortalApiOptions): void {
  const { consent: deps } = options;
  const cookie = sessionCookie(options.https);
  const origin = new URL(deps.publicUrl).origin;

  // SameSite=Strict keeps the cookie off cross-site requests; a foreign Origin on a state change
  // is refused as well, in case a browser does not honour SameSite.
  const sameOrigin: MiddlewareHandler<GatewayEnv> = async (c, next) => {
    const from = c.req.header('Origin');
    if (c.req.method !== 'GET' && from !== undefined && from !== origin) {
      throw new GatewayError('forbidden', { detail: 'cross-origin request refused' });
    }
    await next();
  };
  app.use('/v1/portal/*', sameOrigin);

  const person = async (c: Context<GatewayEnv>): Promise<PortalPerson> => {
    const token = cookie.read(c);
    if (token === undefined) {
      throw new GatewayError('unauthenticated', { detail: 'sign in with your code' });
    }
    return portalPerson(deps, token);
  };
  const view = (c: ConsentWithState) => ({
    id: c.consent.id,
    state: effectiveState(c, deps.clock.now()),
    version: c.current.version,
    purpose: c.consent.purpose,
    categories: [...c.consent.categories],
    senders: [...c.consent.senders],
    recipients: [...c.consent.recipients],
    validFrom: c.consent.validFrom,
    validUntil: c.consent.validUntil,
    changedAt: c.current.at,
    receiptId: c.consent.receiptId,
  });

  app.openapi(routes.session, async (c) => {
    const opened = await options.signIn(c, c.req.valid('json'));
    cookie.write(c, opened.token);
    return c.json({ requestId: opened.person.requestId }, 201);
  });

  app.openapi(routes.signOut, async (c) => {
    const token = cookie.read(c);
    if (token !== undefined) await endPortalSession(deps, token);
    cookie.clear(c);
    return c.body(null, 204);
  });

  app.openapi(routes.request, async (c) => {
    const who = await person(c);
    const { request, current } = await personsRequest(deps, who, c.req.valid('param').id);
    const lang = c.req.valid('query').lang;
    const shown =
      lang === undefined || lang === request.language
        ? { language: request.language, text: request.noticeText, hash: request.noticeHash }
        : await requestNotice(deps, request, lang).then(({ notice, hash }) => ({
            language: lang,
            text: notice.text,
            hash,
          }));
    const party = async (id: string) => {
      const p = await deps.pki.principal(request.tenantId, id);
      return { id, name: p?.displayName ?? id, agencyType: p?.agencyType ?? null };
    };
    return c.json(
      {
        id: request.id,
        state: current.state,
        language: shown.language,
        purpose: request.purpose,
        categories: [...request.categories],
        senders: await Promise.all(request.senders.map(party)),
        recipients: await Promise.all(request.recipients.map(party)),
        validUntil: request.validUntil,
        expiresAt: request.codeExpiresAt,
        notice: { text: shown.text, hash: shown.hash },
      },
      200,
    );
  });

  app.openapi(routes.grant, async (c) => {
    const who = await person(c);
    const shown = (await c.req.text()) === '' ? undefined : c.req.valid('json');
    const { consent, receipt } = await grantRequest(deps, who, c.req.valid('param').id, shown);
    return c.json({ consent: view(consent), receipt }, 200);
  });

  app.openapi(routes.decline, async (c) => {
    const who = await person(c);
    await declineRequest(deps, who, c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(routes.consents, async (c) => {
    const who = await person(c);
    return c.json({ items: (await personsConsents(deps, who)).map(view) }, 200);
  });

  app.openapi(routes.history, async (c) => {
    const who = await person(c);
    const entries = await personsHistory(deps, who);
    const items = entries
      .filter((e) => e.event !== 'audit.read' && e.event !== 'audit.exported')
      .map((e) => ({
        at: e.time,
        event: e.event,
        ...(e.exchangeId === undefined ? {} : { exchangeId: e.exchangeId }),
        ...(e.sender === undefined ? {} : { sender: e.sender }),
        ...(e.recipient === undefined ? {} : { recipient: e.recipient }),
        ...(e.purpose === undefined ? {} : { purpose: e.purpose }),
        ...(e.categories === undefined ? {} : { categories: [...e.categories] }),
        ...(e.consentId === undefined ? {} : { consentId: e.consentId }),
      }));
    return c.json({ items }, 200);
  });

  app.openapi(routes.revoke, async (c) => {
    const who = await person(c);
    return c.json(view(await revokeConsent(deps, who, c.req.valid('param').id)), 200);
  });
}
