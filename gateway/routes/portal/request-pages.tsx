import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  declineRequest,
  grantRequest,
  personsRequest,
  requestNotice,
  type PortalPerson,
} from '../../../consent/index.ts';
import { GatewayError, isGatewayError } from '../../../core/index.ts';
import { label } from '../../../policies/index.ts';
import type { GatewayEnv } from '../../env.ts';
import { isLanguage } from '../../portal/i18n.ts';
import { idOf, type PortalContext, type PortalKit } from '../../portal/kit.tsx';
import { RequestPage } from '../../portal/pages/request.tsx';
import { renderReceipt } from './consent-pages.tsx';

const DecisionForm = z.object({
  csrf: z.string().max(64).optional(),
  confirm: z.literal('yes').optional(),
  lang: z.string().max(8).optional(),
  noticeHash: z.string().max(128).optional(),
});
export type DecisionForm = z.infer<typeof DecisionForm>;

/**
 * The common start of a decision (grant, decline, revoke): the form, its CSRF token, the
 * signed-in person and the id in the path; undefined when nobody is signed in.
 */
export async function decisionPost(
  kit: PortalKit,
  c: PortalContext,
): Promise<{ form: DecisionForm; person: PortalPerson; id: string } | undefined> {
  const parsed = DecisionForm.safeParse(await kit.formOf(c));
  if (!parsed.success) {
    throw new GatewayError('validation_failed', {
      errors: parsed.error.issues.map((issue) => ({
        path: `/${issue.path.join('/')}`,
        message: issue.message,
      })),
    });
  }
  kit.csrf.check(c, parsed.data.csrf);
  const person = await kit.signedIn(c);
  return person === undefined ? undefined : { form: parsed.data, person, id: idOf(c) };
}

/** A request in plain language, with Grant and Decline; the grant shows the receipt at once. */
export function registerRequestPages(app: OpenAPIHono<GatewayEnv>, kit: PortalKit): void {
  const { deps } = kit;

  const renderRequest = async (
    c: PortalContext,
    person: PortalPerson,
    requestId: string,
    problem: { error?: string; needsEid?: boolean } = {},
  ): Promise<Response> => {
    const tr = kit.languageOf(c);
    const { request, current } = await personsRequest(deps, person, requestId);
    const { notice, hash } = await requestNotice(deps, request, tr.language);
    const refused = problem.error !== undefined || problem.needsEid === true;
    return c.html(
      <RequestPage
        frame={kit.frame(c, tr, tr.t('request.title'), person)}
        view={{
          id: request.id,
          state: current.state,
          askedBy: await kit.agencyName(request.tenantId, request.requestedBy),
          senders: await kit.names(request.tenantId, request.senders),
          recipients: await kit.names(request.tenantId, request.recipients),
          purpose: label('purpose', request.purpose, tr.language),
          categories: request.categories.map((id) => label('category', id, tr.language)),
          validUntil: request.validUntil,
          notice,
          noticeHash: hash,
          csrf: kit.csrf.token(c),
          error: problem.error,
          needsEid: problem.needsEid === true ? { eid: kit.options.eid !== undefined } : undefined,
        }}
      />,
      problem.needsEid === true ? 403 : refused ? 422 : 200,
    );
  };

  app.get(
    '/portal/requests/:id',
    kit.page(async (c) => {
      const person = await kit.signedIn(c);
      if (!person) return kit.toSignIn(c, 'needed');
      return renderRequest(c, person, idOf(c));
    }),
  );

  app.post(
    '/portal/requests/:id/grant',
    kit.page(async (c) => {
      const decision = await decisionPost(kit, c);
      if (!decision) return kit.toSignIn(c, 'needed');
      const { form, person, id } = decision;
      const tr = kit.languageOf(c);
      if (form.confirm !== 'yes')
        return renderRequest(c, person, id, { error: tr.t('request.confirmMissing') });
      const shown =
        isLanguage(form.lang) && form.noticeHash !== undefined
          ? { language: form.lang, noticeHash: form.noticeHash }
          : undefined;
      if (shown === undefined)
        return renderRequest(c, person, id, { error: tr.t('request.changed') });
      try {
        const grant = await grantRequest(deps, person, id, shown);
        // The withdrawal code exists only in this answer: shown once, never cached, no redirect.
        c.header('Cache-Control', 'no-store');
        return await renderReceipt(kit, c, person, grant.consent, {
          withdrawalCode: grant.withdrawalCode,
        });
      } catch (error) {
        if (isGatewayError(error) && error.reasons?.some((r) => r.code === 'notice_changed')) {
          return renderRequest(c, person, id, { error: tr.t('request.changed') });
        }
        if (isGatewayError(error) && error.code === 'assurance_insufficient') {
          return renderRequest(c, person, id, { needsEid: true });
        }
        throw error;
      }
    }),
  );

  app.post(
    '/portal/requests/:id/decline',
    kit.page(async (c) => {
      const decision = await decisionPost(kit, c);
      if (!decision) return kit.toSignIn(c, 'needed');
      const { person, id } = decision;
      await declineRequest(deps, person, id);
      return c.redirect(`/portal/requests/${id}`, 303);
    }),
  );
}
