import type { FC } from 'hono/jsx';
import type { MonitoringReport, Period, TableId } from '../../monitoring/index.ts';
import { ChainChart, RefusalChart } from './charts.tsx';
import { chainOf, type PeriodChoices, type RefusalSeries } from './figures.ts';
import type { PageText } from './i18n.ts';
import { MonitoringLayout, hrefIn, type MonitoringFrame } from './layout.tsx';
import { ChainTable, RefusalTable, ReportTable, TableNotes } from './tables.tsx';

export interface TenantView {
  readonly name: string;
  readonly period: Period;
  readonly choices: PeriodChoices;
  readonly report: MonitoringReport;
  readonly series: RefusalSeries;
  /** Registered names of the offices in the agency tables, by id. */
  readonly names: ReadonlyMap<string, string>;
  readonly programme: string | undefined;
}

const BY_TYPE: readonly TableId[] = [
  'consents-by-office-type',
  'exchanges-by-office-type',
  'refusals-by-office-type',
];
const BY_AGENCY: readonly TableId[] = [
  'consents-by-agency',
  'exchanges-by-agency',
  'refusals-by-agency',
];

/** The picker: a plain GET form, so choosing a period needs no script. */
export const PeriodForm: FC<{
  text: PageText;
  action: string;
  choices: PeriodChoices;
  current: string;
}> = ({ text, action, choices, current }) => {
  const group = (label: string, keys: readonly string[], kind: Period['kind']) =>
    keys.length === 0 ? null : (
      <optgroup label={label}>
        {keys.map((key) => (
          <option value={key} selected={key === current}>
            {text.period({ kind, key })}
          </option>
        ))}
      </optgroup>
    );
  return (
    <form method="get" action={action}>
      <input type="hidden" name="lang" value={text.language} />
      <label for="period">{text.t('period.label')}</label>
      <select id="period" name="period">
        {group(text.t('period.months'), choices.months, 'month')}
        {group(text.t('period.quarters'), choices.quarters, 'quarter')}
        {group(text.t('period.years'), choices.years, 'year')}
      </select>
      <button class="secondary" type="submit">
        {text.t('period.show')}
      </button>
    </form>
  );
};

export const Downloads: FC<{ text: PageText; base: string; name: string }> = ({
  text,
  base,
  name,
}) => (
  <nav class="downloads" aria-labelledby="downloads-title">
    <h2 id="downloads-title" class="visually-hidden">
      {text.t('downloads.title')}
    </h2>
    <ul>
      <li>
        <a href={`${base}.csv`} download={`${name}.csv`}>
          {text.t('downloads.csv')}
        </a>
      </li>
      <li>
        <a href={`${base}.json`} download={`${name}.json`}>
          {text.t('downloads.json')}
        </a>
      </li>
    </ul>
  </nav>
);

interface SectionProps {
  readonly text: PageText;
  readonly view: TenantView;
  readonly label: string;
}

/** The tree head and the rule the figures stand on, and the signed head itself for a DPO. */
const AboutSection: FC<SectionProps> = ({ text, view }) => {
  const { treeHead: head, suppression } = view.report;
  return (
    <section aria-labelledby="about-title">
      <h2 id="about-title">{text.t('about.title')}</h2>
      <p>
        {text.t('about.treeHead', {
          size: text.count(head.treeSize),
          hash: head.rootHash,
          at: text.dateTime(head.timestamp),
        })}
      </p>
      <p>
        {text.t('about.rule', { rule: suppression.rule })}: {suppression[text.language]}{' '}
        {text.t('about.withheld')}
      </p>
      <details>
        <summary>{text.t('about.jws')}</summary>
        <p class="hash">{head.jws}</p>
      </details>
    </section>
  );
};

