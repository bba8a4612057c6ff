import type { OpenAPIHono } from '@hono/zod-openapi';
import { formFields } from '../form-body.ts';
import { z } from 'zod';
import { GatewayError, isGatewayError, type ErrorCode } from '../../core/index.ts';
import {
  lastEndedMonth,
  programmeOf,
  parsePeriod,
  programmeCsv,
  reportCsv,
  type Period,
} from '../../monitoring/index.ts';
import type { GatewayEnv } from '../env.ts';
import { readerOf } from './access.ts';
import { periodChoices, refusalSeries, seriesMonths } from './figures.ts';
import { isPageLanguage, type PageText } from './i18n.ts';
import {
  monitoringKit,
  type MonitoringKit,
  type MonitoringPagesOptions,
  type PageContext,
} from './kit.tsx';
import type { MessageKey } from './messages.ts';
import { ProgrammePage } from './programme-page.tsx';
import type { MonitoringSession } from './session.ts';
import { monitoringCss } from './style.ts';
import { TenantPage } from './tenant-page.tsx';

export type { MonitoringPagesOptions } from './kit.tsx';

const SignInForm = z.object({
  csrf: z.string().max(64).optional(),
  lang: z.string().max(8).optional(),
  // Generous for line breaks a terminal adds; the verification refuses anything over 16 KiB.
  assertion: z.string().max(20_000).default(''),
});
const SignOutForm = z.object({
  csrf: z.string().max(64).optional(),
  lang: z.string().max(8).optional(),
});

/** How each refusal of a pasted assertion is told, and with which status. */
const SIGN_IN_REFUSALS: Partial<Record<ErrorCode, readonly [MessageKey, 401 | 403]>> = {
  unauthenticated: ['signIn.invalid', 401],
  certificate_revoked: ['signIn.revoked', 401],
  replayed_assertion: ['signIn.replayed', 401],
  forbidden: ['signIn.wrongKind', 403],
};

const DATA_FILE = /^([0-9A-Za-z-]{1,16})\.(csv|json)$/;

/**
 * The steering group's pages: the tenant's figures and the programme view, server-rendered with
 * charts as inline SVG, in German and English, with CSV and JSON of the same figures. A browser
 * cannot sign client assertions, so sign-in takes one pasted from the CLI, verifies it exactly as
 * the API does, and opens an eight-hour session cookie; every page checks the principal again.
 *
 * @example
 * ```ts
 * registerMonitoringPages(app, { source, storage, masterKey, assertionCheck, pageLimit });
 * ```
 */
export function registerMonitoringPages(
  app: OpenAPIHono<GatewayEnv>,
  options: MonitoringPagesOptions,
): void {
  const kit = monitoringKit(options);

  app.get('/monitoring/assets/monitoring.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(monitoringCss);
  });

  app.get(
    '/monitoring',
    kit.signedIn((c, session, text) => tenantPage(kit, c, session, text)),
  );
  app.get(
    '/monitoring/programme',
    kit.signedIn((c, session, text) => programmePage(kit, c, session, text)),
  );
  app.get(
    '/monitoring/data/:file',
    kit.signedIn((c, session) => tenantData(kit, c, session)),
  );
  app.get(
    '/monitoring/data/programme/:file',
    kit.signedIn((c, session) => programmeData(kit, c, session)),
  );
  app.post(
    '/monitoring/sign-in',
    kit.page((c) => signIn(kit, c)),
  );
  app.post(
    '/monitoring/sign-out',
    kit.page(async (c) => {
      const form = SignOutForm.safeParse(await formFields(c));
      const fields = form.success ? form.data : {};
      kit.csrf.check(c, fields.csrf);
      kit.sessions.clear(c);
      const text = kit.textOf(c, fields.lang);
      return kit.signInPage(c, text, { kind: 'info', text: text.t('signIn.signedOut') });
    }),
  );
}

async function signIn(kit: MonitoringKit, c: PageContext): Promise<Response> {
  const form = SignInForm.safeParse(await formFields(c));
  const fields = form.success ? form.data : { assertion: '', csrf: undefined, lang: undefined };
  const text = kit.textOf(c, fields.lang);
  const refuse = (key: MessageKey, status: number, technical?: string) =>
    kit.signInPage(c, text, { kind: 'error', text: text.t(key), technical }, status);
  if (!kit.csrf.valid(c, fields.csrf)) return refuse('form.expired', 403);
  // Terminals wrap long lines; a JWS never holds whitespace, so all of it goes.
  const token = fields.assertion.replace(/\s+/g, '');
  if (token === '') return refuse('signIn.empty', 401);

  const address = kit.options.clientAddress?.(c) ?? 'unknown';
  const wait = kit.throttle.reserve(address);
  if (wait > 0) {
    c.header('Retry-After', String(wait));
    return kit.signInPage(
      c,
      text,
      { kind: 'error', text: text.t('signIn.throttled', { minutes: Math.ceil(wait / 60) }) },
      429,
    );
  }
  let reader: Awaited<ReturnType<typeof readerOf>>;
  try {
    reader = await readerOf(token, kit.options.assertionCheck);
  } catch (error) {
    const refusal = isGatewayError(error) ? SIGN_IN_REFUSALS[error.code] : undefined;
    if (refusal === undefined || !isGatewayError(error)) throw error;
    return refuse(refusal[0], refusal[1], error.detail);
  }
  kit.throttle.release(address);
  await kit.sessions.issue(c, {
    tenantId: reader.tenantId,
    principalId: reader.id,
    kind: reader.kind,
  });
  c.var.log.info({ tenant: reader.tenantId, principalKind: reader.kind }, 'monitoring sign-in');
  const lang = isPageLanguage(fields.lang) ? `?lang=${fields.lang}` : '';
  return c.redirect(`/monitoring${lang}`, 303);
}

