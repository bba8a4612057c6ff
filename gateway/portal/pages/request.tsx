import type { FC } from 'hono/jsx';
import type { ConsentNotice } from '../../../consent/index.ts';
import { CsrfField, Layout, Message, type PageFrame } from '../layout.tsx';
import { OtherWays } from './sign-in.tsx';

export interface LabelView {
  readonly name: string;
  readonly description: string;
}

export interface RequestView {
  readonly id: string;
  readonly state: 'pending' | 'approved' | 'declined' | 'expired';
  readonly askedBy: string;
  readonly senders: readonly string[];
  readonly recipients: readonly string[];
  readonly purpose: LabelView;
  readonly categories: readonly LabelView[];
  readonly validUntil: string;
  readonly notice: ConsentNotice;
  readonly noticeHash: string;
  readonly csrf: string;
  readonly error?: string | undefined;
  /**
   * The policy demands a stronger sign-in than this session's for the grant: the page says why
   * and offers the ID-card sign-in (`eid` tells whether the deployment has one).
   */
  readonly needsEid?: { readonly eid: boolean } | undefined;
}

/**
 * The request in plain language: the main points first, then the full notice the person agrees
 * to, then Grant and Decline. Granting takes one tick and one button, exactly as revoking does.
 */
export const RequestPage: FC<{ frame: PageFrame; view: RequestView }> = ({ frame, view }) => {
  const { tr } = frame;
  const stateText = {
    pending: undefined,
    approved: tr.t('request.approved'),
    declined: tr.t('request.declined'),
    expired: tr.t('request.expiredState'),
  }[view.state];
  return (
    <Layout {...frame}>
      <h1>{tr.t('request.title')}</h1>
      {view.error === undefined ? null : <Message kind="error">{view.error}</Message>}
      {view.needsEid === undefined ? null : (
        <section class="message error" aria-labelledby="assurance-heading">
          <h2 id="assurance-heading">{tr.t('assurance.title')}</h2>
          <p>{tr.t('assurance.text')}</p>
          <OtherWays
            tr={tr}
            csrf={view.csrf}
            eid={view.needsEid.eid}
            returnTo={`/portal/requests/${view.id}`}
          />
        </section>
      )}
      {stateText === undefined ? (
        <p class="lead">{tr.t('request.lead')}</p>
      ) : (
        <Message kind="info">{stateText}</Message>
      )}
      <h2>{tr.t('request.glance')}</h2>
      <dl class="facts">
        <dt>{tr.t('request.askedBy')}</dt>
        <dd>{view.askedBy}</dd>
        <dt>{tr.t('request.senders')}</dt>
        <dd>{tr.list(view.senders)}</dd>
        <dt>{tr.t('request.recipients')}</dt>
        <dd>{tr.list(view.recipients)}</dd>
        <dt>{tr.t('request.data')}</dt>
        <dd>
          <ul class="categories">
            {view.categories.map((category) => (
              <li>
                <strong>{category.name}</strong>: {category.description}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{tr.t('request.purpose')}</dt>
        <dd>
          <strong>{view.purpose.name}</strong>: {view.purpose.description}
        </dd>
        <dt>{tr.t('request.until')}</dt>
        <dd>
          <time datetime={view.validUntil}>{tr.date(view.validUntil)}</time>
        </dd>
        <dt>{tr.t('request.howToRevoke')}</dt>
        <dd>{tr.t('request.howToRevokeText')}</dd>
      </dl>
      <h2>{tr.t('request.fullText')}</h2>
      <section class="notice" aria-labelledby="notice-title" lang={view.notice.language}>
        <h3 id="notice-title">{view.notice.title}</h3>
        {view.notice.sections.map((section) => (
          <>
            <h3>{section.heading}</h3>
            <p>{section.body}</p>
          </>
        ))}
      </section>
      {view.state !== 'pending' ? null : (
        <>
          <h2>{tr.t('request.decide')}</h2>
          <form method="post" action={`/portal/requests/${view.id}/grant`}>
            <CsrfField token={view.csrf} />
            <input type="hidden" name="lang" value={view.notice.language} />
            <input type="hidden" name="noticeHash" value={view.noticeHash} />
            <div class="check">
              <input type="checkbox" id="confirm" name="confirm" value="yes" required />
              <label for="confirm">{tr.t('request.confirm')}</label>
            </div>
            <div class="actions">
              <button class="primary" type="submit">
                {tr.t('request.grant')}
              </button>
            </div>
          </form>
          <form method="post" action={`/portal/requests/${view.id}/decline`}>
            <CsrfField token={view.csrf} />
            <p class="hint">{tr.t('request.declineHint')}</p>
            <div class="actions">
              <button class="secondary" type="submit">
                {tr.t('request.decline')}
              </button>
            </div>
          </form>
        </>
      )}
    </Layout>
  );
};
