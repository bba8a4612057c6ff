/**
 * The contract as an outside client reads it: the habits of ordinary HTTP clients (always sending a
 * body, always sending a Content-Type, trying the wrong method) get the answers the contract names.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from './support/app.ts';
import { personSignsIn, residenceStatusRequest } from './support/person.ts';
import type { TestPrincipal } from './support/pki.ts';
import { koelnWorld, type KoelnWorld } from './support/world.ts';

let world: KoelnWorld;
let gw: TestGateway;
let jc: TestPrincipal;

beforeEach(async () => {
  world = await koelnWorld({ agencies: ['abh', 'jc'], dpo: false });
  ({ gw, jc } = world);
});
afterEach(() => {
  world.close();
});

/** Unlike world.as, sets no Content-Type: these tests send the client's own. */
async function asAgency(p: TestPrincipal, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${await world.assertion(p)}`);
  return gw.app.request(path, { ...init, headers });
}

let subjects = 0;
/** A fresh consent request by the Jobcenter and a person signed in with its code. */
async function signedInRequest(): Promise<{ id: string; cookie: string }> {
  subjects += 1;
  const created = await asAgency(jc, '/v1/consent-requests', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: residenceStatusRequest({ scheme: 'local', value: `JC-${String(subjects)}` }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const { id, code } = (await created.json()) as { id: string; code: string };
  return { id, cookie: await personSignsIn(gw.app, code) };
}

/** What clients send when a route takes no fields. */
const NO_FIELDS: readonly { name: string; init: RequestInit }[] = [
  { name: 'no body', init: {} },
  { name: 'an empty body as application/json', init: { body: '', headers: JSON_CT() } },
  { name: '{} as application/json', init: { body: '{}', headers: JSON_CT() } },
  { name: '{ } with whitespace', init: { body: ' { } \n', headers: JSON_CT() } },
];
function JSON_CT(): Record<string, string> {
  return { 'Content-Type': 'application/json' };
}
const withCookie = (init: RequestInit, cookie: string): RequestInit => ({
  ...init,
  method: 'POST',
  headers: { ...(init.headers as Record<string, string> | undefined), Cookie: cookie },
});

describe('empty bodies', () => {
  for (const { name, init } of NO_FIELDS) {
    it(`grants, declines and revokes with ${name}`, async () => {
      const granted = await signedInRequest();
      const grant = await gw.app.request(
        `/v1/portal/requests/${granted.id}/grant`,
        withCookie(init, granted.cookie),
      );
      expect(grant.status, await grant.clone().text()).toBe(200);
      const { consent } = (await grant.json()) as { consent: { id: string; state: string } };
      expect(consent.state).toBe('active');

      const revoke = await gw.app.request(
        `/v1/portal/consents/${consent.id}/revoke`,
        withCookie(init, granted.cookie),
      );
      expect(revoke.status, await revoke.clone().text()).toBe(200);
      expect(await revoke.json()).toMatchObject({ state: 'revoked' });

      const declined = await signedInRequest();
      const decline = await gw.app.request(
        `/v1/portal/requests/${declined.id}/decline`,
        withCookie(init, declined.cookie),
      );
      expect(decline.status, await decline.clone().text()).toBe(204);
    });

    it(`records an office's assisted revocation with ${name}`, async () => {
      const granted = await signedInRequest();
      const grant = await gw.app.request(
        `/v1/portal/requests/${granted.id}/grant`,
        withCookie({}, granted.cookie),
      );
      const { consent } = (await grant.json()) as { consent: { id: string } };
      const revoke = await asAgency(jc, `/v1/consents/${consent.id}/revoke`, {
        ...init,
        method: 'POST',
      });
      expect(revoke.status, await revoke.clone().text()).toBe(200);
      expect(await revoke.json()).toMatchObject({ state: 'revoked' });
    });
  }

  it('refuses fields a route does not take with 422 validation_failed, and changes nothing', async () => {
    const { id, cookie } = await signedInRequest();
    for (const path of [`/v1/portal/requests/${id}/decline`, `/v1/portal/requests/${id}/grant`]) {
      for (const body of ['{"reason":"no"}', '[]', '{"language":"en"}']) {
        const res = await gw.app.request(path, withCookie({ body, headers: JSON_CT() }, cookie));
        expect(res.status, `${path} ${body}`).toBe(422);
        expect(await res.json()).toMatchObject({ code: 'validation_failed' });
      }
    }
    const grant = await gw.app.request(
      `/v1/portal/requests/${id}/grant`,
      withCookie({ body: '{}', headers: JSON_CT() }, cookie),
    );
    expect(grant.status).toBe(200);
    const { consent } = (await grant.json()) as { consent: { id: string } };
    const revoke = await gw.app.request(
      `/v1/portal/consents/${consent.id}/revoke`,
      withCookie({ body: '{"now":true}', headers: JSON_CT() }, cookie),
    );
    expect(revoke.status).toBe(422);
    expect(await revoke.json()).toMatchObject({ code: 'validation_failed' });
    const consents = (await (
      await gw.app.request('/v1/portal/consents', { headers: { Cookie: cookie } })
    ).json()) as { items: { state: string }[] };
    expect(consents.items.map((c) => c.state)).toEqual(['active']);
  });

  it('says so in the OpenAPI document', async () => {
    const doc = (await (await gw.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    for (const [path, text] of [
      ['/v1/portal/requests/{id}/grant', '`{}`'],
      ['/v1/portal/requests/{id}/decline', '`{}` mean the same'],
      ['/v1/portal/consents/{id}/revoke', '`{}` mean the same'],
      ['/v1/consents/{id}/revoke', '`{}` mean the same'],
    ] as const) {
      expect(doc.paths[path]?.['post']?.description, path).toContain(text);
    }
  });
});

describe('a wrong method', () => {
  it('answers 405 method_not_allowed with Allow for a known path', async () => {
    const cases: [Promise<Response>, string][] = [
      [asAgency(jc, '/v1/exchanges', { method: 'DELETE' }), 'POST'],
      [asAgency(jc, '/v1/exchanges', { method: 'GET' }), 'POST'],
      [asAgency(jc, '/v1/mailbox', { method: 'POST' }), 'GET, HEAD'],
      [asAgency(jc, '/v1/mailbox/ex_1/ack', { method: 'GET' }), 'POST'],
      [asAgency(jc, '/v1/mailbox/ex_1', { method: 'DELETE' }), 'GET, HEAD'],
      [asAgency(jc, '/v1/consents/co_1/revoke', { method: 'PUT' }), 'POST'],
      [Promise.resolve(gw.app.request('/v1/portal/session', { method: 'PUT' })), 'DELETE, POST'],
      [Promise.resolve(gw.app.request('/v1/portal/consents', { method: 'POST' })), 'GET, HEAD'],
      [Promise.resolve(gw.app.request('/v1/portal/requests/r_1/grant', { method: 'GET' })), 'POST'],
    ];
    for (const [answer, allow] of cases) {
      const res = await answer;
      expect(res.status, res.url).toBe(405);
      expect(res.headers.get('Allow')).toBe(allow);
      expect(res.headers.get('Content-Type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
    }
  });

  it('still answers 404 for an unknown path, and the right method as before', async () => {
    const unknown = await gw.app.request('/v1/nothing-here', { method: 'PUT' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'not_found' });
    expect((await asAgency(jc, '/v1/mailbox')).status).toBe(200);
    expect((await gw.app.request('/v1/portal/session', { method: 'DELETE' })).status).toBe(204);
  });
});
