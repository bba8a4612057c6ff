import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import { portalPerson, type ConsentDeps, type PortalPerson } from '../../consent/index.ts';
import { formFields } from '../form-body.ts';
import { GatewayError, isGatewayError } from '../../core/index.ts';
import { label, type Language } from '../../policies/index.ts';
import type { GatewayEnv } from '../env.ts';
import { reportUnexpected } from '../error-handler.ts';
import { csrfGuard, type CsrfGuard } from './csrf.ts';
import type { EidProvider } from './eid.ts';
import { isLanguage, LANGUAGE_COOKIE, type Translator } from './i18n.ts';
import type { PageFrame } from './layout.tsx';
import { requestTranslator } from './problem-page.tsx';
import { ErrorPage } from './pages/error.tsx';
import { sessionCookie, type SessionCookie } from './session-cookie.ts';
import { portalSites, type PortalSites } from './site.ts';
import type { PortalSignIn } from './sign-in.ts';

export type PortalContext = Context<GatewayEnv>;

export interface PortalPagesOptions {
  readonly consent: ConsentDeps;
  /** Secure cookies with the `__Host-` prefix when the gateway is reached over TLS. */
  readonly https: boolean;
  /** Sign-in with a code or withdrawal code, behind the per-address throttle. */
  readonly signIn: PortalSignIn;
  /** The identity-verified sign-in (OpenID Connect), where the deployment configured one. */
  readonly eid?: EidProvider | undefined;
  /** The tenant whose site the portal is (GATEWAY_PORTAL_TENANT); absent: the only or oldest. */
  readonly portalTenant?: string | undefined;
}

/** How long the language chosen sticks; the privacy statement names it. */
export const LANGUAGE_COOKIE_DAYS = 365;
const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** What every group of portal pages shares: language, frame, session, CSRF, forms, names. */
export interface PortalKit {
  readonly deps: ConsentDeps;
  readonly options: PortalPagesOptions;
  readonly session: SessionCookie;
  readonly csrf: CsrfGuard;
  languageOf(c: PortalContext): Translator;
  /** The municipality whose site the portal is, read once per request (see `portalSites`). */
  readonly site: PortalSites['site'];
  /** Reads the site before a page is built, so `frame` can name it without waiting. */
  readonly withSite: PortalSites['withSite'];
  frame(c: PortalContext, tr: Translator, title: string, person?: PortalPerson): PageFrame;
  /** The signed-in person, or undefined when there is no live session. */
  signedIn(c: PortalContext): Promise<PortalPerson | undefined>;
  toSignIn(c: PortalContext, notice: 'needed' | 'signed-out'): Response;
  /** Wraps a handler so refusals become a page in the person's language. */
  page(handler: (c: PortalContext) => Promise<Response>): (c: PortalContext) => Promise<Response>;
  formOf(c: PortalContext): Promise<Record<string, string>>;
  agencyName(tenantId: string, id: string): Promise<string>;
  names(tenantId: string, ids: readonly string[]): Promise<string[]>;
  categoryNames(ids: readonly string[], language: Language): string[];
}

/** What every group of portal pages is registered with; one per app (see `PortalKit`). */
export function portalKit(options: PortalPagesOptions): PortalKit {
  const deps = options.consent;
  const origin = new URL(deps.publicUrl).origin;
  const session = sessionCookie(options.https);
  const csrf = csrfGuard({ https: options.https, origin });

  const languageOf = (c: PortalContext): Translator => {
    rememberLanguage(c, options.https);
    return requestTranslator(c);
  };

  const sites = portalSites(deps.tenants, options.portalTenant);

  const frame = (c: PortalContext, tr: Translator, title: string, person?: PortalPerson) => {
    const known = sites.loaded(c);
    return {
      tr,
      title,
      path: c.req.path,
      csrf: person === undefined ? undefined : csrf.token(c),
      personWide: person?.access.kind === 'person',
      site: known === undefined ? undefined : { name: known.name },
    };
  };

  const toSignIn = (c: PortalContext, notice: 'needed' | 'signed-out') =>
    c.redirect(`/portal/sign-in?notice=${notice}`, 303);

  const agencyName = async (tenantId: string, id: string): Promise<string> =>
    (await deps.pki.principal(tenantId, id))?.displayName ?? id;

  return {
    deps,
    options,
    session,
    csrf,
    languageOf,
    site: sites.site,
    withSite: sites.withSite,
    frame,
    toSignIn,
    async signedIn(c) {
      const token = session.read(c);
      if (token === undefined) return undefined;
      try {
        return await portalPerson(deps, token);
      } catch (error) {
        if (isGatewayError(error) && error.code === 'unauthenticated') return undefined;
        throw error;
      }
    },
    page: (handler) => async (c) => {
      try {
        return await handler(c);
      } catch (error) {
        return errorPage(c, error, languageOf(c), frame, toSignIn);
      }
    },
    formOf: formFields,
    agencyName,
    names: (tenantId, ids) => Promise.all(ids.map((id) => agencyName(tenantId, id))),
    categoryNames: (ids, language) => ids.map((id) => label('category', id, language).name),
  };
}

/** A language chosen with `?lang=` sticks for the next pages, also after a form's redirect. */
function rememberLanguage(c: PortalContext, https: boolean): void {
  const query = c.req.query('lang');
  if (!isLanguage(query)) return;
  setCookie(c, LANGUAGE_COOKIE, query, {
    path: '/portal',
    sameSite: 'Lax',
    httpOnly: true,
    secure: https,
    maxAge: LANGUAGE_COOKIE_DAYS * 86_400,
  });
}

/** Refusals become a page in the person's language; nothing else leaks out. */
function errorPage(
  c: PortalContext,
  error: unknown,
  tr: Translator,
  frame: PortalKit['frame'],
  toSignIn: PortalKit['toSignIn'],
): Response | Promise<Response> {
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
    <ErrorPage frame={frame(c, tr, tr.t('error.title'))} text={text} requestId={c.var.requestId} />,
    status as 400,
  );
}

/** An id from the path; anything that cannot be one is simply not found. */
export function idOf(c: PortalContext): string {
  const parsed = Id.safeParse(c.req.param('id'));
  if (!parsed.success) throw new GatewayError('not_found', { detail: 'no such page' });
  return parsed.data;
}
