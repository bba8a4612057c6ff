export { MonitoringTally, CONSENT_MEASURES, EXCHANGE_MEASURES } from './tally.ts';
export type { ConsentMeasure, ExchangeMeasure } from './tally.ts';
export { parsePeriod, periodOf, monthOf } from './periods.ts';
export type { Period, PeriodKind } from './periods.ts';
export { computeReport, percentile, MIN_CASES_FOR_STATS } from './tables.ts';
export { REPORT_FORMAT, TABLE_IDS } from './report.ts';
export type {
  Count,
  MonitoringReport,
  MonitoringTable,
  RuleStatement,
  SignedTreeHead,
  TableId,
  TableRow,
} from './report.ts';
export { MonitoringSource, REPORT_REUSE_MS } from './source.ts';
export type { MonitoringDeps } from './source.ts';
export { programmeOf, programmeReport, PROGRAMME_FORMAT } from './programme.ts';
export type { ProgrammeReport, ProgrammeRow } from './programme.ts';
export { reportCsv, programmeCsv, WITHHELD } from './csv.ts';
export { describeRule, parseRule, protect, disclosed } from './suppression.ts';
export type { CountSystem, SuppressionRule } from './suppression.ts';
export { recomputeReport, compareReports } from './recompute.ts';
export { isClosed, lastEndedMonth, periodEnd, CLOSING_MARGIN_MS } from './periods.ts';
