import type { Context } from 'hono';
import type { AssertionCheck, PkiStore } from '../../certs/index.ts';
import type { ConsentStore } from '../../consent/index.ts';
import type { GatewayError } from '../../core/index.ts';
import { isGatewayError } from '../../core/index.ts';
import type { MonitoringSource } from '../../monitoring/index.ts';
import type { TenantStore } from '../../tenants/index.ts';
import type { GatewayEnv } from '../env.ts';
import { reportUnexpected } from '../error-handler.ts';
import { csrfGuard, type CsrfGuard } from '../portal/csrf.ts';
import { SignInThrottle } from '../portal/sign-in-throttle.ts';
import {
  MemoryRateLimitStore,
  type RateLimitPolicy,
  type RateLimitStore,
} from '../rate-limit/index.ts';
import { stillEntitled, takePageBudget } from './access.ts';
import { pageLanguageOf, pageText, type PageText } from './i18n.ts';
import type { MonitoringFrame } from './layout.tsx';
import type { MessageKey } from './messages.ts';
import { MonitoringSessions, type MonitoringSession } from './session.ts';
import { ErrorPage, SignInPage, type SignInMessage } from './sign-in-page.tsx';

export type PageContext = Context<GatewayEnv>;

/** What the monitoring pages need from the app that registers them. */
export interface MonitoringPagesOptions {
  readonly source: MonitoringSource;
  readonly storage: {
    readonly tenants: TenantStore;
    readonly pki: PkiStore;
    /** Where the per-tenant session secret rests, wrapped under the master key. */
    readonly consents: Pick<ConsentStore, 'tenantSecret'>;
  };
  readonly masterKey: CryptoKey;
  /** The API's assertion check (store, clock, audience): sign-in verifies exactly as it does. */
  readonly assertionCheck: AssertionCheck;
  /** Failed sign-ins one address may make per window (default 10 per 15 minutes). */
  readonly signInThrottle?: { readonly limit: number; readonly windowMs: number } | undefined;
  readonly clientAddress?: ((c: PageContext) => string | undefined) | undefined;
  /** A signed-in principal's budget of pages: the API's `audit` class. */
  readonly pageLimit: RateLimitPolicy;
  readonly rateLimitStore?: RateLimitStore | undefined;
}

/** What every monitoring route shares: language, frame, session, CSRF, refusals as pages. */
export interface MonitoringKit {
  readonly options: MonitoringPagesOptions;
  readonly sessions: MonitoringSessions;
  readonly csrf: CsrfGuard;
  readonly throttle: SignInThrottle;
  textOf(c: PageContext, chosen?: string): PageText;
  /** The frame of a page; `path` is the page with the query to keep for the language links. */
  frame(text: PageText, title: string, path: string): MonitoringFrame;
  signInPage(
    c: PageContext,
    text: PageText,
    message?: SignInMessage,
    status?: number,
  ): Response | Promise<Response>;
  /** Wraps a handler so every refusal becomes a page in the member's language, never JSON. */
  page(handler: (c: PageContext) => Promise<Response>): (c: PageContext) => Promise<Response>;
  /** Wraps a handler that needs a live session; without one it answers the sign-in page. */
  signedIn(
    handler: (c: PageContext, session: MonitoringSession, text: PageText) => Promise<Response>,
  ): (c: PageContext) => Promise<Response>;
}

export function monitoringKit(options: MonitoringPagesOptions): MonitoringKit {
  const { assertionCheck, storage } = options;
  const clock = assertionCheck.clock;
  const https = assertionCheck.audience.startsWith('https:');
  const sessions = new MonitoringSessions({
    secrets: storage.consents,
    tenants: storage.tenants,
    masterKey: options.masterKey,
    clock,
    https,
  });
  const csrf = csrfGuard({ https, origin: new URL(assertionCheck.audience).origin });
  const throttle = new SignInThrottle({
    limit: options.signInThrottle?.limit ?? 10,
    windowMs: options.signInThrottle?.windowMs ?? 15 * 60_000,
    clock,
  });
  const limits = {
    store: options.rateLimitStore ?? new MemoryRateLimitStore(),
    policy: options.pageLimit,
    clock,
  };
  const textOf = (c: PageContext, chosen?: string) =>
    pageText(pageLanguageOf(chosen ?? c.req.query('lang'), c.req.header('Accept-Language')));
  const frame = (text: PageText, title: string, path: string) => ({ text, title, path });

  const signInPage: MonitoringKit['signInPage'] = (c, text, message, status = 200) =>
    c.html(
      <SignInPage
        frame={frame(text, text.t('signIn.title'), '/monitoring')}
        csrf={csrf.token(c)}
        audience={assertionCheck.audience}
        message={message}
      />,
      status as 200,
    );

  const page: MonitoringKit['page'] = (handler) => async (c) => {
    try {
      return await handler(c);
    } catch (error) {
      return errorPage(c, error, textOf(c));
    }
  };

  const signedIn: MonitoringKit['signedIn'] = (handler) =>
    page(async (c) => {
      const text = textOf(c);
      const read = await sessions.read(c);
      const entitled =
        read.state === 'open' && (await stillEntitled(storage.pki, clock, read.session));
      if (read.state !== 'open' || !entitled) {
        if (read.state !== 'none') sessions.clear(c);
        const entry = read.state === 'none' && c.req.path === '/monitoring';
        const key: MessageKey = read.state === 'none' ? 'signIn.needed' : 'signIn.ended';
        return signInPage(
          c,
          text,
          entry ? undefined : { kind: 'info', text: text.t(key) },
          entry ? 200 : 401,
        );
      }
      await takePageBudget(limits, read.session);
      return handler(c, read.session, text);
    });

  return { options, sessions, csrf, throttle, textOf, frame, signInPage, page, signedIn };
}

/** Refusals and failures of a page become a page in the member's language; nothing leaks out. */
function errorPage(c: PageContext, error: unknown, text: PageText) {
  let status = 500;
  let key: MessageKey = 'error.generic';
  let values: Record<string, number> = {};
  if (isGatewayError(error)) {
    status = error.status;
    ({ key, values } = refusalText(c, error));
    if (error.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter));
    if (status >= 500) reportUnexpected(c, error);
  } else reportUnexpected(c, error);
  return c.html(
    <ErrorPage
      frame={{ text, title: text.t('error.title'), path: '/monitoring' }}
      message={text.t(key, values)}
      requestId={c.var.requestId}
    />,
    status as 500,
  );
}

/** The sentence for a refusal of a signed-in page. */
function refusalText(
  c: PageContext,
  error: GatewayError,
): { key: MessageKey; values: Record<string, number> } {
  switch (error.code) {
    case 'validation_failed':
      return {
        key:
          error.errors?.some((e) => e.path === '/period') === true
            ? 'error.period'
            : 'error.generic',
        values: {},
      };
    case 'not_found': {
      // Past the file name, the one thing a programme route does not find is a programme.
      const badName = error.errors?.some((e) => e.path === '/file') === true;
      const programme = c.req.path.includes('/programme') && !badName;
      return { key: programme ? 'error.noProgramme' : 'error.notFound', values: {} };
    }
    case 'forbidden':
      return { key: 'form.expired', values: {} };
    case 'rate_limited':
      return { key: 'error.rateLimited', values: { seconds: error.retryAfter ?? 1 } };
    default:
      return { key: 'error.generic', values: {} };
  }
}
