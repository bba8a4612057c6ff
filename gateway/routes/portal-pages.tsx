import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import {
  declineRequest,
  effectiveState,
  endPortalSession,
  grantRequest,
  personsConsents,
  personsHistory,
  personsOpenRequests,
  personsRequest,
  portalPerson,
  requestNotice,
  revokeConsent,
  type ConsentDeps,
  type PortalPerson,
} from '../../consent/index.ts';
import { GatewayError, isGatewayError } from '../../core/index.ts';
import { label, type Language } from '../../policies/index.ts';
import type { GatewayEnv } from '../env.ts';
import { reportUnexpected } from '../error-handler.ts';
import { csrfGuard } from '../portal/csrf.ts';
import { isLanguage, negotiateLanguage, translator, type Translator } from '../portal/i18n.ts';
import type { PageFrame } from '../portal/layout.tsx';
import { ConsentsPage } from '../portal/pages/consents.tsx';
import { ErrorPage } from '../portal/pages/error.tsx';
import { HistoryPage, type HistoryItemView } from '../portal/pages/history.tsx';
import { ReceiptPage } from '../portal/pages/receipt.tsx';
import { RequestPage } from '../portal/pages/request.tsx';
import { SignInPage } from '../portal/pages/sign-in.tsx';
import { sessionCookie } from '../portal/session-cookie.ts';
import type { PortalSignIn } from '../portal/sign-in.ts';
import { portalCss } from '../portal/style.ts';

export interface PortalPagesOptions {
  readonly consent: ConsentDeps;
  /** Secure cookies with the `__Host-` prefix when the gateway is reached over TLS. */
  readonly https: boolean;
  /** Sign-in with the code, behind the per-address throttle. */
  readonly signIn: PortalSignIn;
}

type PortalContext = Context<GatewayEnv>;

const LANGUAGE_COOKIE = 'cg_lang';
const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const SignInForm = z.object({
  csrf: z.string().max(64).optional(),
  code: z.string().max(32).default(''),
  secondFactor: z.string().max(32).default(''),
});
const DecisionForm = z.object({
  csrf: z.string().max(64).optional(),
  confirm: z.literal('yes').optional(),
  lang: z.string().max(8).optional(),
  noticeHash: z.string().max(128).optional(),
});

/**
 * The person's portal: server-rendered pages on the same consent operations as the JSON API.
 * Plain HTML forms, no script: it works without JavaScript, under a CSP that allows no inline
 * code, and after sign-in no code or identifier ever appears in a URL (the session is a cookie,
 * pages are addressed by opaque ids).
 */
