import type { OpenAPIHono } from '@hono/zod-openapi';
import { MAX_SECOND_FACTOR_FAILURES, SESSION_IDLE_MS } from '../../../consent/index.ts';
import { GatewayError } from '../../../core/index.ts';
import type { GatewayEnv } from '../../env.ts';
import { LANGUAGE_COOKIE_DAYS, type PortalContext, type PortalKit } from '../../portal/kit.tsx';
import {
  ACCESSIBILITY_STATEMENT_DATE,
  LEGAL_PATHS,
  LEGAL_TEXTS,
} from '../../portal/legal/index.ts';
import {
  AccessibilityPage,
  HelpPage,
  ImpressumPage,
  PrivacyPage,
  type PortalSite,
} from '../../portal/legal/pages.tsx';

/**
 * The official pages every portal page links to in its footer: Impressum, privacy statement,
 * accessibility statement and help. Public, no sign-in; `?lang=` works as on every portal page.
 * What they say about the municipality comes from its profile (`tenant set`).
 */
export function registerLegalPages(app: OpenAPIHono<GatewayEnv>, kit: PortalKit): void {
  /** The page's translator, frame and site; a gateway without a tenant has no official pages. */
  const prepare = async (
    c: PortalContext,
    title: (language: keyof typeof LEGAL_TEXTS) => string,
  ) => {
    const tr = kit.languageOf(c);
    const site: PortalSite | undefined = await kit.site(c);
    if (site === undefined) throw new GatewayError('not_found', { detail: 'no tenant yet' });
    return { frame: kit.frame(c, tr, title(tr.language)), site };
  };

  app.get(
    LEGAL_PATHS.impressum,
    kit.page(async (c) => {
      const { frame, site } = await prepare(c, (l) => LEGAL_TEXTS[l].impressum.title);
      return c.html(<ImpressumPage frame={frame} site={site} />);
    }),
  );
  app.get(
    LEGAL_PATHS.privacy,
    kit.page(async (c) => {
      const { frame, site } = await prepare(c, (l) => LEGAL_TEXTS[l].privacy.title);
      return c.html(
        <PrivacyPage
          frame={frame}
          site={site}
          sessionMinutes={SESSION_IDLE_MS / 60_000}
          languageCookieDays={LANGUAGE_COOKIE_DAYS}
          eid={kit.options.eid !== undefined}
        />,
      );
    }),
  );
  app.get(
    LEGAL_PATHS.accessibility,
    kit.page(async (c) => {
      const { frame, site } = await prepare(c, (l) => LEGAL_TEXTS[l].accessibility.title);
      return c.html(
        <AccessibilityPage
          frame={frame}
          site={site}
          statementDate={ACCESSIBILITY_STATEMENT_DATE}
        />,
      );
    }),
  );
  app.get(
    LEGAL_PATHS.help,
    kit.page(async (c) => {
      const { frame, site } = await prepare(c, (l) => LEGAL_TEXTS[l].help.title);
      return c.html(<HelpPage frame={frame} site={site} failures={MAX_SECOND_FACTOR_FAILURES} />);
    }),
  );
}
