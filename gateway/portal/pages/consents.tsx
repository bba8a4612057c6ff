import type { FC } from 'hono/jsx';
import type { Translator } from '../i18n.ts';
import { CsrfField, Layout, Message, type PageFrame } from '../layout.tsx';

export interface ConsentItemView {
  readonly id: string;
  readonly state: 'active' | 'revoked' | 'expired';
  readonly purpose: string;
  readonly senders: readonly string[];
  readonly recipients: readonly string[];
  readonly categories: readonly string[];
  readonly validFrom: string;
  readonly validUntil: string;
  readonly changedAt: string;
  /** How a revocation came, in words (the person in the portal, an office, …). */
  readonly revokedThrough?: string | undefined;
}

export interface OpenRequestView {
  readonly id: string;
  readonly purpose: string;
  readonly office: string;
}

export interface ConsentsView {
  readonly items: readonly ConsentItemView[];
  /** Requests of this person still waiting for a decision. */
  readonly open: readonly OpenRequestView[];
  readonly csrf: string;
  readonly done?: 'granted' | 'revoked' | undefined;
  /** A revoke form sent without its confirmation tick: which consent, to show the hint there. */
  readonly unconfirmed?: string | undefined;
  /** Something to tell the person first (e.g. that a verified sign-in found no request). */
  readonly notice?: string | undefined;
}

/** The person's consents, newest first, each active one with its own Revoke form. */
export const ConsentsPage: FC<{ frame: PageFrame; view: ConsentsView }> = ({ frame, view }) => {
  const { tr } = frame;
  return (
    <Layout {...frame}>
      <h1>{tr.t('consents.title')}</h1>
      {view.notice === undefined ? null : <Message kind="info">{view.notice}</Message>}
      {view.done === 'granted' ? (
        <Message kind="success">{tr.t('consents.granted')}</Message>
      ) : null}
      {view.done === 'revoked' ? (
        <Message kind="success">{tr.t('consents.revoked')}</Message>
      ) : null}
      {view.open.length === 0 ? null : <OpenRequests tr={tr} open={view.open} />}
      <p>{tr.t('consents.intro')}</p>
      {view.items.length === 0 ? <p>{tr.t('consents.empty')}</p> : null}
      {view.items.map((item) => (
        <ConsentArticle
          tr={tr}
          item={item}
          csrf={view.csrf}
          unconfirmed={view.unconfirmed === item.id}
        />
      ))}
    </Layout>
  );
};

/** Requests still waiting, each linked to its decision page. */
const OpenRequests: FC<{ tr: Translator; open: readonly OpenRequestView[] }> = ({ tr, open }) => (
  <section class="message" aria-labelledby="open-requests">
    <h2 id="open-requests">{tr.t('consents.open')}</h2>
    <p>{tr.t('consents.openIntro')}</p>
    <ul>
      {open.map((request) => (
        <li>
          {tr.t('consents.openItem', { purpose: request.purpose, office: request.office })}
          {' – '}
          <a href={`/portal/requests/${request.id}`}>
            {tr.t('consents.openLinkFor', { purpose: request.purpose })}
          </a>
        </li>
      ))}
    </ul>
  </section>
);

/** One consent: its facts, the link to its receipt and, while active, the Revoke form. */
const ConsentArticle: FC<{
  tr: Translator;
  item: ConsentItemView;
  csrf: string;
  unconfirmed: boolean;
}> = ({ tr, item, csrf, unconfirmed }) => (
  <article class="consent" aria-labelledby={`h-${item.id}`}>
    <h2 id={`h-${item.id}`}>{tr.t('consents.item', { purpose: item.purpose })}</h2>
    <ConsentFacts tr={tr} item={item} />
    <p>
      <a href={`/portal/consents/${item.id}/receipt`}>
        {tr.t('consent.receiptFor', { purpose: item.purpose })}
      </a>
    </p>
    {item.state !== 'active' ? null : (
      <RevokeForm tr={tr} id={item.id} csrf={csrf} unconfirmed={unconfirmed} />
    )}
  </article>
);

const ConsentFacts: FC<{ tr: Translator; item: ConsentItemView }> = ({ tr, item }) => (
  <dl class="facts">
    <dt>{tr.t('consent.state')}</dt>
    <dd>
      <span class={`state ${item.state}`}>{tr.t(`state.${item.state}`)}</span>
    </dd>
    <dt>{tr.t('consent.from')}</dt>
    <dd>{tr.list(item.senders)}</dd>
    <dt>{tr.t('consent.to')}</dt>
    <dd>{tr.list(item.recipients)}</dd>
    <dt>{tr.t('consent.data')}</dt>
    <dd>{tr.list(item.categories)}</dd>
    <dt>{tr.t('consent.validFrom')}</dt>
    <dd>
      <time datetime={item.validFrom}>{tr.dateTime(item.validFrom)}</time>
    </dd>
    <dt>{tr.t('consent.validUntil')}</dt>
    <dd>
      <time datetime={item.validUntil}>{tr.date(item.validUntil)}</time>
    </dd>
    {item.state === 'active' ? null : (
      <>
        <dt>{tr.t('consent.changedAt')}</dt>
        <dd>
          <time datetime={item.changedAt}>{tr.dateTime(item.changedAt)}</time>
          {item.revokedThrough === undefined ? null : (
            <> ({tr.t('consent.revokedBy', { channel: item.revokedThrough })})</>
          )}
        </dd>
      </>
    )}
  </dl>
);

/** `unconfirmed`: this form came back without its tick, so it says what is missing. */
const RevokeForm: FC<{ tr: Translator; id: string; csrf: string; unconfirmed: boolean }> = ({
  tr,
  id,
  csrf,
  unconfirmed,
}) => (
  <form method="post" action={`/portal/consents/${id}/revoke`}>
    <CsrfField token={csrf} />
    <fieldset>
      <legend>{tr.t('consent.revokeTitle')}</legend>
      {unconfirmed ? <Message kind="error">{tr.t('consent.revokeMissing')}</Message> : null}
      <p class="hint">{tr.t('consent.revokeHint')}</p>
      <div class="check">
        <input type="checkbox" id={`confirm-${id}`} name="confirm" value="yes" required />
        <label for={`confirm-${id}`}>{tr.t('consent.revokeConfirm')}</label>
      </div>
      <div class="actions">
        <button class="danger" type="submit">
          {tr.t('consent.revoke')}
        </button>
      </div>
    </fieldset>
  </form>
);
