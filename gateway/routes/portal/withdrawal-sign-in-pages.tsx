import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { GatewayEnv } from '../../env.ts';
import type { Translator } from '../../portal/i18n.ts';
import type { PortalContext, PortalKit } from '../../portal/kit.tsx';
import { WithdrawalSignInPage } from '../../portal/pages/sign-in.tsx';
import { attemptSignIn, type SignInMessage, type SignInStatus } from './sign-in-attempt.ts';

const WithdrawalForm = z.object({
  csrf: z.string().max(64).optional(),
  withdrawalCode: z.string().max(48).default(''),
});

/**
 * Sign-in with the withdrawal code, which opens its one consent. Failed attempts count against
 * the address's throttle like those with the one-time code.
 */
export function registerWithdrawalSignIn(app: OpenAPIHono<GatewayEnv>, kit: PortalKit): void {
  app.get(
    '/portal/withdraw',
    kit.page((c) => Promise.resolve(renderWithdrawal(kit, c, kit.languageOf(c)))),
  );

  app.post(
    '/portal/withdraw',
    kit.page(async (c) => {
      const tr = kit.languageOf(c);
      const form = WithdrawalForm.safeParse(await kit.formOf(c));
      const fields = form.success ? form.data : { withdrawalCode: '', csrf: undefined };
      if (!kit.csrf.valid(c, fields.csrf)) {
        return renderWithdrawal(kit, c, tr, { kind: 'error', text: tr.t('form.expired') }, 403);
      }
      const input = { withdrawalCode: fields.withdrawalCode };
      const outcome = await attemptSignIn(kit, c, tr, input, 'signIn.withdrawalWrong');
      if ('to' in outcome) return c.redirect(outcome.to, 303);
      return renderWithdrawal(kit, c, tr, outcome.message, outcome.status);
    }),
  );
}

function renderWithdrawal(
  kit: PortalKit,
  c: PortalContext,
  tr: Translator,
  message?: SignInMessage,
  status: SignInStatus = 200,
) {
  return c.html(
    <WithdrawalSignInPage
      frame={kit.frame(c, tr, tr.t('signIn.withdrawalTitle'))}
      view={{ csrf: kit.csrf.token(c), eid: kit.options.eid !== undefined, message }}
    />,
    status,
  );
}
