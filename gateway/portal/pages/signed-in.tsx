import type { FC } from 'hono/jsx';
import { Layout, type PageFrame } from '../layout.tsx';

/**
 * The step between the eID provider and the portal. The provider's redirect is a cross-site
 * navigation, on which browsers withhold the SameSite=Strict session cookie; this page, served on
 * the gateway's own site, moves on at once (meta refresh, no script), so the next request is
 * same-site and carries the session. The link is there for whoever the refresh does not move.
 */
export const SignedInPage: FC<{ frame: PageFrame; to: string; linkText: string }> = ({
  frame,
  to,
  linkText,
}) => (
  <Layout {...frame} refreshTo={to}>
    <h1>{frame.title}</h1>
    <p class="lead">
      <a href={to}>{linkText}</a>
    </p>
  </Layout>
);
