import type { OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { openEidSession } from '../../../consent/index.ts';
import {
  GatewayError,
  isGatewayError,
  randomBytes,
  sha256,
  toBase64Url,
} from '../../../core/index.ts';
import type { GatewayEnv } from '../../env.ts';
import type { PortalContext, PortalKit } from '../../portal/kit.tsx';
import { SignInPage } from '../../portal/pages/sign-in.tsx';
import { SignedInPage } from '../../portal/pages/signed-in.tsx';

/** How long a person may take at the provider before the sign-in in flight is void. */
const SIGN_IN_WINDOW_MS = 10 * 60_000;
const StartForm = z.object({
  csrf: z.string().max(64).optional(),
  // Only a path of our own portal, so the sign-in can never be turned into an open redirect.
  returnTo: z
    .string()
    .regex(/^\/portal\/requests\/[A-Za-z0-9_-]{1,64}$/)
    .optional()
    .catch(undefined),
});

/**
 * The identity-verified sign-in: redirects only, no script. `start` keeps state, nonce and the
 * PKCE verifier server-side under the hash of a random value in a short-lived cookie bound to
 * this browser; `callback` takes them back once, lets the provider module check everything, and
 * opens the person-wide session. A deployment without a provider answers 404 on both.
 */
export function registerEidPages(app: OpenAPIHono<GatewayEnv>, kit: PortalKit): void {
  const { deps } = kit;
  const eid = kit.options.eid;
  const cookieName = kit.options.https ? '__Host-cg_eid' : 'cg_eid';
  const notOffered = () => new GatewayError('not_found', { detail: 'no ID-card sign-in here' });

  app.post(
    '/portal/eid/start',
    kit.page(async (c) => {
      if (eid === undefined) throw notOffered();
      const form = StartForm.parse(await kit.formOf(c));
      kit.csrf.check(c, form.csrf);
      const { url, state, nonce, codeVerifier } = await eid.begin();
      const id = toBase64Url(randomBytes(32));
      await deps.consents.addEidSignIn({
        idHash: await sha256(id),
        state,
        nonce,
        codeVerifier,
        ...(form.returnTo === undefined ? {} : { returnTo: form.returnTo }),
        createdAt: deps.clock.now().toISOString(),
      });
      // Lax, not Strict: the provider's redirect back is a top-level cross-site navigation.
      setCookie(c, cookieName, id, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: kit.options.https,
        path: '/',
        maxAge: SIGN_IN_WINDOW_MS / 1000,
      });
      return c.redirect(url.href, 303);
    }),
  );

  app.get(
    '/portal/eid/callback',
    kit.page(async (c) => {
      if (eid === undefined) throw notOffered();
      const id = getCookie(c, cookieName);
      deleteCookie(c, cookieName, { path: '/', secure: kit.options.https });
      const inFlight =
        id === undefined ? undefined : await deps.consents.takeEidSignIn(await sha256(id));
      const fresh =
        inFlight !== undefined &&
        new Date(inFlight.createdAt).getTime() + SIGN_IN_WINDOW_MS > deps.clock.now().getTime();
      if (!fresh) return failed(c, kit);
      try {
        const identity = await eid.complete(new URL(c.req.url), inFlight);
        const opened = await openEidSession(deps, identity);
        kit.session.write(c, opened.token);
        const to = inFlight.returnTo ?? '/portal/consents';
        const tr = kit.languageOf(c);
        const linkText = tr.t(
          inFlight.returnTo === undefined ? 'nav.consents' : 'consents.openLink',
        );
        return await c.html(
          <SignedInPage
            frame={kit.frame(c, tr, tr.t('signIn.eidTitle'), opened.person)}
            to={to}
            linkText={linkText}
          />,
        );
      } catch (error) {
        if (isGatewayError(error) && error.code === 'unauthenticated') {
          c.var.log.info(
            { reason: error.reasons?.[0]?.code ?? 'unknown' },
            'identity-verified sign-in refused',
          );
          return failed(c, kit);
        }
        throw error;
      }
    }),
  );
}

/** The sign-in page with the plain message that the ID-card sign-in did not work. */
function failed(c: PortalContext, kit: PortalKit): Response | Promise<Response> {
  const tr = kit.languageOf(c);
  return c.html(
    <SignInPage
      frame={{ ...kit.frame(c, tr, tr.t('signIn.title')), path: '/portal/sign-in' }}
      view={{
        code: '',
        csrf: kit.csrf.token(c),
        eid: true,
        message: { kind: 'error', text: tr.t('signIn.eidFailed') },
      }}
    />,
    401,
  );
}
