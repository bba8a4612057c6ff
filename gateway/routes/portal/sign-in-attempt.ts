import { isGatewayError, type GatewayError } from '../../../core/index.ts';
import type { Translator } from '../../portal/i18n.ts';
import type { PortalContext, PortalKit } from '../../portal/kit.tsx';
import type { MessageKey } from '../../portal/messages/de.ts';
import type { SignInInput } from '../../portal/sign-in.ts';

/** The statuses a sign-in page answers with. */
export type SignInStatus = 200 | 401 | 403 | 410 | 422 | 429;

/** A message at the top of a sign-in page. */
export interface SignInMessage {
  kind: 'info' | 'error';
  text: string;
}

/** Where each refusal of a sign-in sends the person, in words and status. */
const REFUSALS: Partial<Record<GatewayError['code'], readonly [MessageKey, SignInStatus]>> = {
  code_locked: ['signIn.locked', 403],
  code_expired: ['signIn.expired', 410],
  code_used: ['signIn.codeUsed', 410],
};

/**
 * Signs in with a code or a withdrawal code and sets the session cookie; answers where the person
 * goes next, or the refusal as the page's message and status. A refusal the map does not name is
 * `wrong` with 401, so a guesser cannot tell an unknown code from a wrong date.
 */
export async function attemptSignIn(
  kit: PortalKit,
  c: PortalContext,
  tr: Translator,
  input: SignInInput,
  wrong: MessageKey,
): Promise<{ to: string } | { message: SignInMessage; status: SignInStatus }> {
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
}
