import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testGateway, type TestGateway } from '../support/app.ts';
import {
  addPrincipal,
  assertionFor,
  pkiDeps,
  provisionedTenant,
  type TestPrincipal,
} from '../support/pki.ts';

/**
 * Every JSON route (as the OpenAPI document lists them) and every portal form, fed what fast-check
 * draws: bodies, query strings, headers, content types, malformed multipart. Whatever comes in,
 * nothing answers 5xx, no answer carries a stack trace, and a refused request changes nothing
 * (audit entries aside: refusals of an authenticated sender are recorded on purpose).
 *
 * Seeded and bounded in time: FUZZ_SEED repeats a run; the seed is printed when a property fails.
 */
const AUD = 'http://localhost:8787';
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2_147_483_647);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);
let gw: TestGateway;
let agency: TestPrincipal;
let dpo: TestPrincipal;
let routes: { method: string; path: string }[] = [];
/** A person's session (from a one-time code) and a CSRF cookie, for the signed-in runs. */
let sessionCookie = '';

beforeAll(async () => {
  gw = await testGateway({ publicUrl: AUD });
  const deps = await pkiDeps(gw.storage, gw.clock, gw.masterKey);
  await provisionedTenant(deps, 'koeln');
  await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'abh-koeln',
    kind: 'agency',
    agencyType: 'immigration_office',
  });
  agency = await addPrincipal(deps, {
    tenantId: 'koeln',
    id: 'jc-koeln',
    kind: 'agency',
    agencyType: 'jobcenter',
  });
  dpo = await addPrincipal(deps, { tenantId: 'koeln', id: 'dsb-koeln', kind: 'dpo' });
  const doc = (await (await gw.app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const asked = await gw.app.request('/v1/consent-requests', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await assertionFor(agency, { audience: AUD, now: gw.clock.now() })}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      subject: { scheme: 'azr', value: '123456789012' },
      senders: ['abh-koeln'],
      recipients: ['jc-koeln'],
      purpose: 'labour_market_integration',
      categories: ['residence_status'],
      validUntil: '2027-06-01T00:00:00Z',
      language: 'de',
      secondFactor: { type: 'birthDate', value: '1990-01-31' },
    }),
  });
  const { code } = (await asked.json()) as { code: string };
  const session = await gw.app.request('/v1/portal/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code, secondFactor: '1990-01-31' }),
  });
  sessionCookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
  routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(() => {
  gw.close();
});

/** Rows of every table that holds state, except the log of refusals itself and throttles. */
function state(): string {
  const tables = gw.storage.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  const skip = new Set(['audit_entries', 'audit_nodes', 'audit_heads', 'used_assertions']);
  return tables
    .filter((t) => !skip.has(t))
    .map(
      (t) => `${t}:${String(gw.storage.db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get())}`,
    )
    .join(',');
}

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/problem+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=zzz',
  'multipart/form-data',
  '',
);
const bodies = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  fc.constant('{"subject":{"scheme":"azr","value":"123456789012"},"code":'),
  fc.constant('--zzz\r\nContent-Disposition: form-data; name="code"\r\n\r\nABCD'),
  fc.constant(''),
  fc.constant('{}'),
);
const idLike = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/),
  fc.constantFrom("' OR 1=1 --", '../../etc/passwd', '%00', 'cs_'.padEnd(300, 'x'), 'ñ☃'),
);
const queries = fc.dictionary(
  fc.constantFrom(
    'cursor',
    'since',
    'lang',
    'from',
    'to',
    'seq',
    'treeSize',
    'subject.scheme',
    'subject.value',
    'limit',
    'event',
    'channel',
  ),
  fc.string({ maxLength: 40 }),
  { maxKeys: 4 },
);
const callers = fc.constantFrom('none', 'agency', 'dpo', 'garbage', 'person');

async function send(input: {
  method: string;
  path: string;
  id: string;
  query: Record<string, string>;
  contentType: string;
  body: string;
  caller: string;
}): Promise<Response> {
  const url = `${input.path.replace(/\{[^}]+\}/g, encodeURIComponent(input.id))}?${new URLSearchParams(input.query).toString()}`;
  const headers = new Headers();
  if (input.contentType !== '') headers.set('Content-Type', input.contentType);
  headers.set('Origin', AUD);
  if (input.caller === 'agency' || input.caller === 'dpo') {
    const who = input.caller === 'agency' ? agency : dpo;
    headers.set(
      'Authorization',
      `Bearer ${await assertionFor(who, { audience: AUD, now: gw.clock.now() })}`,
    );
  } else if (input.caller === 'garbage') headers.set('Authorization', 'Bearer a.b.c');
  // A signed-in person whose forms carry a CSRF cookie; the drawn body decides the rest.
  else if (input.caller === 'person')
    headers.set('Cookie', `${sessionCookie}; cg_csrf=${'t'.repeat(43)}`);
  const withBody = input.method !== 'GET' && input.method !== 'HEAD';
  return gw.app.request(url, {
    method: input.method,
    headers,
    ...(withBody ? { body: input.body } : {}),
  });
}

async function expectHarmless(res: Response, before: string): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBeLessThan(500);
  expect(text).not.toMatch(/\n\s+at [\w.<>]+ \(|node_modules|\.ts:\d+/);
  if (res.status >= 400) expect(state()).toBe(before);
}

const settings = {
  seed: SEED,
  numRuns: RUNS,
  interruptAfterTimeLimit: 20_000,
  verbose: 1,
} as const;

describe(`fuzzing every route (seed ${String(SEED)}, FUZZ_SEED=${String(SEED)} repeats it)`, () => {
  it('answers every JSON route below 500, without a stack trace, changing nothing when it refuses', async () => {
    expect(routes.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: routes.length - 1 }),
        idLike,
        queries,
        contentTypes,
        bodies,
        callers,
        async (index, id, query, contentType, body, caller) => {
          const route = routes[index] ?? { method: 'GET', path: '/health' };
          const before = state();
          await expectHarmless(
            await send({ ...route, id, query, contentType, body, caller }),
            before,
          );
        },
      ),
      settings,
    );
  }, 60_000);

  it('answers every portal form below 500, before and after sign-in, changing nothing it refuses', async () => {
    const forms = [
      '/portal/sign-in',
      '/portal/withdraw',
      '/portal/sign-out',
      '/portal/eid/start',
      '/portal/requests/{id}/grant',
      '/portal/requests/{id}/decline',
      '/portal/consents/{id}/revoke',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...forms),
        idLike,
        contentTypes,
        bodies,
        async (path, id, contentType, body) => {
          const before = state();
          const res = await send({
            method: 'POST',
            path,
            id,
            query: {},
            contentType,
            body,
            caller: 'none',
          });
          await expectHarmless(res, before);
        },
      ),
      settings,
    );
    expect(sessionCookie).toMatch(/^cg_session=/);
  }, 60_000);
});
