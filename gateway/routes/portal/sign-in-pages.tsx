import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { endPortalSession } from '../../../consent/index.ts';
import type { GatewayEnv } from '../../env.ts';
import type { PortalContext, PortalKit } from '../../portal/kit.tsx';
import type { Translator } from '../../portal/i18n.ts';
import { birthDateOf, todayInBerlin, type BirthDateParts } from '../../portal/birth-date.ts';
import { SignInPage, type SignInProblems } from '../../portal/pages/sign-in.tsx';
import { attemptSignIn, type SignInMessage, type SignInStatus } from './sign-in-attempt.ts';
import { registerWithdrawalSignIn } from './withdrawal-sign-in-pages.tsx';

const SignInForm = z.object({
  csrf: z.string().max(64).optional(),
  code: z.string().max(32).default(''),
  birthDay: z.string().max(16).optional(),
  birthMonth: z.string().max(16).optional(),
  birthYear: z.string().max(16).optional(),
  /**
   * The birth date in one ISO field, from the one-field form the three fields replaced: it keeps
   * a sign-in page that form rendered, still open in a browser, working. Used only when none of
   * the three fields came. It can go in the release after the one that ships the three fields:
   * by then no page of the old form is still open, and if one were, its post would only be asked
   * for the date again (422), costing no attempt.
   */
  secondFactor: z.string().max(32).optional(),
});
type SignInFields = z.infer<typeof SignInForm>;

interface SignInView {
  code: string;
  birthDate?: BirthDateParts;
  message?: SignInMessage;
  problems?: SignInProblems;
}

/**
 * Sign-in with the one-time code (which opens its own request only), with the withdrawal code
 * (its one consent), and sign-out. Failed attempts count against the address's throttle.
 */
export function registerSignInPages(app: OpenAPIHono<GatewayEnv>, kit: PortalKit): void {
  app.get(
    '/portal/sign-in',
    kit.page(async (c) => {
      const tr = kit.languageOf(c);
      const message = noticeOf(tr, c.req.query('notice'));
      // The code may come in the link of the person's letter; it is only pre-filled here and
      // never appears in a URL after sign-in.
      const code = (c.req.query('code') ?? '').slice(0, 32);
      return renderSignIn(kit, c, tr, { code, ...(message ? { message } : {}) });
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
        return renderSignIn(kit, c, tr, { code: '', message }, 403);
      }
      // What the person typed stays in the fields, so a typo in the date is quick to fix.
      const kept = { code: fields.code, birthDate: partsOf(fields) };
      const input = readSignIn(tr, fields, todayInBerlin(kit.deps.clock.now()));
      if ('problems' in input) return renderSignIn(kit, c, tr, { ...kept, ...input }, 422);
      const outcome = await attemptSignIn(kit, c, tr, input, 'signIn.wrong');
      if ('to' in outcome) return c.redirect(outcome.to, 303);
      // Wrong credentials belong to the fields; locks, expiry and throttling to the whole page.
      const refusal =
        outcome.status === 401
          ? { problems: { credentials: outcome.message.text } }
          : { message: outcome.message };
      return renderSignIn(kit, c, tr, { ...kept, ...refusal }, outcome.status);
    }),
  );

  registerWithdrawalSignIn(app, kit);

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

function renderSignIn(
  kit: PortalKit,
  c: PortalContext,
  tr: Translator,
  view: SignInView,
  status: SignInStatus = 200,
) {
  return c.html(
    <SignInPage
      frame={{
        ...kit.frame(c, tr, tr.t('signIn.title')),
        // Switching language before sign-in keeps the code from the letter's link.
        path:
          c.req.method === 'GET' && view.code !== ''
            ? `/portal/sign-in?code=${encodeURIComponent(view.code)}`
            : '/portal/sign-in',
      }}
      view={{ ...view, csrf: kit.csrf.token(c), eid: kit.options.eid !== undefined }}
    />,
    status,
  );
}

/** The message a redirect to the sign-in page asked for with `?notice=`. */
function noticeOf(tr: Translator, notice: string | undefined): SignInMessage | undefined {
  if (notice === 'needed') return { kind: 'info', text: tr.t('signIn.needed') };
  if (notice === 'signed-out') return { kind: 'info', text: tr.t('signIn.signedOut') };
  return undefined;
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