export function registerPortalPages(
  app: OpenAPIHono<GatewayEnv>,
  options: PortalPagesOptions,
): void {
  const deps = options.consent;
  const origin = new URL(deps.publicUrl).origin;
  const session = sessionCookie(options.https);
  const csrf = csrfGuard({ https: options.https, origin });

  const languageOf = (c: PortalContext): Translator => {
    const query = c.req.query('lang');
    if (isLanguage(query)) {
      // The choice sticks for the next pages, also after a form's redirect.
      setCookie(c, LANGUAGE_COOKIE, query, {
        path: '/portal',
        sameSite: 'Lax',
        httpOnly: true,
        secure: options.https,
        maxAge: 365 * 86_400,
      });
    }
    return translator(
      negotiateLanguage({
        query,
        cookie: getCookie(c, LANGUAGE_COOKIE),
        acceptLanguage: c.req.header('Accept-Language'),
      }),
    );
  };

  const frame = (c: PortalContext, tr: Translator, title: string, token?: string): PageFrame => ({
    tr,
    title,
    path: c.req.path,
    csrf: token,
  });

  /** The signed-in person, or undefined when there is no live session. */
  const signedIn = async (c: PortalContext): Promise<PortalPerson | undefined> => {
    const token = session.read(c);
    if (token === undefined) return undefined;
    try {
      return await portalPerson(deps, token);
    } catch (error) {
      if (isGatewayError(error) && error.code === 'unauthenticated') return undefined;
      throw error;
    }
  };

  const toSignIn = (c: PortalContext, notice: 'needed' | 'signed-out') =>
    c.redirect(`/portal/sign-in?notice=${notice}`, 303);

  /** Refusals become a page in the person's language; nothing else leaks out. */
  const page =
    (handler: (c: PortalContext) => Promise<Response>) =>
    async (c: PortalContext): Promise<Response> => {
      try {
        return await handler(c);
      } catch (error) {
        const tr = languageOf(c);
        let status = 500;
        let text = tr.t('error.generic');
        if (isGatewayError(error)) {
          status = error.status;
          if (error.code === 'not_found') text = tr.t('error.notFound');
          else if (error.code === 'conflict') text = tr.t('error.conflict');
          else if (error.code === 'unauthenticated') return toSignIn(c, 'needed');
          else if (error.code === 'forbidden') text = tr.t('form.expired');
          else if (error.code === 'code_expired') text = tr.t('request.expiredState');
          if (status >= 500) reportUnexpected(c, error);
        } else reportUnexpected(c, error);
        return c.html(
          <ErrorPage
            frame={frame(c, tr, tr.t('error.title'))}
            text={text}
            requestId={c.var.requestId}
          />,
          status as 400,
        );
      }
    };

  /** A name to show for an agency id: its registered display name. */
  const agencyName = async (tenantId: string, id: string): Promise<string> =>
    (await deps.pki.principal(tenantId, id))?.displayName ?? id;
  const names = (tenantId: string, ids: readonly string[]) =>
    Promise.all(ids.map((id) => agencyName(tenantId, id)));
  const categoryNames = (ids: readonly string[], language: Language) =>
    ids.map((id) => label('category', id, language).name);

  const formOf = async (c: PortalContext): Promise<Record<string, string>> => {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
      throw new GatewayError('unsupported_media_type', { detail: 'send the form as a form' });
    }
    const body = await c.req.parseBody();
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(body))
      if (typeof value === 'string') fields[key] = value;
    return fields;
  };

  app.get('/portal/assets/portal.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(portalCss);
  });

  app.get(
    '/portal',
    page(async (c) => {
      const query = c.req.query('lang');
      const suffix = isLanguage(query) ? `?lang=${query}` : '';
      const person = await signedIn(c);
      return c.redirect(`${person ? '/portal/consents' : '/portal/sign-in'}${suffix}`, 303);
    }),
  );

  const renderSignIn = (
    c: PortalContext,
    tr: Translator,
    view: { code: string; message?: { kind: 'info' | 'error'; text: string } },
    status: 200 | 401 | 403 | 410 | 422 | 429 = 200,
  ) =>
    c.html(
      <SignInPage
        frame={{
          ...frame(c, tr, tr.t('signIn.title')),
          // Switching language before sign-in keeps the code from the letter's link.
          path:
            c.req.method === 'GET' && view.code !== ''
              ? `/portal/sign-in?code=${encodeURIComponent(view.code)}`
              : '/portal/sign-in',
        }}
        view={{ ...view, csrf: csrf.token(c) }}
      />,
      status,
    );

  app.get(
    '/portal/sign-in',
    page(async (c) => {
      const tr = languageOf(c);
      const notice = c.req.query('notice');
      const message =
        notice === 'needed'
          ? { kind: 'info' as const, text: tr.t('signIn.needed') }
          : notice === 'signed-out'
            ? { kind: 'info' as const, text: tr.t('signIn.signedOut') }
            : undefined;
      // The code may come in the link of the person's letter; it is only pre-filled here and
      // never appears in a URL after sign-in.
      const code = (c.req.query('code') ?? '').slice(0, 32);
      return renderSignIn(c, tr, { code, ...(message ? { message } : {}) });
    }),
  );

  app.post(
    '/portal/sign-in',
    page(async (c) => {
      const tr = languageOf(c);
      const form = SignInForm.safeParse(await formOf(c));
      const fields = form.success ? form.data : { code: '', secondFactor: '', csrf: undefined };
      try {
        csrf.check(c, fields.csrf);
      } catch {
        return renderSignIn(
          c,
          tr,
          { code: '', message: { kind: 'error', text: tr.t('form.expired') } },
          403,
        );
      }
      try {
        const opened = await options.signIn(c, {
          code: fields.code,
          secondFactor: fields.secondFactor,
        });
        session.write(c, opened.token);
        return c.redirect(`/portal/requests/${opened.person.requestId}`, 303);
      } catch (error) {
        if (!isGatewayError(error)) throw error;
        if (error.code === 'rate_limited') {
          const wait = error.retryAfter ?? 60;
          c.header('Retry-After', String(wait));
          const text = tr.t('signIn.rateLimited', { minutes: Math.ceil(wait / 60) });
          return renderSignIn(c, tr, { code: '', message: { kind: 'error', text } }, 429);
        }
        const [key, status] =
          error.code === 'code_locked'
            ? (['signIn.locked', 403] as const)
            : error.code === 'code_expired'
              ? (['signIn.expired', 410] as const)
              : (['signIn.wrong', 401] as const);
        // The code the person typed is kept in the field so a typo in the date is quick to fix.
        return renderSignIn(
          c,
          tr,
          { code: fields.code, message: { kind: 'error', text: tr.t(key) } },
          status,
        );
      }
    }),
  );

  app.post(
    '/portal/sign-out',
    page(async (c) => {
      const form = await formOf(c);
      csrf.check(c, form['csrf']);
      const token = session.read(c);
      if (token !== undefined) await endPortalSession(deps, token);
      session.clear(c);
      return toSignIn(c, 'signed-out');
    }),
  );

  const renderRequest = async (
    c: PortalContext,
    person: PortalPerson,
    requestId: string,
    error?: string,
  ): Promise<Response> => {
    const tr = languageOf(c);
    const { request, current } = await personsRequest(deps, person, requestId);
    const { notice, hash } = await requestNotice(deps, request, tr.language);
    return c.html(
      <RequestPage
        frame={frame(c, tr, tr.t('request.title'), csrf.token(c))}
        view={{
          id: request.id,
          state: current.state,
          askedBy: await agencyName(request.tenantId, request.requestedBy),
          senders: await names(request.tenantId, request.senders),
          recipients: await names(request.tenantId, request.recipients),
          purpose: label('purpose', request.purpose, tr.language),
          categories: request.categories.map((id) => label('category', id, tr.language)),
          validUntil: request.validUntil,
          notice,
          noticeHash: hash,
          csrf: csrf.token(c),
          error,
        }}
      />,
      error === undefined ? 200 : 422,
    );
  };

  app.get(
    '/portal/requests/:id',
    page(async (c) => {
      const person = await signedIn(c);
      if (!person) return toSignIn(c, 'needed');
      return renderRequest(c, person, idOf(c));
    }),
  );

  /**
   * The common start of a decision (grant, decline, revoke): the form, its CSRF token, the
   * signed-in person and the id in the path; undefined when nobody is signed in.
   */
  const decisionPost = async (c: PortalContext) => {
    const form = decisionOf(await formOf(c));
    csrf.check(c, form.csrf);
    const person = await signedIn(c);
    return person === undefined ? undefined : { form, person, id: idOf(c) };
  };

  app.post(
    '/portal/requests/:id/grant',
    page(async (c) => {
      const decision = await decisionPost(c);
      if (!decision) return toSignIn(c, 'needed');
      const { form, person, id } = decision;
      const tr = languageOf(c);
      if (form.confirm !== 'yes')
        return renderRequest(c, person, id, tr.t('request.confirmMissing'));
      const shown =
        isLanguage(form.lang) && form.noticeHash !== undefined
          ? { language: form.lang, noticeHash: form.noticeHash }
          : undefined;
      if (shown === undefined) return renderRequest(c, person, id, tr.t('request.changed'));
      try {
        const { consent } = await grantRequest(deps, person, id, shown);
        return c.redirect(`/portal/consents/${consent.consent.id}/receipt?done=granted`, 303);
      } catch (error) {
        if (isGatewayError(error) && error.reasons?.some((r) => r.code === 'notice_changed')) {
          return renderRequest(c, person, id, tr.t('request.changed'));
        }
        throw error;
      }
    }),
  );

  app.post(
    '/portal/requests/:id/decline',
    page(async (c) => {
      const decision = await decisionPost(c);
      if (!decision) return toSignIn(c, 'needed');
      const { person, id } = decision;
      await declineRequest(deps, person, id);
      return c.redirect(`/portal/requests/${id}`, 303);
    }),
  );

  const renderConsents = async (
    c: PortalContext,
    person: PortalPerson,
    extra: { done?: 'granted' | 'revoked'; unconfirmed?: string } = {},
  ): Promise<Response> => {
    const tr = languageOf(c);
    const now = deps.clock.now();
    const consents = (await personsConsents(deps, person)).reverse();
    const items = await Promise.all(
      consents.map(async (item) => ({
        id: item.consent.id,
        state: effectiveState(item, now),
        purpose: label('purpose', item.consent.purpose, tr.language).name,
        senders: await names(person.tenantId, item.consent.senders),
        recipients: await names(person.tenantId, item.consent.recipients),
        categories: categoryNames(item.consent.categories, tr.language),
        validFrom: item.consent.validFrom,
        validUntil: item.consent.validUntil,
        changedAt: item.current.at,
      })),
    );
    const open = await Promise.all(
      (await personsOpenRequests(deps, person)).map(async ({ request }) => ({
        id: request.id,
        purpose: label('purpose', request.purpose, tr.language).name,
        office: await agencyName(request.tenantId, request.requestedBy),
      })),
    );
    return c.html(
      <ConsentsPage
        frame={frame(c, tr, tr.t('consents.title'), csrf.token(c))}
        view={{ items, open, csrf: csrf.token(c), ...extra }}
      />,
      extra.unconfirmed === undefined ? 200 : 422,
    );
  };

  app.get(
    '/portal/consents',
    page(async (c) => {
      const person = await signedIn(c);
      if (!person) return toSignIn(c, 'needed');
      const done = c.req.query('done');
      return renderConsents(c, person, done === 'revoked' ? { done } : {});
    }),
  );

  app.post(
    '/portal/consents/:id/revoke',
    page(async (c) => {
      const decision = await decisionPost(c);
      if (!decision) return toSignIn(c, 'needed');
      const { form, person, id } = decision;
      if (form.confirm !== 'yes') return renderConsents(c, person, { unconfirmed: id });
      await revokeConsent(deps, person, id);
      return c.redirect('/portal/consents?done=revoked', 303);
    }),
  );

  /** The person's own consent, or 404 exactly as for one that does not exist. */
  const ownConsent = async (person: PortalPerson, id: string) => {
    const found = (await personsConsents(deps, person)).find((c) => c.consent.id === id);
    if (!found) throw new GatewayError('not_found', { detail: 'no such consent' });
    return found;
  };

  app.get(
    '/portal/consents/:id/receipt',
    page(async (c) => {
      const person = await signedIn(c);
      if (!person) return toSignIn(c, 'needed');
      const tr = languageOf(c);
      const found = await ownConsent(person, idOf(c));
      const claims = ReceiptClaims.parse(decodeJwt(found.consent.receipt));
      return c.html(
        <ReceiptPage
          frame={frame(c, tr, tr.t('receipt.title'), csrf.token(c))}
          view={{
            consentId: found.consent.id,
            receiptId: claims.receiptId,
            issuedAt: new Date(claims.iat * 1000).toISOString(),
            state: effectiveState(found, deps.clock.now()),
            parties: claims.piiControllers.map((p) => ({ name: p.piiController, role: p.role })),
            purpose: label('purpose', found.consent.purpose, tr.language).name,
            categories: categoryNames(found.consent.categories, tr.language),
            validFrom: claims.validFrom,
            validUntil: claims.validUntil,
            legalBasis: claims.legalBasis,
            withdrawalUrl: claims.withdrawalMethod.url,
            noticeHash: claims.noticeHash.value,
            noticeText: found.consent.noticeText,
            noticeLanguage: found.consent.language,
            granted: c.req.query('done') === 'granted',
          }}
        />,
      );
    }),
  );

  app.get(
    '/portal/consents/:id/receipt.jwt',
    page(async (c) => {
      const person = await signedIn(c);
      if (!person) return toSignIn(c, 'needed');
      const found = await ownConsent(person, idOf(c));
      c.header('Content-Type', 'application/jwt');
      c.header(
        'Content-Disposition',
        `attachment; filename="receipt-${found.consent.receiptId}.jwt"`,
      );
      return c.body(found.consent.receipt);
    }),
  );

  app.get(
    '/portal/history',
    page(async (c) => {
      const person = await signedIn(c);
      if (!person) return toSignIn(c, 'needed');
      const tr = languageOf(c);
      const entries = await personsHistory(deps, person);
      const items: HistoryItemView[] = [];
      for (const entry of entries) {
        if (entry.event === 'audit.read' || entry.event === 'audit.exported') continue;
        const key = `event.${entry.event}`;
        items.push({
          at: entry.time,
          what: isEventKey(key) ? tr.t(key) : tr.t('event.other'),
          from:
            entry.sender === undefined
              ? undefined
              : await agencyName(person.tenantId, entry.sender),
          to:
            entry.recipient === undefined
              ? undefined
              : await agencyName(person.tenantId, entry.recipient),
          categories:
            entry.categories === undefined
              ? undefined
              : categoryNames(entry.categories, tr.language),
          purpose:
            entry.purpose === undefined
              ? undefined
              : label('purpose', entry.purpose, tr.language).name,
          consentId: entry.consentId,
        });
      }
      return c.html(
        <HistoryPage frame={frame(c, tr, tr.t('history.title'), csrf.token(c))} items={items} />,
      );
    }),
  );
}

