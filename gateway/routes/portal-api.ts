import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import {
  declineRequest,
  effectiveState,
  endPortalSession,
  grantRequest,
  ownAccessReport,
  personsConsents,
  personsHistory,
  personsOpenRequests,
  personsRequest,
  portalPerson,
  requestNotice,
  revokeConsent,
  type ConsentDeps,
  type ConsentWithState,
  type PortalPerson,
} from '../../consent/index.ts';
import { GatewayError } from '../../core/index.ts';
import type { GatewayEnv } from '../env.ts';
import { answerWrongMethods } from '../error-handler.ts';
import { assertNoFields, emptyBodyAsNoFields } from '../no-fields.ts';
import { sessionCookie } from '../portal/session-cookie.ts';
import type { PortalSignIn } from '../portal/sign-in.ts';
import { portalRoutes as routes, type PortalConsentView } from './portal-api-routes.ts';

export interface PortalApiOptions {
  readonly consent: ConsentDeps;
  /** Secure cookies (and the __Host- prefix) when the gateway is reached over TLS. */
  readonly https: boolean;
  /** Sign-in with a code or withdrawal code, behind the per-address throttle. */
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
  const view = (c: ConsentWithState): PortalConsentView => ({
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
    channel: c.consent.channel,
    assurance: c.consent.assurance,
    ...(c.current.state === 'revoked' && c.current.channel !== undefined
      ? { revokedThrough: c.current.channel }
      : {}),
  });

  app.openapi(routes.session, async (c) => {
    const opened = await options.signIn(c, c.req.valid('json'));
    cookie.write(c, opened.token);
    const { access, assurance } = opened.person;
    if (access.kind === 'person') throw new GatewayError('internal_error');
    return c.json(
      access.kind === 'request'
        ? { scope: access.kind, requestId: access.requestId, assurance }
        : { scope: access.kind, consentId: access.consentId, assurance },
      201,
    );
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

  app.use(routes.grant.getRoutingPath(), emptyBodyAsNoFields());
  app.openapi(routes.grant, async (c) => {
    const who = await person(c);
    const { language, noticeHash } = c.req.valid('json');
    const shown =
      language === undefined || noticeHash === undefined ? undefined : { language, noticeHash };
    const grant = await grantRequest(deps, who, c.req.valid('param').id, shown);
    // The withdrawal code goes to the person here, once, and nowhere else.
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        consent: view(grant.consent),
        receipt: grant.receipt,
        withdrawalCode: grant.withdrawalCode,
      },
      200,
    );
  });

  app.openapi(routes.decline, async (c) => {
    const who = await person(c);
    await assertNoFields(await c.req.text());
    await declineRequest(deps, who, c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(routes.consents, async (c) => {
    const who = await person(c);
    return c.json({ items: (await personsConsents(deps, who)).map(view) }, 200);
  });

  app.openapi(routes.requests, async (c) => {
    const who = await person(c);
    const items = (await personsOpenRequests(deps, who)).map(({ request }) => ({
      id: request.id,
      purpose: request.purpose,
      requestedBy: request.requestedBy,
      expiresAt: request.codeExpiresAt,
    }));
    return c.json({ items }, 200);
  });

  app.openapi(routes.report, async (c) => {
    const report = await ownAccessReport(deps, await person(c));
    c.header('Content-Disposition', 'attachment; filename="access-report.json"');
    c.header('Cache-Control', 'no-store');
    return c.json(report as unknown as Record<string, unknown>, 200);
  });

  app.openapi(routes.history, async (c) => {
    const who = await person(c);
    const lines = await personsHistory(deps, who);
    const items = lines
      .map((line) => line.entry)
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
    await assertNoFields(await c.req.text());
    return c.json(view(await revokeConsent(deps, who, c.req.valid('param').id)), 200);
  });

  answerWrongMethods(app, [...new Set(Object.values(routes).map((r) => r.getRoutingPath()))]);
}
