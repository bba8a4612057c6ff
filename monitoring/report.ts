import type { SuppressionRule } from './suppression.ts';

export const REPORT_FORMAT = 'consent-gateway-monitoring/1';

export const TABLE_IDS = [
  'consents-by-office-type',
  'consents-by-agency',
  'exchanges-by-office-type',
  'exchanges-by-agency',
  'refusals-by-office-type',
  'refusals-by-agency',
] as const;
export type TableId = (typeof TABLE_IDS)[number];

export type RowKeyName = 'senderType' | 'recipientType' | 'sender' | 'recipient' | 'purpose';

/** A published count: null where withheld (shown as •). */
export type Count = number | null;

/** Medians and percentiles of a row, null where fewer than five cases stand behind them. */
export type RowStats = Readonly<Record<string, number | null>>;

export interface TableRow {
  readonly key: Readonly<Partial<Record<RowKeyName, string>>>;
  readonly values: readonly Count[];
  /** The row's sum over the columns, in tables whose columns add up (refusals by reason). */
  readonly total?: Count;
  readonly stats?: RowStats;
}

export interface MonitoringTable {
  readonly id: TableId;
  readonly rowKeys: readonly RowKeyName[];
  readonly columns: readonly string[];
  readonly rows: readonly TableRow[];
  /** The sums over all rows, column by column (and of the row totals where there are). */
  readonly total: TableRow;
}

export interface SignedTreeHead {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly timestamp: string;
  /** Compact JWS by the gateway over `{ treeSize, rootHash, timestamp }` (typ tree-head+jwt). */
  readonly jws: string;
}

/** The rule as every table states it: its short form and one sentence in each language. */
export interface RuleStatement {
  readonly rule: string;
  readonly de: string;
  readonly en: string;
}

/** One tenant's figures for one period, with the tree head they were computed from. */
export interface MonitoringReport {
  readonly format: typeof REPORT_FORMAT;
  readonly tenant: string;
  readonly period: { readonly kind: 'month' | 'quarter' | 'year'; readonly key: string };
  readonly treeHead: SignedTreeHead;
  readonly suppression: RuleStatement;
  readonly tables: readonly MonitoringTable[];
}

export type { SuppressionRule };
