import { expect } from 'vitest';
import { AuditLog } from '../../audit/index.ts';
import { provisionTenant, type PkiDeps } from '../../certs/index.ts';
import { expireDue } from '../../consent/index.ts';
import type { MonitoringReport } from '../../monitoring/index.ts';
import { testGateway, type TestGateway } from './app.ts';
import { DAY } from './consents.ts';
import { consentRequestBody, noticeBody, RESIDENCE_NOTICE, signedBy } from './flows.ts';
import { formBrowser } from './form-browser.ts';
import { addPrincipal, assertionFor, type AssertionOptions, type TestPrincipal } from './pki.ts';
import { AUD } from './world.ts';

/**
 * The steering group's pages in process, as test/monitoring-pages-*.test.ts drive them: Köln and
 * Dortmund on a test gateway over real SQLite, with a history made through the real API, and a
 * browser without JavaScript that signs in with a pasted client assertion.
 */

/** A browser without JavaScript: cookie jar, GETs and form posts (see formBrowser). */
export type FormBrowser = ReturnType<typeof formBrowser>;

/**
 * The seeded gateway: Köln (`Stadt Köln`) with its immigration office and Jobcenter, its
 * steering group `lenkung-koeln` and DPO `dsb-koeln`; Dortmund (`Stadt Dortmund`) with its
 * steering group only. Registrations are in the audit log, as the CLI records them.
 */
export interface MonitoringPagesWorld {
  readonly gw: TestGateway;
  readonly deps: PkiDeps;
  readonly abh: TestPrincipal;
  readonly jc: TestPrincipal;
  readonly monitor: TestPrincipal;
  readonly dpo: TestPrincipal;
  readonly dortmundMonitor: TestPrincipal;
  /** A client assertion of `p` for AUD at the gateway clock's now. */
  readonly assertion: (p: TestPrincipal, extra?: Partial<AssertionOptions>) => Promise<string>;
  /** A request as `p` (Bearer client assertion); a body is sent as application/json. */
  readonly as: (p: TestPrincipal, path: string, init?: RequestInit) => Promise<Response>;
  /** A browser without JavaScript, signed in as `p` (or not, when `p` is undefined). */
  readonly member: (p?: TestPrincipal, origin?: string | null) => Promise<FormBrowser>;
  /** Posts the sign-in form of `/monitoring?lang=…` with `token` pasted into it. */
  readonly signIn: (b: FormBrowser, token: string, lang?: string) => Promise<Response>;
  /** The report of `period` as the API answers it to the Köln monitor. */
  readonly apiReport: (period: string) => Promise<MonitoringReport>;
  close(): void;
}

/**
 * A fresh gateway with the two tenants, their principals and {@link seedHistory}'s history, read
 * on New Year's morning 2027; the caller closes it.
 *
 * @example
 * let world: MonitoringPagesWorld;
 * beforeAll(async () => { world = await seededMonitoringPages(); }, 60_000);
 * afterAll(() => { world.close(); });
 */
