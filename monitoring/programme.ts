import { GatewayError } from '../core/index.ts';
import type { TenantStore } from '../tenants/index.ts';
import type { Period } from './periods.ts';
import type { MonitoringSource } from './source.ts';
import { CONSENT_MEASURES, EXCHANGE_MEASURES } from './tally.ts';
import type { Count, MonitoringReport, RowStats, RuleStatement, SignedTreeHead } from './report.ts';

export const PROGRAMME_FORMAT = 'consent-gateway-programme-monitoring/1';

/** One municipality's row: the totals of its own published tables, as protected there. */
export interface ProgrammeRow {
  readonly tenant: string;
  readonly name: string;
  readonly treeHead: SignedTreeHead;
  readonly consents: readonly Count[];
  readonly exchanges: readonly Count[];
  /** By reason, in the order of `columns.refusals`, then all refusals. */
  readonly refusals: readonly Count[];
  readonly refusalsTotal: Count;
  readonly stats: RowStats;
}

/** The programme's view: every taking-part municipality side by side, one row each. */
export interface ProgrammeReport {
  readonly format: typeof PROGRAMME_FORMAT;
  readonly programme: string;
  readonly period: { readonly kind: Period['kind']; readonly key: string };
  readonly suppression: RuleStatement;
  readonly columns: {
    readonly consents: readonly string[];
    readonly exchanges: readonly string[];
    readonly refusals: readonly string[];
  };
  readonly rows: readonly ProgrammeRow[];
}

/**
 * Puts the municipalities' own reports side by side. Each row is the total row of that tenant's
 * office-type tables exactly as its own report publishes it, withheld cells included, so the view
 * adds no figure that was not already protected; it has no programme total, because a sum across
 * rows would be a new equation through which a withheld cell could be recovered. A reason one
 * municipality never saw is a true 0 there.
 */
export function programmeReport(
  programme: string,
  period: Period,
  reports: readonly { readonly name: string; readonly report: MonitoringReport }[],
  suppression: RuleStatement,
): ProgrammeReport {
  const table = (report: MonitoringReport, id: string) => report.tables.find((t) => t.id === id);
  const reasons = [
    ...new Set(
      reports.flatMap(({ report }) => table(report, 'refusals-by-office-type')?.columns ?? []),
    ),
  ].sort();
  const rows = reports.map(({ name, report }): ProgrammeRow => {
    const consents = table(report, 'consents-by-office-type')?.total;
    const exchanges = table(report, 'exchanges-by-office-type')?.total;
    const refusals = table(report, 'refusals-by-office-type');
    const byReason = (reason: string): Count => {
      const at = refusals?.columns.indexOf(reason) ?? -1;
      return at === -1 ? 0 : (refusals?.total.values[at] ?? null);
    };
    return {
      tenant: report.tenant,
      name,
      treeHead: report.treeHead,
      consents: consents?.values ?? [],
      exchanges: exchanges?.values ?? [],
      refusals: reasons.map(byReason),
      // A municipality without the table saw no refusal (0); a withheld total stays withheld.
      refusalsTotal: refusals === undefined ? 0 : (refusals.total.total ?? null),
      stats: { ...consents?.stats, ...exchanges?.stats },
    };
  });
  return {
    format: PROGRAMME_FORMAT,
    programme,
    period: { kind: period.kind, key: period.key },
    suppression,
    columns: {
      consents: CONSENT_MEASURES,
      exchanges: EXCHANGE_MEASURES,
      refusals: reasons,
    },
    rows,
  };
}

/**
 * The view of the programme `tenantId` takes part in: every tenant taking part, each from its own
 * report. A tenant sees it only while it takes part itself.
 *
 * @throws GatewayError `not_found` when the tenant takes part in no programme.
 */
export async function programmeOf(
  source: MonitoringSource,
  tenants: Pick<TenantStore, 'get' | 'list'>,
  tenantId: string,
  period: Period,
): Promise<ProgrammeReport> {
  const programme = (await tenants.get(tenantId))?.programme;
  if (programme === undefined)
    throw new GatewayError('not_found', { detail: 'this tenant takes part in no programme' });
  const members = (await tenants.list()).filter((t) => t.programme === programme);
  const reports = [];
  for (const tenant of members) {
    reports.push({ name: tenant.displayName, report: await source.report(tenant.id, period) });
  }
  return programmeReport(programme, period, reports, source.suppression);
}
