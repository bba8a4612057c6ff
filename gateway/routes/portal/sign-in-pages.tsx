import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { endPortalSession } from '../../../consent/index.ts';
import { isGatewayError, type GatewayError } from '../../../core/index.ts';
import type { GatewayEnv } from '../../env.ts';
import type { PortalContext, PortalKit } from '../../portal/kit.tsx';
import type { Translator } from '../../portal/i18n.ts';
import type { MessageKey } from '../../portal/messages/de.ts';
import { birthDateOf, type BirthDateParts } from '../../portal/birth-date.ts';
import {
  SignInPage,
  WithdrawalSignInPage,
  type SignInProblems,
} from '../../portal/pages/sign-in.tsx';
import type { SignInInput } from '../../portal/sign-in.ts';

const SignInForm = z.object({
  csrf: z.string().max(64).optional(),
  code: z.string().max(32).default(''),
  birthDay: z.string().max(16).optional(),
  birthMonth: z.string().max(16).optional(),
  birthYear: z.string().max(16).optional(),
  /**
   * The birth date in one ISO field, as the form sent it before it had three: a page left open
   * across an upgrade still signs in. Used only when none of the three fields came.
   */
  secondFactor: z.string().max(32).optional(),
});
type SignInFields = z.infer<typeof SignInForm>;
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
    view: {
      code: string;
      birthDate?: BirthDateParts;
      message?: Message;
      problems?: SignInProblems;
    },
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
      const fields: SignInFields = form.success ? form.data : { code: '' };
      if (!kit.csrf.valid(c, fields.csrf)) {
        // Nothing of a refused form is shown again: a foreign site's post must not fill the
        // person's form with a code of its choosing.
        const message = { kind: 'error' as const, text: tr.t('form.expired') };
        return renderSignIn(c, tr, { code: '', message }, 403);
      }
      // What the person typed stays in the fields, so a typo in the date is quick to fix.
      const kept = { code: fields.code, birthDate: partsOf(fields) };
      const input = readSignIn(tr, fields, kit.deps.clock.now().toISOString().slice(0, 10));
      if ('problems' in input) return renderSignIn(c, tr, { ...kept, ...input }, 422);
      const outcome = await attempt(c, tr, input, 'signIn.wrong');
      if ('to' in outcome) return c.redirect(outcome.to, 303);
      if (outcome.status === 401) {
        const problems = { credentials: outcome.message.text };
        return renderSignIn(c, tr, { ...kept, problems }, outcome.status);
      }
      return renderSignIn(c, tr, { ...kept, message: outcome.message }, outcome.status);
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

/**
 * The code and ISO birth date a form carries, or what the person must fix first. A form with a
 * problem is answered without a sign-in attempt: an empty code or a date that cannot exist
 * matches no request, so it neither tells a guesser anything nor costs the person an attempt.
 */
function readSignIn(
  tr: Translator,
  fields: SignInFields,
  today: string,
): { code: string; secondFactor: string } | { problems: SignInProblems } {
  const code = fields.code.trim();
  const problems: { code?: string; birthDate?: SignInProblems['birthDate'] } = {};
  if (code === '') problems.code = tr.t('signIn.codeMissing');
  const typed = [fields.birthDay, fields.birthMonth, fields.birthYear].some(
    (part) => part !== undefined,
  );
  let secondFactor = fields.secondFactor?.trim() ?? '';
  if (typed || secondFactor === '') {
    const date = birthDateOf(partsOf(fields), today);
    if (date.ok) secondFactor = date.iso;
    else problems.birthDate = { text: tr.t(date.problem.key), fields: date.problem.fields };
  }
  if (problems.code !== undefined || problems.birthDate !== undefined) return { problems };
  return { code, secondFactor };
}

/** The three date fields as typed (empty where the form had none). */
const partsOf = (fields: SignInFields): BirthDateParts => ({
  day: fields.birthDay ?? '',
  month: fields.birthMonth ?? '',
  year: fields.birthYear ?? '',
});