/** The period asked for, else the newest ended month with figures, else the last ended month. */
function periodAsked(c: PageContext, months: readonly string[], now: Date): Period {
  const asked = c.req.query('period');
  if (asked !== undefined && asked !== '') return parsePeriod(asked);
  return parsePeriod(months[0] ?? lastEndedMonth(now));
}

async function tenantPage(
  kit: MonitoringKit,
  c: PageContext,
  session: MonitoringSession,
  text: PageText,
): Promise<Response> {
  const { source, storage, assertionCheck } = kit.options;
  const months = await source.months(session.tenantId);
  const period = periodAsked(c, months, assertionCheck.clock.now());
  const report = await source.report(session.tenantId, period);
  const series = await refusalSeries(
    source,
    session.tenantId,
    seriesMonths(period),
    new Set(months),
  );
  const tenant = await storage.tenants.get(session.tenantId);
  const names = new Map<string, string>();
  for (const principal of await storage.pki.principals(session.tenantId))
    names.set(principal.id, principal.displayName);
  const name = tenant?.displayName ?? session.tenantId;
  const view = {
    name,
    period,
    choices: periodChoices(months, period),
    report,
    series,
    names,
    programme: tenant?.programme,
  };
  const frame = kit.frame(
    text,
    text.t('tenant.title', { name }),
    `/monitoring?period=${period.key}`,
  );
  return c.html(
    <TenantPage
      frame={{ ...frame, nav: navOf(kit, c, tenant?.programme, 'tenant', period.key) }}
      view={view}
    />,
  );
}

async function programmePage(
  kit: MonitoringKit,
  c: PageContext,
  session: MonitoringSession,
  text: PageText,
): Promise<Response> {
  const { source, storage, assertionCheck } = kit.options;
  const months = await source.months(session.tenantId);
  const period = periodAsked(c, months, assertionCheck.clock.now());
  const report = await programmeOf(source, storage.tenants, session.tenantId, period);
  const frame = kit.frame(
    text,
    text.t('programme.title', { programme: report.programme }),
    `/monitoring/programme?period=${period.key}`,
  );
  return c.html(
    <ProgrammePage
      frame={{ ...frame, nav: navOf(kit, c, report.programme, 'programme', period.key) }}
      view={{ period, choices: periodChoices(months, period), report }}
    />,
  );
}

const navOf = (
  kit: MonitoringKit,
  c: PageContext,
  programme: string | undefined,
  current: 'tenant' | 'programme',
  period: string,
) => ({ csrf: kit.csrf.token(c), programme, current, period });

/** `2026-11.csv` → the period and the format; another name is no page of ours. */
function dataFileOf(c: PageContext): { period: Period; format: 'csv' | 'json' } {
  const match = DATA_FILE.exec(c.req.param('file') ?? '');
  if (match?.[1] === undefined) {
    throw new GatewayError('not_found', {
      detail: 'a data file is named PERIOD.csv or PERIOD.json',
      errors: [{ path: '/file', message: 'must be PERIOD.csv or PERIOD.json', in: 'path' }],
    });
  }
  return { period: parsePeriod(match[1]), format: match[2] === 'csv' ? 'csv' : 'json' };
}

async function tenantData(kit: MonitoringKit, c: PageContext, session: MonitoringSession) {
  const { period, format } = dataFileOf(c);
  const report = await kit.options.source.report(session.tenantId, period);
  const name = `monitoring-${report.tenant}-${period.key}`;
  return download(c, format, name, format === 'csv' ? reportCsv(report) : JSON.stringify(report));
}

async function programmeData(kit: MonitoringKit, c: PageContext, session: MonitoringSession) {
  const { period, format } = dataFileOf(c);
  const { source, storage } = kit.options;
  const report = await programmeOf(source, storage.tenants, session.tenantId, period);
  const name = `monitoring-${report.programme}-${period.key}`;
  const body = format === 'csv' ? programmeCsv(report) : JSON.stringify(report);
  return download(c, format, name, body);
}

function download(c: PageContext, format: 'csv' | 'json', name: string, body: string) {
  return c.body(body, 200, {
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
    'Content-Disposition': `attachment; filename="${name}.${format}"`,
  });
}
