import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkMasterKey,
  importMasterKey,
  KeyUnwrapError,
  newSigningKey,
  provisionTenant,
  rotateSigningKey,
  type PkiDeps,
} from '../certs/index.ts';
import { testGateway, type TestGateway } from './support/app.ts';
import { personSignsIn, residenceStatusRequest } from './support/person.ts';
import { addPrincipal, assertionFor, pkiDeps, provisionedTenant } from './support/pki.ts';

/**
 * The master key against the keys of a data dir: a wrong one is noticed before it wraps anything,
 * and a key that does not unwrap while serving answers a bare 500, logged without detail.
 */
const AUD = 'http://localhost:8787';
let gw: TestGateway;
let right: PkiDeps;
let wrong: PkiDeps;

beforeEach(async () => {
  gw = await testGateway({ publicUrl: AUD });
  right = await pkiDeps(gw.storage, gw.clock, gw.masterKey);
  wrong = await pkiDeps(gw.storage, gw.clock); // a fresh random key
});
afterEach(() => {
  gw.close();
});

async function failure(promise: Promise<unknown>): Promise<KeyUnwrapError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(KeyUnwrapError);
  return error as KeyUnwrapError;
}

const rows = (table: string): unknown =>
  gw.storage.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();

describe('checkMasterKey', () => {
  it('passes any key while there are no tenants, and the right one after', async () => {
    await checkMasterKey(wrong);
    await provisionedTenant(right, 'koeln');
    await provisionedTenant(right, 'bonn');
    await checkMasterKey(right);
    await checkMasterKey(right, 'bonn');
  });

  it('refuses another key, naming the tenant and which key did not open', async () => {
    await provisionedTenant(right, 'koeln');
    const error = await failure(checkMasterKey(wrong));
    expect(error.reason).toBe('wrong_master_key');
    expect(error.tenantId).toBe('koeln');
    expect(error.message).toBe(
      'the master key does not open the CA key of tenant koeln: ' +
        'it is not the key the stored keys were wrapped with',
    );
  });

  it('notices a tenant whose signing key went under another key, even if its CA key opens', async () => {
    await provisionedTenant(right, 'koeln');
    // What a rotation with a wrong key did before it was refused.
    await gw.storage.pki.rotateKey(
      await newSigningKey({ tenantId: 'koeln', clock: gw.clock, masterKey: wrong.masterKey }),
    );
    const error = await failure(checkMasterKey(right, 'koeln'));
    expect(error.message).toContain('the signing key of tenant koeln');
  });
});

describe('nothing new is wrapped under a wrong master key', () => {
  it('keys rotate refuses and leaves the keys as they were', async () => {
    await provisionedTenant(right, 'koeln');
    const before = rows('tenant_keys');
    const error = await failure(rotateSigningKey(wrong, 'koeln'));
    expect(error.reason).toBe('wrong_master_key');
    expect(rows('tenant_keys')).toEqual(before);
    expect(await rotateSigningKey(right, 'koeln')).toMatch(/\S/);
  });

  it('a second tenant is refused and not created', async () => {
    await provisionedTenant(right, 'koeln');
    const error = await failure(provisionTenant(wrong, { id: 'bonn' }));
    expect(error.reason).toBe('wrong_master_key');
    expect((await gw.storage.tenants.list()).map((t) => t.id)).toEqual(['koeln']);
  });

  it('a first tenant takes any key: there is nothing to prove it against', async () => {
    const other = await importMasterKey(crypto.getRandomValues(new Uint8Array(32)));
    await provisionTenant(
      { pki: gw.storage.pki, clock: gw.clock, masterKey: other },
      { id: 'koeln' },
    );
    await checkMasterKey({ pki: gw.storage.pki, masterKey: other });
  });
});

describe('a key that does not unwrap while serving', () => {
  it('answers a grant with 500 and only the request id; the log names the failure, not the key', async () => {
    // The tenant's keys were made under another master key than the one the app runs with.
    await provisionedTenant(wrong, 'koeln');
    const agency = (id: string, agencyType: string) =>
      addPrincipal(wrong, { tenantId: 'koeln', id, kind: 'agency', agencyType });
    await agency('abh-koeln', 'immigration_office');
    const jc = await agency('jc-koeln', 'jobcenter');
    const asked = await gw.app.request('/v1/consent-requests', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await assertionFor(jc, { audience: AUD, now: gw.clock.now() })}`,
        'Content-Type': 'application/json',
      },
      body: residenceStatusRequest({ scheme: 'azr', value: '100000000001' }),
    });
    expect(asked.status, await asked.clone().text()).toBe(201);
    const { id, code } = (await asked.json()) as { id: string; code: string };
    const cookie = await personSignsIn(gw.app, code);

    const grant = await gw.app.request(`/v1/portal/requests/${id}/grant`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(grant.status).toBe(500);
    const body = (await grant.json()) as Record<string, unknown>;
    expect(body).toEqual({
      type: 'urn:consent-gateway:problem:internal_error',
      title: 'Internal error',
      status: 500,
      code: 'internal_error',
      requestId: grant.headers.get('X-Request-Id'),
    });
    const logged = gw.logs.entries.find(
      (entry) => entry['msg'] === 'unexpected error' && entry['requestId'] === body['requestId'],
    );
    expect(logged).toMatchObject({ errorType: 'KeyUnwrapError' });
    const [signing] = await gw.storage.pki.keys('koeln', 'signing');
    expect(gw.logs.text).not.toContain(signing?.wrappedPrivate.ciphertext ?? 'no key');
    expect(gw.logs.text).not.toContain('could not be unwrapped');
  });
});
