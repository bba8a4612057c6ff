import type { FC } from 'hono/jsx';
import type { Period, ProgrammeReport, ProgrammeRow } from '../../monitoring/index.ts';
import type { PeriodChoices } from './figures.ts';
import { measureName } from './labels.ts';
import { MonitoringLayout, hrefIn, type MonitoringFrame } from './layout.tsx';
import { CountCell, ReasonHeader, ScrollTable } from './tables.tsx';
import { Downloads, PeriodForm } from './tenant-page.tsx';
import type { PageText } from './i18n.ts';

export interface ProgrammeView {
  readonly period: Period;
  readonly choices: PeriodChoices;
  readonly report: ProgrammeReport;
}

const STATS = ['decisionDaysMedian', 'decisionDaysP90', 'fetchHoursMedian'] as const;

/** The first cell of a row: the municipality; the last: the tree head its figures stand on. */
const Municipality: FC<{ row: ProgrammeRow }> = ({ row }) => (
  <th scope="row">
    {row.name}
    {row.name === row.tenant ? null : <code>{row.tenant}</code>}
  </th>
);
const TreeHeadCell: FC<{ text: PageText; row: ProgrammeRow }> = ({ text, row }) => (
  <td class="tree-head">
    {text.count(row.treeHead.treeSize)} <span class="hash">{row.treeHead.rootHash}</span>
  </td>
);

/** Rule, the missing total, and that each row names its own tree head. */
const ProgrammeNotes: FC<{ text: PageText; id: string; report: ProgrammeReport }> = ({
  text,
  id,
  report,
}) => (
  <div class="notes" id={id}>
    <p class="note">
      {text.t('note.rule', { sentence: report.suppression[text.language] })} (
      {report.suppression.rule})
    </p>
    <p class="note">
      {text.t('note.perRow')} {text.t('programme.noTotal')}
    </p>
  </div>
);

interface TableProps {
  readonly text: PageText;
  readonly report: ProgrammeReport;
  readonly label: string;
}

const FlowsTable: FC<TableProps> = ({ text, report, label }) => (
  <>
    <h2>{text.t('programme.flows')}</h2>
    <ScrollTable
      id="programme-flows"
      caption={`${text.t('programme.flows')}, ${label}`}
      notes="programme-flows-notes"
    >
      <thead>
        <tr>
          <th scope="col">{text.t('programme.municipality')}</th>
          {[...report.columns.consents, ...report.columns.exchanges, ...STATS].map((m) => (
            <th scope="col" class="num">
              {measureName(m, text.language)}
            </th>
          ))}
          <th scope="col">{text.t('programme.treeHead')}</th>
        </tr>
      </thead>
      <tbody>
        {report.rows.map((row) => (
          <tr>
            <Municipality row={row} />
            {[...row.consents, ...row.exchanges].map((value) => (
              <CountCell text={text} value={value} />
            ))}
            {STATS.map((name) => (
              <CountCell text={text} value={row.stats[name] ?? null} stat />
            ))}
            <TreeHeadCell text={text} row={row} />
          </tr>
        ))}
      </tbody>
    </ScrollTable>
    <ProgrammeNotes text={text} id="programme-flows-notes" report={report} />
  </>
);

const RefusalsTable: FC<TableProps> = ({ text, report, label }) => (
  <>
    <h2>{text.t('programme.refusals')}</h2>
    <ScrollTable
      id="programme-refusals"
      caption={`${text.t('programme.refusals')}, ${label}`}
      notes="programme-refusals-notes"
    >
      <thead>
        <tr>
          <th scope="col">{text.t('programme.municipality')}</th>
          {report.columns.refusals.map((reason) => (
            <ReasonHeader text={text} code={reason} />
          ))}
          <th scope="col" class="num">
            {measureName('total', text.language)}
          </th>
          <th scope="col">{text.t('programme.treeHead')}</th>
        </tr>
      </thead>
      <tbody>
        {report.rows.map((row) => (
          <tr>
            <Municipality row={row} />
            {row.refusals.map((value) => (
              <CountCell text={text} value={value} />
            ))}
            <CountCell text={text} value={row.refusalsTotal} />
            <TreeHeadCell text={text} row={row} />
          </tr>
        ))}
      </tbody>
    </ScrollTable>
    <ProgrammeNotes text={text} id="programme-refusals-notes" report={report} />
  </>
);

/** Every municipality of the programme side by side, one row each; no total across them. */
export const ProgrammePage: FC<{ frame: MonitoringFrame; view: ProgrammeView }> = ({
  frame,
  view,
}) => {
  const { text } = frame;
  const { report, period } = view;
  const label = text.period(period);
  return (
    <MonitoringLayout {...frame}>
      <h1>{text.t('programme.title', { programme: report.programme })}</h1>
      <p class="lead">{text.t('programme.lead', { period: label })}</p>
      <div class="toolbar">
        <PeriodForm
          text={text}
          action="/monitoring/programme"
          choices={view.choices}
          current={period.key}
        />
        <Downloads
          text={text}
          base={`/monitoring/data/programme/${period.key}`}
          name={`monitoring-${report.programme}-${period.key}`}
        />
      </div>
      <p>
        <a href={hrefIn(text, '/monitoring', { period: period.key })}>{text.t('programme.back')}</a>
      </p>
      {report.rows.length === 0 ? <p>{text.t('programme.empty')}</p> : null}
      <FlowsTable text={text} report={report} label={label} />
      <RefusalsTable text={text} report={report} label={label} />
    </MonitoringLayout>
  );
};