const ChainSection: FC<SectionProps> = ({ text, view, label }) => {
  const steps = chainOf(view.report);
  const caption = text.t('chain.table', { period: label });
  return (
    <section aria-labelledby="chain-title">
      <h2 id="chain-title">{text.t('chain.title')}</h2>
      <p>{text.t('chain.intro')}</p>
      <figure class="chart" aria-labelledby="chain-caption">
        <figcaption id="chain-caption">{caption}</figcaption>
        <ChainChart text={text} steps={steps} id="chain-chart" period={label} />
        <ChainTable text={text} id="chain" steps={steps} caption={caption} />
      </figure>
      <TableNotes
        text={text}
        id="chain-notes"
        suppression={view.report.suppression}
        heads={[view.report.treeHead]}
      />
    </section>
  );
};

const RefusalSection: FC<SectionProps> = ({ text, view }) => {
  const { months, reasons } = view.series;
  const range = {
    from: text.period({ kind: 'month', key: months[0]?.month ?? view.period.key }),
    to: text.period({ kind: 'month', key: months.at(-1)?.month ?? view.period.key }),
  };
  const heads = months.flatMap((m) => (m.treeHead === undefined ? [] : [m.treeHead]));
  const caption = text.t('refusals.table', range);
  return (
    <section aria-labelledby="refusals-title">
      <h2 id="refusals-title">{text.t('refusals.title')}</h2>
      <p>{text.t('refusals.intro')}</p>
      {reasons.length === 0 ? <p>{text.t('refusals.none')}</p> : null}
      <figure class="chart stacked" aria-labelledby="refusals-caption">
        <figcaption id="refusals-caption">{caption}</figcaption>
        <RefusalChart text={text} series={view.series} id="refusals-chart" />
        <RefusalTable text={text} id="refusals" series={view.series} caption={caption} />
      </figure>
      <TableNotes
        text={text}
        id="refusals-notes"
        suppression={view.report.suppression}
        heads={heads.length === 0 ? [view.report.treeHead] : heads}
      />
    </section>
  );
};

/** The six tables: by office type open, by office inside <details>. */
const TablesSection: FC<SectionProps> = ({ text, view, label }) => {
  const { report } = view;
  const table = (id: TableId) => {
    const found = report.tables.find((t) => t.id === id);
    return found === undefined ? null : (
      <ReportTable
        text={text}
        table={found}
        period={label}
        names={view.names}
        suppression={report.suppression}
        treeHead={report.treeHead}
      />
    );
  };
  return (
    <section aria-labelledby="tables-title">
      <h2 id="tables-title">{text.t('tables.title')}</h2>
      <p>{text.t('tables.intro')}</p>
      {BY_TYPE.map(table)}
      <details class="agencies">
        <summary>{text.t('tables.agencies')}</summary>
        <p>{text.t('tables.agenciesIntro')}</p>
        {BY_AGENCY.map(table)}
      </details>
    </section>
  );
};

/** The tenant's figures: where they come from, the two charts, then every table. */
export const TenantPage: FC<{ frame: MonitoringFrame; view: TenantView }> = ({ frame, view }) => {
  const { text } = frame;
  const { period } = view;
  const label = text.period(period);
  return (
    <MonitoringLayout {...frame}>
      <h1>{text.t('tenant.title', { name: view.name })}</h1>
      <p class="lead">{text.t('tenant.lead', { period: label })}</p>
      <div class="toolbar">
        <PeriodForm text={text} action="/monitoring" choices={view.choices} current={period.key} />
        <Downloads
          text={text}
          base={`/monitoring/data/${period.key}`}
          name={`monitoring-${view.report.tenant}-${period.key}`}
        />
      </div>
      {view.programme === undefined ? null : (
        <p>
          <a href={hrefIn(text, '/monitoring/programme', { period: period.key })}>
            {text.t('programme.link', { programme: view.programme })}
          </a>
        </p>
      )}
      <AboutSection text={text} view={view} label={label} />
      <ChainSection text={text} view={view} label={label} />
      <RefusalSection text={text} view={view} label={label} />
      <TablesSection text={text} view={view} label={label} />
    </MonitoringLayout>
  );
};