/** An id from the path; anything that cannot be one is simply not found. */
function idOf(c: PortalContext): string {
  const parsed = Id.safeParse(c.req.param('id'));
  if (!parsed.success) throw new GatewayError('not_found', { detail: 'no such page' });
  return parsed.data;
}

function decisionOf(fields: Record<string, string>): z.infer<typeof DecisionForm> {
  const parsed = DecisionForm.safeParse(fields);
  if (!parsed.success) {
    throw new GatewayError('validation_failed', {
      errors: parsed.error.issues.map((issue) => ({
        path: `/${issue.path.join('/')}`,
        message: issue.message,
      })),
    });
  }
  return parsed.data;
}

const EVENT_KEYS = [
  'event.consent.requested',
  'event.consent.granted',
  'event.consent.declined',
  'event.consent.revoked',
  'event.consent.expired',
  'event.request.expired',
  'event.exchange.accepted',
  'event.exchange.refused',
  'event.exchange.delivered',
  'event.exchange.acknowledged',
  'event.exchange.withheld',
  'event.exchange.purged',
] as const;
const isEventKey = (key: string): key is (typeof EVENT_KEYS)[number] =>
  (EVENT_KEYS as readonly string[]).includes(key);

/** The receipt claims the page shows; the receipt is the gateway's own, stored at grant. */
const ReceiptClaims = z.object({
  iat: z.number(),
  receiptId: z.string(),
  piiControllers: z.array(
    z.object({ piiController: z.string(), role: z.enum(['sender', 'recipient']) }),
  ),
  validFrom: z.string(),
  validUntil: z.string(),
  legalBasis: z.array(z.string()),
  withdrawalMethod: z.object({ url: z.string() }),
  noticeHash: z.object({ value: z.string() }),
});
