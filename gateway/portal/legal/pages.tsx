import type { FC } from 'hono/jsx';
import type { SupervisoryAuthority, TenantProfile } from '../../../tenants/index.ts';
import { Layout, type PageFrame } from '../layout.tsx';
import { fill, LEGAL_TEXTS, type LegalTexts } from './index.ts';

/** What the official pages say about the municipality whose site the portal is. */
export interface PortalSite {
  readonly name: string;
  readonly profile: TenantProfile;
  readonly authority: SupervisoryAuthority;
}

interface LegalPageProps {
  readonly frame: PageFrame;
  readonly site: PortalSite;
}

const textsOf = (frame: PageFrame): LegalTexts => LEGAL_TEXTS[frame.tr.language];

/**
 * A profile field as its lines. The values are the municipality's own words, in German whatever
 * the page's language, so they are marked so and take their direction from their own text.
 */
const Lines: FC<{ lines: readonly string[] | undefined; notSet: string }> = ({ lines, notSet }) =>
  lines === undefined ? (
    <p class="hint">{notSet}</p>
  ) : (
    <p lang="de" dir="auto">
      {lines.map((line, index) => (
        <>
          {index > 0 ? <br /> : null}
          {line}
        </>
      ))}
    </p>
  );

/** The data-protection authority as text: name, address, e-mail and website, never a link out. */
const Authority: FC<{ authority: SupervisoryAuthority; texts: LegalTexts }> = ({
  authority,
  texts,
}) => (
  <>
    <Lines lines={[authority.name, authority.address]} notSet={texts.notSet} />
    <p>
      {texts.impressum.email}: <bdi>{authority.email}</bdi>
      <br />
      {texts.impressum.web}: <bdi>{authority.url}</bdi>
    </p>
  </>
);

const List: FC<{ items: readonly string[] }> = ({ items }) => (
  <ul>
    {items.map((item) => (
      <li>{item}</li>
    ))}
  </ul>
);

/** Impressum (§ 5 DDG, § 18 MStV): the municipality, the site's operator, its representative. */
export const ImpressumPage: FC<LegalPageProps> = ({ frame, site }) => {
  const texts = textsOf(frame);
  const { impressum } = texts;
  return (
    <Layout {...frame}>
      <h1>{impressum.title}</h1>
      <p class="lead">{impressum.intro}</p>
      <h2>{impressum.municipality}</h2>
      <Lines lines={[site.name]} notSet={texts.notSet} />
      <Lines lines={site.profile.address} notSet={texts.notSet} />
      <h2>{impressum.operator}</h2>
      <Lines lines={site.profile.operator} notSet={texts.notSet} />
      {site.profile.representative === undefined ? null : (
        <>
          <h2>{impressum.representative}</h2>
          <Lines lines={site.profile.representative} notSet={texts.notSet} />
        </>
      )}
      <h2>{impressum.supervision}</h2>
      <p>{impressum.supervisionText}</p>
      <Authority authority={site.authority} texts={texts} />
    </Layout>
  );
};

/** The portal's own privacy statement (Art. 13 GDPR), with the figures the code runs on. */
export const PrivacyPage: FC<
  LegalPageProps & {
    readonly sessionMinutes: number;
    readonly languageCookieDays: number;
    readonly eid: boolean;
  }
> = ({ frame, site, sessionMinutes, languageCookieDays, eid }) => {
  const texts = textsOf(frame);
  const { privacy } = texts;
  const values = { minutes: sessionMinutes, days: languageCookieDays };
  return (
    <Layout {...frame}>
      <h1>{privacy.title}</h1>
      <p class="lead">{privacy.intro}</p>
      <h2>{privacy.controllerHeading}</h2>
      <p>{privacy.controllerText}</p>
      <Lines lines={[site.name]} notSet={texts.notSet} />
      <Lines lines={site.profile.address} notSet={texts.notSet} />
      <h2>{privacy.dpoHeading}</h2>
      <p>{privacy.dpoText}</p>
      <Lines lines={site.profile.dpoContact} notSet={texts.notSet} />
      <h2>{privacy.dataHeading}</h2>
      <List items={[...privacy.data, ...(eid ? [privacy.eid] : [])].map((t) => fill(t, values))} />
      <List items={privacy.noTracking} />
      <h2>{privacy.purposesHeading}</h2>
      <List items={privacy.purposes} />
      <h2>{privacy.retentionHeading}</h2>
      <List items={privacy.retention.map((t) => fill(t, values))} />
      <h2>{privacy.rightsHeading}</h2>
      <p>{privacy.rightsIntro}</p>
      <List items={privacy.rights} />
      <p>{privacy.rightsHow}</p>
      <h2>{privacy.complaintHeading}</h2>
      <p>{privacy.complaintText}</p>
      <Authority authority={site.authority} texts={texts} />
    </Layout>
  );
};

/** The accessibility statement after the EU model (2018/1523): status, limits, feedback, date. */
export const AccessibilityPage: FC<LegalPageProps & { readonly statementDate: string }> = ({
  frame,
  site,
  statementDate,
}) => {
  const texts = textsOf(frame);
  const { accessibility } = texts;
  return (
    <Layout {...frame}>
      <h1>{accessibility.title}</h1>
      <p class="lead">{fill(accessibility.intro, { name: site.name })}</p>
      <p>{accessibility.basis}</p>
      <h2>{accessibility.statusHeading}</h2>
      <p>{accessibility.status}</p>
      <h2>{accessibility.limitsHeading}</h2>
      <List items={accessibility.limits} />
      <h2>{accessibility.feedbackHeading}</h2>
      <p>{accessibility.feedbackText}</p>
      <Lines lines={site.profile.accessibilityContact} notSet={texts.notSet} />
      <h2>{accessibility.enforcementHeading}</h2>
      {accessibility.enforcement.map((paragraph) => (
        <p>{paragraph}</p>
      ))}
      <h2>{accessibility.dateHeading}</h2>
      <p>{fill(accessibility.date, { date: frame.tr.date(statementDate) })}</p>
    </Layout>
  );
};

/** Help: what a code and a withdrawal code are, what the birth date is for, whom to ask. */
export const HelpPage: FC<LegalPageProps & { readonly failures: number }> = ({
  frame,
  site,
  failures,
}) => {
  const texts = textsOf(frame);
  const { help } = texts;
  return (
    <Layout {...frame}>
      <h1>{help.title}</h1>
      <p class="lead">{help.intro}</p>
      <h2>{help.codeHeading}</h2>
      {help.code.map((paragraph) => (
        <p>{paragraph}</p>
      ))}
      <h2>{help.withdrawalHeading}</h2>
      {help.withdrawal.map((paragraph) => (
        <p>{paragraph}</p>
      ))}
      <h2>{help.birthDateHeading}</h2>
      {help.birthDate.map((paragraph) => (
        <p>{fill(paragraph, { failures })}</p>
      ))}
      <h2>{help.askHeading}</h2>
      <p>{help.askOffice}</p>
      <p>{help.askDpo}</p>
      <Lines lines={site.profile.dpoContact} notSet={texts.notSet} />
      <p>{help.askAccessibility}</p>
      <Lines lines={site.profile.accessibilityContact} notSet={texts.notSet} />
    </Layout>
  );
};
