import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import {
  parsePeriod,
  programmeCsv,
  programmeOf,
  reportCsv,
  TABLE_IDS,
  type MonitoringSource,
} from '../../monitoring/index.ts';
import type { TenantStore } from '../../tenants/index.ts';
import type { GatewayEnv } from '../env.ts';
import { problemDoc } from '../problem.ts';
import { authProblems } from './principals.ts';

const Count = z.number().int().nullable().openapi({ description: 'null: withheld (•)' });
const Row = z.object({
  key: z.record(z.string(), z.string()),
  values: z.array(Count),
  total: Count.optional(),
  stats: z.record(z.string(), z.number().nullable()).optional(),
});
const TreeHead = z.object({
  treeSize: z.number().int(),
  rootHash: z.string(),
  timestamp: z.string(),
  jws: z.string().openapi({ description: 'compact JWS (typ tree-head+jwt), key in the JWKS' }),
});
const Suppression = z.object({ rule: z.string(), de: z.string(), en: z.string() });
const ReportSchema = z
  .object({
    format: z.literal('consent-gateway-monitoring/1'),
    tenant: z.string(),
    period: z.object({ kind: z.enum(['month', 'quarter', 'year']), key: z.string() }),
    treeHead: TreeHead,
    suppression: Suppression,
    tables: z.array(
      z.object({
        id: z.enum(TABLE_IDS),
        rowKeys: z.array(z.string()),
        columns: z.array(z.string()),
        rows: z.array(Row),
        total: Row,
      }),
    ),
  })
  .openapi('MonitoringReport');
const ProgrammeSchema = z
  .object({
    format: z.literal('consent-gateway-programme-monitoring/1'),
    programme: z.string(),
    period: z.object({ kind: z.enum(['month', 'quarter', 'year']), key: z.string() }),
    suppression: Suppression,
    columns: z.object({
      consents: z.array(z.string()),
      exchanges: z.array(z.string()),
      refusals: z.array(z.string()),
    }),
    rows: z.array(
      z.object({
        tenant: z.string(),
        name: z.string(),
        treeHead: TreeHead,
        consents: z.array(Count),
        exchanges: z.array(Count),
        refusals: z.array(Count),
        refusalsTotal: Count,
        stats: z.record(z.string(), z.number().nullable()),
      }),
    ),
  })
  .openapi('ProgrammeMonitoringReport');

const PeriodParam = z.object({
  period: z
    .string()
    .max(7)
    .openapi({ param: { name: 'period', in: 'path' }, example: '2026-11' }),
});
const FormatQuery = z.object({
  format: z.enum(['json', 'csv']).optional().openapi({
    description: 'csv: RFC 4180, one published value a line, withheld values as •',
  }),
});
const csv = { 'text/csv': { schema: z.string() } };
const MEASURES_DOC =
  'Counts of consent requests (requested, granted, declined, expiredUndecided, revoked), exchanges ' +
  '(accepted, delivered, acknowledged, withheld) and refused sends by reason code, per office ' +
  'pair (by type and by agency) and purpose, with median and 90th percentile days from request ' +
  'to decision and median hours from send to fetch where five cases or more stand behind them. ' +
  'Counts of 1 and 2, and every count from which one could be computed through the totals or the ' +
  'other tables of the period, are withheld (null in JSON, • in CSV), unless the gateway is set ' +
  'to round (GATEWAY_MONITORING_RULE). Computed from the audit log at the signed tree head it ' +
  'names; `consent-gateway monitor compute` recomputes it from an export.';

const periodsRoute = createRoute({
  method: 'get',
  path: '/v1/monitoring/periods',
  tags: ['Monitoring'],
  summary: 'Months with figures (monitor, DPO)',
  security: [{ clientAssertion: [] }],
  responses: {
    200: {
      description: 'Months, newest first; quarters and years are formed from them',
      content: {
        'application/json': {
          schema: z.object({ items: z.array(z.object({ key: z.string() })) }),
        },
      },
    },
    ...authProblems,
  },
});

const reportRoute = createRoute({
  method: 'get',
  path: '/v1/monitoring/reports/{period}',
  tags: ['Monitoring'],
  summary: "The tenant's figures for a month, quarter or year (monitor, DPO)",
  description: MEASURES_DOC,
  security: [{ clientAssertion: [] }],
  request: { params: PeriodParam, query: FormatQuery },
  responses: {
    200: {
      description: 'The report',
      content: { 'application/json': { schema: ReportSchema }, ...csv },
    },
    ...authProblems,
    422: problemDoc('`validation_failed`: the period is not YYYY-MM, YYYY-Qn or YYYY'),
  },
});

const programmeRoute = createRoute({
  method: 'get',
  path: '/v1/monitoring/programme/{period}',
  tags: ['Monitoring'],
  summary: 'The programme view: every taking-part municipality side by side (monitor, DPO)',
  description:
    'One row per municipality taking part in the caller’s programme (`tenant set --programme`): ' +
    'the totals of its own report, withheld where its own report withholds them. No total across ' +
    'municipalities is published: it would let a withheld cell be computed.',
  security: [{ clientAssertion: [] }],
  request: { params: PeriodParam, query: FormatQuery },
  responses: {
    200: {
      description: 'The programme view',
      content: { 'application/json': { schema: ProgrammeSchema }, ...csv },
    },
    ...authProblems,
    422: problemDoc('`validation_failed`: the period is not YYYY-MM, YYYY-Qn or YYYY'),
    404: problemDoc('`not_found`: the caller’s tenant takes part in no programme'),
  },
});

export interface MonitoringRouteDeps {
  readonly source: MonitoringSource;
  readonly tenants: TenantStore;
  readonly readers: MiddlewareHandler<GatewayEnv>;
}

/** Aggregates for steering groups: never an entry, never an id of a person, request or consent. */
export function registerMonitoringRoutes(
  app: OpenAPIHono<GatewayEnv>,
  deps: MonitoringRouteDeps,
): void {
  app.use('/v1/monitoring/*', deps.readers);
  app.openapi(periodsRoute, async (c) => {
    const months = await deps.source.months(c.var.principal.tenantId);
    return c.json({ items: months.map((key) => ({ key })) }, 200);
  });
  app.openapi(reportRoute, async (c) => {
    const period = parsePeriod(c.req.valid('param').period);
    const report = await deps.source.report(c.var.principal.tenantId, period);
    if (wantsCsv(c)) return csvAnswer(c, reportCsv(report), `${report.tenant}-${period.key}`);
    return c.json(report, 200);
  });
  app.openapi(programmeRoute, async (c) => {
    const period = parsePeriod(c.req.valid('param').period);
    const report = await programmeOf(deps.source, deps.tenants, c.var.principal.tenantId, period);
    if (wantsCsv(c)) return csvAnswer(c, programmeCsv(report), `${report.programme}-${period.key}`);
    return c.json(report, 200);
  });
}

function wantsCsv(c: Context<GatewayEnv>): boolean {
  const format = c.req.query('format');
  if (format !== undefined) return format === 'csv';
  const accept = c.req.header('accept') ?? '';
  return accept.includes('text/csv') && !accept.includes('application/json');
}

function csvAnswer(c: Context<GatewayEnv>, body: string, name: string) {
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="monitoring-${name}.csv"`,
  });
}
