import type { FC } from 'hono/jsx';
import { Layout, Message, type PageFrame } from '../layout.tsx';

export interface ReceiptView {
  readonly consentId: string;
  readonly receiptId: string;
  readonly issuedAt: string;
  readonly state: 'active' | 'revoked' | 'expired';
  readonly parties: readonly { readonly name: string; readonly role: 'sender' | 'recipient' }[];
  readonly purpose: string;
  readonly categories: readonly string[];
  readonly validFrom: string;
  readonly validUntil: string;
  readonly legalBasis: readonly string[];
  readonly withdrawalUrl: string;
  readonly noticeHash: string;
  /** The text the person read, where the gateway kept it. */
  readonly noticeText?: string | undefined;
  readonly noticeLanguage: string;
  /** How the consent was given and how sure the gateway is who gave it, in words. */
  readonly channel: string;
  readonly assurance: string;
  /** Only on the page that answers the grant: the code is never stored in clear. */
  readonly withdrawalCode?: string | undefined;
}

/** The receipt as a page to read and print, with the signed file to download beside it. */
export const ReceiptPage: FC<{ frame: PageFrame; view: ReceiptView }> = ({ frame, view }) => {
  const { tr } = frame;
  return (
    <Layout {...frame}>
      <h1>{tr.t('receipt.title')}</h1>
      {view.withdrawalCode === undefined ? null : (
        <>
          <Message kind="success">{tr.t('consents.granted')}</Message>
          <section class="withdrawal-code" aria-labelledby="withdrawal-heading">
            <h2 id="withdrawal-heading">{tr.t('withdrawal.title')}</h2>
            <p>{tr.t('withdrawal.intro')}</p>
            <p class="code" dir="ltr">
              {view.withdrawalCode}
            </p>
            <p class="hint">{tr.t('withdrawal.print')}</p>
          </section>
        </>
      )}
      <p>{tr.t('receipt.intro')}</p>
      <dl class="facts">
        <dt>{tr.t('receipt.id')}</dt>
        <dd class="mono">{view.receiptId}</dd>
        <dt>{tr.t('receipt.consentId')}</dt>
        <dd class="mono">{view.consentId}</dd>
        <dt>{tr.t('receipt.issuedAt')}</dt>
        <dd>
          <time datetime={view.issuedAt}>{tr.dateTime(view.issuedAt)}</time>
        </dd>
        <dt>{tr.t('consent.state')}</dt>
        <dd>
          <span class={`state ${view.state}`}>{tr.t(`state.${view.state}`)}</span>
        </dd>
        <dt>{tr.t('receipt.parties')}</dt>
        <dd>
          <ul class="categories">
            {view.parties.map((party) => (
              <li>
                {party.name} (
                {tr.t(party.role === 'sender' ? 'receipt.roleSender' : 'receipt.roleRecipient')})
              </li>
            ))}
          </ul>
        </dd>
        <dt>{tr.t('request.purpose')}</dt>
        <dd>{view.purpose}</dd>
        <dt>{tr.t('consent.data')}</dt>
        <dd>{tr.list(view.categories)}</dd>
        <dt>{tr.t('consent.validFrom')}</dt>
        <dd>
          <time datetime={view.validFrom}>{tr.dateTime(view.validFrom)}</time>
        </dd>
        <dt>{tr.t('consent.validUntil')}</dt>
        <dd>
          <time datetime={view.validUntil}>{tr.date(view.validUntil)}</time>
        </dd>
        <dt>{tr.t('receipt.channel')}</dt>
        <dd>{view.channel}</dd>
        <dt>{tr.t('receipt.assurance')}</dt>
        <dd>{view.assurance}</dd>
        {view.withdrawalCode === undefined ? null : (
          <>
            <dt>{tr.t('receipt.withdrawalCode')}</dt>
            <dd class="code" dir="ltr">
              {view.withdrawalCode}
            </dd>
          </>
        )}
        <dt>{tr.t('receipt.legalBasis')}</dt>
        <dd dir="ltr">{tr.list(view.legalBasis)}</dd>
        <dt>{tr.t('receipt.withdrawal')}</dt>
        <dd>
          {tr.t('request.howToRevokeText')}{' '}
          <span class="mono" dir="ltr">
            {view.withdrawalUrl}
          </span>
        </dd>
        <dt>{tr.t('receipt.noticeHash')}</dt>
        <dd class="mono" dir="ltr">
          {view.noticeHash}
        </dd>
      </dl>
      {view.noticeText === undefined ? null : (
        <>
          <h2>{tr.t('request.fullText')}</h2>
          <section class="notice" lang={view.noticeLanguage}>
            <p>{view.noticeText}</p>
          </section>
        </>
      )}
      <h2>{tr.t('receipt.download')}</h2>
      <p>{tr.t('receipt.downloadHint')}</p>
      <p>
        <a
          href={`/portal/consents/${view.consentId}/receipt.jwt`}
          download={`receipt-${view.receiptId}.jwt`}
        >
          {tr.t('receipt.download')}
        </a>
      </p>
      <p class="hint no-print">{tr.t('receipt.print')}</p>
      <p class="no-print">
        <a href="/portal/consents">{tr.t('receipt.back')}</a>
      </p>
    </Layout>
  );
};
