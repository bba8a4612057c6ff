import type { FC } from 'hono/jsx';
import { Layout, type PageFrame } from '../layout.tsx';

export interface HistoryItemView {
  readonly at: string;
  readonly what: string;
  /** The office that asked, on a request. */
  readonly askedBy?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly categories?: readonly string[] | undefined;
  readonly purpose?: string | undefined;
  /** The consent the event belongs to, with its purpose where the person can open it. */
  readonly consent?: { readonly id: string; readonly purpose?: string | undefined } | undefined;
}

/**
 * What the Datenschutzcockpit shows a citizen: which office received which data, when, why,
 * under which consent, newest first. A list rather than a table, so it reflows on a phone without
 * scrolling sideways.
 */
export const HistoryPage: FC<{ frame: PageFrame; items: readonly HistoryItemView[] }> = ({
  frame,
  items,
}) => {
  const { tr } = frame;
  return (
    <Layout {...frame}>
      <h1>{tr.t('history.title')}</h1>
      <p>{tr.t('history.intro')}</p>
      {items.length === 0 ? (
        <p>{tr.t('history.empty')}</p>
      ) : (
        <ol class="history" aria-label={tr.t('history.caption')}>
          {items.map((item) => (
            <li>
              <h2>{item.what}</h2>
              <dl class="facts">
                <dt>{tr.t('history.when')}</dt>
                <dd>
                  <time datetime={item.at}>{tr.dateTime(item.at)}</time>
                </dd>
                {item.askedBy === undefined ? null : (
                  <>
                    <dt>{tr.t('request.askedBy')}</dt>
                    <dd>{item.askedBy}</dd>
                  </>
                )}
                {item.from === undefined ? null : (
                  <>
                    <dt>{tr.t('history.from')}</dt>
                    <dd>{item.from}</dd>
                  </>
                )}
                {item.to === undefined ? null : (
                  <>
                    <dt>{tr.t('history.to')}</dt>
                    <dd>{item.to}</dd>
                  </>
                )}
                {item.categories === undefined || item.categories.length === 0 ? null : (
                  <>
                    <dt>{tr.t('history.data')}</dt>
                    <dd>{tr.list(item.categories)}</dd>
                  </>
                )}
                {item.purpose === undefined ? null : (
                  <>
                    <dt>{tr.t('history.purpose')}</dt>
                    <dd>{item.purpose}</dd>
                  </>
                )}
                {item.consent === undefined ? null : (
                  <>
                    <dt>{tr.t('history.consent')}</dt>
                    <dd>
                      <a href={`/portal/consents/${item.consent.id}/receipt`}>
                        {item.consent.purpose === undefined
                          ? tr.t('history.receiptLinkPlain')
                          : tr.t('history.receiptLink', { purpose: item.consent.purpose })}
                      </a>
                    </dd>
                  </>
                )}
              </dl>
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
};
