import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { endPortalSession } from '../../../consent/index.ts';
import { isGatewayError, type GatewayError } from '../../../core/index.ts';
import type { GatewayEnv } from '../../env.ts';
import type { PortalContext, PortalKit } from '../../portal/kit.tsx';
import type { Translator } from '../../portal/i18n.ts';
import type { MessageKey } from '../../portal/messages/de.ts';
import { SignInPage, WithdrawalSignInPage } from '../../portal/pages/sign-in.tsx';
import type { SignInInput } from '../../portal/sign-in.ts';

const SignInForm = z.object({
  csrf: z.string().max(64).optional(),
  code: z.string().max(32).default(''),
  secondFactor: z.string().max(32).default(''),
});
const WithdrawalForm = z.object({
  csrf: z.string().max(64).optional(),
  withdrawalCode: z.string().max(48).default(''),
});

type Status = 200 | 401 | 403 | 410 | 422 | 429;
interface Message {
  kind: 'info' | 'error';
  text: string;
}

/** Where each refusal of a sign-in sends the person, in words and status. */
const REFUSALS: Partial<Record<GatewayError['code'], readonly [MessageKey, Status]>> = {
  code_locked: ['signIn.locked', 403],
  code_expired: ['signIn.expired', 410],
  code_used: ['signIn.codeUsed', 410],
};

/**
 * Sign-in with the one-time code (which opens its own request only), with the withdrawal code
 * (its one consent), and sign-out. Failed attempts count against the address's throttle.
 */
export function registerSignInPages(app: OpenAPIHono<GatewayEnv>, kit: PortalKit): void {
  const eid = kit.options.eid !== undefined;

  const renderSignIn = (
    c: PortalContext,
    tr: Translator,
    view: { code: string; message?: Message },
    status: Status = 200,
  ) =>
    c.html(
      <SignInPage
        frame={{
          ...kit.frame(c, tr, tr.t('signIn.title')),
          // Switching language before sign-in keeps the code from the letter's link.
          path:
            c.req.method === 'GET' && view.code !== ''
              ? `/portal/sign-in?code=${encodeURIComponent(view.code)}`
              : '/portal/sign-in',
        }}
        view={{ ...view, csrf: kit.csrf.token(c), eid }}
      />,
      status,
    );

  const renderWithdrawal = (c: PortalContext, tr: Translator, message?: Message, status = 200) =>
    c.html(
      <WithdrawalSignInPage
        frame={kit.frame(c, tr, tr.t('signIn.withdrawalTitle'))}
        view={{ csrf: kit.csrf.token(c), eid, message }}
      />,
      status as Status,
    );

  /** Signs in, or answers the refusal as the page's message. */
  const attempt = async (
    c: PortalContext,
    tr: Translator,
    input: SignInInput,
    wrong: MessageKey,
  ): Promise<{ to: string } | { message: Message; status: Status }> => {
    try {
      const opened = await kit.options.signIn(c, input);
      kit.session.write(c, opened.token);
      const { access } = opened.person;
      return {
        to: access.kind === 'request' ? `/portal/requests/${access.requestId}` : '/portal/consents',
      };
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      if (error.code === 'rate_limited') {
        const wait = error.retryAfter ?? 60;
        c.header('Retry-After', String(wait));
        const text = tr.t('signIn.rateLimited', { minutes: Math.ceil(wait / 60) });
        return { message: { kind: 'error', text }, status: 429 };
      }
      const [key, status] = REFUSALS[error.code] ?? ([wrong, 401] as const);
      return { message: { kind: 'error', text: tr.t(key) }, status };
    }
  };

  app.get(
    '/portal/sign-in',
    kit.page(async (c) => {
      const tr = kit.languageOf(c);
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
    kit.page(async (c) => {
      const tr = kit.languageOf(c);
      const form = SignInForm.safeParse(await kit.formOf(c));
      const fields = form.success ? form.data : { code: '', secondFactor: '', csrf: undefined };
      if (!kit.csrf.valid(c, fields.csrf)) {
        const message = { kind: 'error' as const, text: tr.t('form.expired') };
        return renderSignIn(c, tr, { code: '', message }, 403);
      }
      const input = { code: fields.code, secondFactor: fields.secondFactor };
      const outcome = await attempt(c, tr, input, 'signIn.wrong');
      if ('to' in outcome) return c.redirect(outcome.to, 303);
      // The code the person typed is kept in the field so a typo in the date is quick to fix.
      return renderSignIn(c, tr, { code: fields.code, message: outcome.message }, outcome.status);
    }),
  );

  app.get(
    '/portal/withdraw',
    kit.page((c) => Promise.resolve(renderWithdrawal(c, kit.languageOf(c)))),
  );

  app.post(
    '/portal/withdraw',
    kit.page(async (c) => {
      const tr = kit.languageOf(c);
      const form = WithdrawalForm.safeParse(await kit.formOf(c));
      const fields = form.success ? form.data : { withdrawalCode: '', csrf: undefined };
      if (!kit.csrf.valid(c, fields.csrf)) {
        return renderWithdrawal(c, tr, { kind: 'error', text: tr.t('form.expired') }, 403);
      }
      const input = { withdrawalCode: fields.withdrawalCode };
      const outcome = await attempt(c, tr, input, 'signIn.withdrawalWrong');
      if ('to' in outcome) return c.redirect(outcome.to, 303);
      return renderWithdrawal(c, tr, outcome.message, outcome.status);
    }),
  );

  app.post(
    '/portal/sign-out',
    kit.page(async (c) => {
      const form = await kit.formOf(c);
      kit.csrf.check(c, form['csrf']);
      const token = kit.session.read(c);
      if (token !== undefined) await endPortalSession(kit.deps, token);
      kit.session.clear(c);
      return kit.toSignIn(c, 'signed-out');
    }),
  );
}
