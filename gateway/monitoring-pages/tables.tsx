import type { Child, FC } from 'hono/jsx';
import type {
  Count,
  MonitoringTable,
  RuleStatement,
  SignedTreeHead,
  TableRow,
} from '../../monitoring/index.ts';
import { reasonCount, type ChainStep, type RefusalSeries } from './figures.ts';
import { SUPPRESSED, type PageText } from './i18n.ts';
import { measureName, officeTypeName, purposeName, reasonName } from './labels.ts';

/*
 * The figures as tables: real <table>s with a caption, column and row headers, scrolling sideways
 * inside a labelled, focusable region so a page at 320 px never does. Every table is followed by
 * what protects it and where it comes from: the suppression rule and the tree head.
 */

/** A count in a cell: the number, or `•` with its meaning for screen readers. */
export const CountCell: FC<{ text: PageText; value: Count | undefined; stat?: boolean }> = ({
  text,
  value,
  stat,
}) =>
  value === null || value === undefined ? (
    <td class="num suppressed">
      <span aria-hidden="true">{SUPPRESSED}</span>
      <span class="visually-hidden">
        {stat === true ? text.t('value.fewCases') : text.t('value.withheld')}
      </span>
    </td>
  ) : (
    <td class="num">{stat === true ? text.stat(value) : text.count(value)}</td>
  );

/** A table inside its scrolling region, labelled by its caption, described by its notes. */
export const ScrollTable: FC<{
  id: string;
  caption: string;
  notes?: string | undefined;
  children?: Child;
}> = ({ id, caption, notes, children }) => (
  <div class="table-scroll" role="region" tabindex={0} aria-labelledby={`${id}-caption`}>
    <table class="figures" id={id} aria-describedby={notes}>
      <caption id={`${id}-caption`}>{caption}</caption>
      {children}
    </table>
  </div>
);

/** The rule and the tree head(s) a table was computed from, stated under it. */
export const TableNotes: FC<{
  text: PageText;
  id: string;
  suppression: RuleStatement;
  heads: readonly SignedTreeHead[];
}> = ({ text, id, suppression, heads }) => {
  const distinct = [...new Map(heads.map((h) => [`${h.treeSize} ${h.rootHash}`, h])).values()];
  const [only] = distinct;
  return (
    <div class="notes" id={id}>
      <p class="note">
        {text.t('note.rule', { sentence: suppression[text.language] })} ({suppression.rule})
      </p>
      {only === undefined ? null : distinct.length === 1 ? (
        <p class="note">
          {text.t('note.head', { size: text.count(only.treeSize) })}{' '}
          <span class="hash">{only.rootHash}</span>
        </p>
      ) : (
        <p class="note">
          {text.t('note.heads', {
            heads: distinct
              .map((h) =>
                text.t('note.headItem', { size: text.count(h.treeSize), hash: h.rootHash }),
              )
              .join('; '),
          })}
        </p>
      )}
    </div>
  );
};

/** Column header of a refusal reason: its name with the code beside it. */
export const ReasonHeader: FC<{ text: PageText; code: string }> = ({ text, code }) => {
  const name = reasonName(code, text.language);
  return (
    <th scope="col" class="num">
      {name ?? code}
      {name === undefined ? null : <code>{code}</code>}
    </th>
  );
};

/** An office's name as registered, with its id beside it. */
const Agency: FC<{ id: string; names: ReadonlyMap<string, string>; text: PageText }> = ({
  id,
  names,
  text,
}) => {
  if (id === '') return <>{officeTypeName('', text.language)}</>;
  const name = names.get(id);
  return (
    <>
      {name ?? id}
      {name === undefined || name === id ? null : <code>{id}</code>}
    </>
  );
};

/** A report table's column headers: row keys, measures or reasons, totals, statistics. */
const ReportHead: FC<{ text: PageText; table: MonitoringTable; stats: readonly string[] }> = ({
  text,
  table,
  stats,
}) => {
  const refusals = table.id.startsWith('refusals');
  return (
    <thead>
      <tr>
        {table.rowKeys.map((key) => (
          <th scope="col">{text.t(`key.${key}`)}</th>
        ))}
        {table.columns.map((column) =>
          refusals ? (
            <ReasonHeader text={text} code={column} />
          ) : (
            <th scope="col" class="num">
              {measureName(column, text.language)}
            </th>
          ),
        )}
        {refusals ? (
          <th scope="col" class="num">
            {measureName('total', text.language)}
          </th>
        ) : null}
        {stats.map((name) => (
          <th scope="col" class="num">
            {measureName(name, text.language)}
          </th>
        ))}
      </tr>
    </thead>
  );
};