export async function seededMonitoringPages(): Promise<MonitoringPagesWorld> {
  const gw = await testGateway({ publicUrl: AUD });
  const deps: PkiDeps = {
    pki: gw.storage.pki,
    clock: gw.clock,
    masterKey: gw.masterKey,
    audit: new AuditLog(gw.storage.audit, gw.clock),
  };
  await provisionTenant(deps, { id: 'koeln', displayName: 'Stadt Köln' });
  await provisionTenant(deps, { id: 'dortmund', displayName: 'Stadt Dortmund' });
  const agency = (id: string, agencyType: string) =>
    addPrincipal(deps, { tenantId: 'koeln', id, kind: 'agency', agencyType });
  const abh = await agency('abh-koeln', 'immigration_office');
  const jc = await agency('jc-koeln', 'jobcenter');
  const monitor = await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'lenkung-koeln',
    kind: 'monitor',
  });
  const dpo = await addPrincipal(deps, { tenantId: 'koeln', id: 'dsb-koeln', kind: 'dpo' });
  const dortmundMonitor = await addPrincipal(deps, {
    tenantId: 'dortmund',
    id: 'lenkung-dortmund',
    kind: 'monitor',
  });

  const assertion = (p: TestPrincipal, extra: Partial<AssertionOptions> = {}) =>
    assertionFor(p, { audience: AUD, now: gw.clock.now(), ...extra });
  const as = async (p: TestPrincipal, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${await assertion(p)}`);
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    return gw.app.request(path, { ...init, headers });
  };
  const signIn = async (b: FormBrowser, token: string, lang = 'de') => {
    const page = await (await b.get(`/monitoring?lang=${lang}`)).text();
    return b.post('/monitoring/sign-in', { csrf: b.csrfOf(page), assertion: token, lang });
  };
  const member = async (p?: TestPrincipal, origin: string | null = AUD) => {
    const b = formBrowser(gw.app, origin);
    if (p !== undefined) {
      const res = await signIn(b, await assertion(p));
      expect(res.status).toBe(303);
    }
    return b;
  };
  const apiReport = async (period: string) => {
    const res = await as(monitor, `/v1/monitoring/reports/${period}`);
    expect(res.status).toBe(200);
    return (await res.json()) as MonitoringReport;
  };

  const world: MonitoringPagesWorld = {
    gw,
    deps,
    abh,
    jc,
    monitor,
    dpo,
    dortmundMonitor,
    assertion,
    as,
    member,
    signIn,
    apiReport,
    close() {
      gw.close();
    },
  };
  try {
    await seedHistory(world);
  } catch (error) {
    gw.close();
    throw error;
  }
  return world;
}

/** The `name` cookie's Set-Cookie line in `res`, or '' when it sets none. */
export const cookieOf = (res: Response, name: string): string =>
  res.headers.getSetCookie().find((line) => line.startsWith(`${name}=`)) ?? '';

type Seeding = Pick<MonitoringPagesWorld, 'gw' | 'abh' | 'jc' | 'as'>;

const subject = (n: number) => ({ scheme: 'azr', value: String(100_000_000_000 + n) });

async function ask({ jc, as }: Seeding, n: number): Promise<{ id: string; code: string }> {
  const res = await as(jc, '/v1/consent-requests', {
    method: 'POST',
    body: consentRequestBody(subject(n), { validUntil: '2027-09-01T00:00:00Z' }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; code: string };
}

/** The person signs in with the letter's code and grants or declines. */
async function decide(
  { gw }: Seeding,
  request: { id: string; code: string },
  how: 'grant' | 'decline',
) {
  const session = await gw.app.request('/v1/portal/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: request.code, secondFactor: '1990-01-31' }),
  });
  expect(session.status).toBe(201);
  const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  const res = await gw.app.request(`/v1/portal/requests/${request.id}/${how}`, {
    method: 'POST',
    headers: { Cookie: cookie },
  });
  expect(res.status).toBe(how === 'grant' ? 200 : 204);
  const granted =
    how === 'grant'
      ? ((await res.json()) as { consent: { id: string }; withdrawalCode: string })
      : undefined;
  return { consentId: granted?.consent.id ?? '', withdrawalCode: granted?.withdrawalCode ?? '' };
}

async function send({ abh, as }: Seeding, n: number, payload?: string): Promise<Response> {
  return as(abh, '/v1/exchanges', {
    method: 'POST',
    body: noticeBody(subject(n), payload ?? (await signedBy(abh, RESIDENCE_NOTICE))),
  });
}

async function sent(w: Seeding, n: number): Promise<string> {
  const res = await send(w, n);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/**
 * November 2026: seven requests, five granted, one declined, one left open; five exchanges, four
 * fetched, three acknowledged; four refused sends. December: the open request expires, a consent
 * is revoked with its message still waiting, a send under it is refused, two more requests.
 */
async function seedHistory(w: Seeding): Promise<void> {
  const { gw, jc, as } = w;
  const requests = [];
  for (let n = 1; n <= 7; n++) requests.push(await ask(w, n));
  gw.clock.advance(DAY);
  const decided = [];
  for (const request of requests.slice(0, 5)) decided.push(await decide(w, request, 'grant'));
  await decide(w, requests[5] ?? { id: '', code: '' }, 'decline');
  const ids = [];
  for (let n = 1; n <= 5; n++) ids.push(await sent(w, n));
  for (const id of ids.slice(0, 4)) expect((await as(jc, `/v1/mailbox/${id}`)).status).toBe(200);
  for (const id of ids.slice(0, 3))
    expect((await as(jc, `/v1/mailbox/${id}/ack`, { method: 'POST' })).status).toBe(204);
  for (const n of [20, 21, 22]) expect((await send(w, n)).status).toBe(403);
  expect((await send(w, 1, 'not.a.jws')).status).toBe(422);

  gw.clock.advance(20 * DAY);
  await expireDue({
    consents: gw.storage.consents,
    clock: gw.clock,
    audit: new AuditLog(gw.storage.audit, gw.clock),
  });
  // Weeks later the person comes back with the withdrawal code from the confirmation.
  const fifth = decided[4] ?? { consentId: '', withdrawalCode: '' };
  const again = await gw.app.request('/v1/portal/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ withdrawalCode: fifth.withdrawalCode }),
  });
  expect(again.status).toBe(201);
  const revoked = await gw.app.request(`/v1/portal/consents/${fifth.consentId}/revoke`, {
    method: 'POST',
    headers: { Cookie: (again.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '' },
  });
  expect(revoked.status).toBe(200);
  expect((await send(w, 5)).status).toBe(403);
  await ask(w, 8);
  await ask(w, 9);
  // As a later gateway version might audit a refusal: a code this page has no words for.
  await new AuditLog(gw.storage.audit, gw.clock).append('koeln', {
    event: 'exchange.refused',
    actor: 'abh-koeln',
    sender: 'abh-koeln',
    outcome: 'refused',
    reasons: ['quota_exceeded'],
  });
  // Figures are published once their period has ended: read on New Year's morning in Köln.
  gw.clock.advance(Date.parse('2027-01-01T08:00:00Z') - gw.clock.now().getTime());
}
