import type { FC } from 'hono/jsx';
import { Layout, type PageFrame } from '../layout.tsx';

/** What the person sees when a page cannot be shown: plain words, a way home, a reference. */
export const ErrorPage: FC<{
  frame: PageFrame;
  /** The page's heading; by default "Something went wrong". */
  heading?: string;
  text: string;
  requestId: string;
}> = ({ frame, heading, text, requestId }) => {
  const { tr } = frame;
  return (
    <Layout {...frame}>
      <h1>{heading ?? tr.t('error.title')}</h1>
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
