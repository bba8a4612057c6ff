import type { FC } from 'hono/jsx';
import { Layout, type PageFrame } from '../layout.tsx';

/** What the person sees when a page cannot be shown: plain words, a way home, a reference. */
export const ErrorPage: FC<{ frame: PageFrame; text: string; requestId: string }> = ({
  frame,
  text,
  requestId,
}) => {
  const { tr } = frame;
  return (
    <Layout {...frame}>
      <h1>{tr.t('error.title')}</h1>
      <p class="lead">{text}</p>
      <p>
        {tr.t('error.reference')}: <span class="mono">{requestId}</span>
      </p>
      <p>
        <a href="/portal">{tr.t('error.home')}</a>
      </p>
    </Layout>
  );
};