/** One of the report's six tables. */
export const ReportTable: FC<{
  text: PageText;
  table: MonitoringTable;
  period: string;
  names: ReadonlyMap<string, string>;
  suppression: RuleStatement;
  treeHead: SignedTreeHead;
}> = ({ text, table, period, names, suppression, treeHead }) => {
  const stats = Object.keys(table.total.stats ?? {});
  const keyCell = (row: TableRow, key: (typeof table.rowKeys)[number]) => {
    const value = row.key[key] ?? '';
    if (key === 'senderType' || key === 'recipientType')
      return officeTypeName(value, text.language);
    if (key === 'purpose') return purposeName(value, text.language);
    return <Agency id={value} names={names} text={text} />;
  };
  const cells = (row: TableRow) => (
    <>
      {row.values.map((value) => (
        <CountCell text={text} value={value} />
      ))}
      {row.total === undefined ? null : <CountCell text={text} value={row.total} />}
      {stats.map((name) => (
        <CountCell text={text} value={row.stats?.[name] ?? null} stat />
      ))}
    </>
  );
  const notes = `${table.id}-notes`;
  return (
    <>
      <ScrollTable
        id={table.id}
        caption={`${text.t(`table.${table.id}`)}, ${period}`}
        notes={notes}
      >
        <ReportHead text={text} table={table} stats={stats} />
        <tbody>
          {table.rows.map((row) => (
            <tr>
              {table.rowKeys.map((key, i) =>
                i === 0 ? <th scope="row">{keyCell(row, key)}</th> : <td>{keyCell(row, key)}</td>,
              )}
              {cells(row)}
            </tr>
          ))}
          <tr class="total">
            <th scope="row" colspan={table.rowKeys.length}>
              {text.t('tables.total')}
            </th>
            {cells(table.total)}
          </tr>
        </tbody>
      </ScrollTable>
      <TableNotes text={text} id={notes} suppression={suppression} heads={[treeHead]} />
    </>
  );
};

/** The chain chart's data. */
export const ChainTable: FC<{
  text: PageText;
  id: string;
  steps: readonly ChainStep[];
  caption: string;
}> = ({ text, id, steps, caption }) => (
  <ScrollTable id={id} caption={caption} notes={`${id}-notes`}>
    <thead>
      <tr>
        <th scope="col">{text.t('chain.stage')}</th>
        <th scope="col" class="num">
          {text.t('chain.count')}
        </th>
      </tr>
    </thead>
    <tbody>
      {steps.map((step) => (
        <tr>
          <th scope="row">
            {step.main ? '' : '↳ '}
            {measureName(step.measure, text.language)}
          </th>
          <CountCell text={text} value={step.value} />
        </tr>
      ))}
    </tbody>
  </ScrollTable>
);

/** The refusal chart's data: a row per month, a column per reason, and all refusals. */
export const RefusalTable: FC<{
  text: PageText;
  id: string;
  series: RefusalSeries;
  caption: string;
}> = ({ text, id, series, caption }) => (
  <ScrollTable id={id} caption={caption} notes={`${id}-notes`}>
    <thead>
      <tr>
        <th scope="col">{text.t('refusals.month')}</th>
        {series.reasons.map((reason) => (
          <ReasonHeader text={text} code={reason} />
        ))}
        <th scope="col" class="num">
          {measureName('total', text.language)}
        </th>
      </tr>
    </thead>
    <tbody>
      {series.months.map((month) => (
        <tr>
          <th scope="row">{text.period({ kind: 'month', key: month.month })}</th>
          {series.reasons.map((reason) => (
            <CountCell text={text} value={reasonCount(month, reason)} />
          ))}
          <CountCell text={text} value={month.total} />
        </tr>
      ))}
    </tbody>
  </ScrollTable>
);
