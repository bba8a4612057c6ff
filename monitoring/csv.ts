import type { ProgrammeReport } from './programme.ts';
import type { Count, MonitoringReport, RowKeyName } from './report.ts';

/** Shown for a withheld count, as German official statistics do. */
export const WITHHELD = '•';

const KEYS: readonly RowKeyName[] = [
  'senderType',
  'recipientType',
  'sender',
  'recipient',
  'purpose',
];

/**
 * A report as CSV in long form, one published value a line, so a spreadsheet's pivot table or R
 * reads every table alike. Every line names the rule and the tree head it stands on: a line taken
 * out of the file still says how it was protected and where it came from.
 */
export function reportCsv(report: MonitoringReport): string {
  const header = [
    'tenant',
    'period',
    'table',
    'row',
    ...KEYS,
    'measure',
    'value',
    'rule',
    'treeSize',
    'rootHash',
  ];
  const lines = [header];
  const stand = [
    report.suppression.rule,
    String(report.treeHead.treeSize),
    report.treeHead.rootHash,
  ];
  for (const table of report.tables) {
    const rows = [
      ...table.rows.map((r) => ({ kind: 'row', r })),
      { kind: 'total', r: table.total },
    ];
    for (const { kind, r } of rows) {
      const key = KEYS.map((k) => r.key[k] ?? '');
      const line = (measure: string, value: Count | string) => {
        lines.push([
          report.tenant,
          report.period.key,
          table.id,
          kind,
          ...key,
          measure,
          shown(value),
          ...stand,
        ]);
      };
      table.columns.forEach((column, i) => {
        line(column, r.values[i] ?? null);
      });
      if (r.total !== undefined) line('total', r.total);
      for (const [name, value] of Object.entries(r.stats ?? {})) line(name, value);
    }
  }
  return toCsv(lines);
}

/** The programme view as CSV, long form, one municipality's value a line. */
export function programmeCsv(report: ProgrammeReport): string {
  const lines = [
    [
      'programme',
      'period',
      'tenant',
      'name',
      'group',
      'measure',
      'value',
      'rule',
      'treeSize',
      'rootHash',
    ],
  ];
  for (const row of report.rows) {
    const line = (group: string, measure: string, value: Count) => {
      lines.push([
        report.programme,
        report.period.key,
        row.tenant,
        row.name,
        group,
        measure,
        shown(value),
        report.suppression.rule,
        String(row.treeHead.treeSize),
        row.treeHead.rootHash,
      ]);
    };
    report.columns.consents.forEach((m, i) => {
      line('consents', m, row.consents[i] ?? null);
    });
    report.columns.exchanges.forEach((m, i) => {
      line('exchanges', m, row.exchanges[i] ?? null);
    });
    report.columns.refusals.forEach((m, i) => {
      line('refusals', m, row.refusals[i] ?? null);
    });
    line('refusals', 'total', row.refusalsTotal);
    for (const [name, value] of Object.entries(row.stats)) line('stats', name, value);
  }
  return toCsv(lines);
}

const shown = (value: Count | string): string =>
  value === null ? WITHHELD : typeof value === 'number' ? String(value) : value;

/** RFC 4180: CRLF line ends, fields quoted where they hold a comma, quote or line break. */
function toCsv(lines: readonly (readonly string[])[]): string {
  // A leading = + - @ would make a spreadsheet run the field as a formula (CSV injection).
  const safe = (f: string) => (/^[=+\-@\t\r]/.test(f) ? `'${f}` : f);
  const field = (raw: string) => {
    const f = safe(raw);
    return /[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f;
  };
  return lines.map((l) => l.map(field).join(',')).join('\r\n') + '\r\n';
}
