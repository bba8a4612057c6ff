import { compactVerify, createLocalJWKSet, CompactSign, importJWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyContext, rotateSigningKey, unwrapPrivateKey, type PkiDeps } from '../../certs/index.ts';
import { testGateway, type TestGateway } from '../../test/support/app.ts';
import { pkiDeps, provisionedTenant } from '../../test/support/pki.ts';

let gw: TestGateway;
let deps: PkiDeps;
beforeEach(async () => {
  gw = await testGateway();
  deps = await pkiDeps(gw.storage, gw.clock, gw.masterKey);
  await provisionedTenant(deps, 'koeln');
});
afterEach(() => {
  gw.close();
});

async function jwks(): Promise<{ keys: { kid: string; kty: string; alg: string; use: string }[] }> {
  const res = await gw.app.request('/.well-known/jwks.json');
  expect(res.status).toBe(200);
  return (await res.json()) as { keys: { kid: string; kty: string; alg: string; use: string }[] };
}

/** Signs with the tenant's stored signing key, as receipts and tree heads will be signed. */
async function signWithActiveKey(payload: string): Promise<string> {
  const [active] = await deps.pki.keys('koeln', 'signing');
  if (!active) throw new Error('no signing key');
  const key = await unwrapPrivateKey(
    deps.masterKey,
    active.wrappedPrivate,
    keyContext('koeln', 'signing', active.kid),
    { name: 'ECDSA', namedCurve: 'P-256' },
    ['sign'],
  );
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'ES256', kid: active.kid })
    .sign(key);
}

describe('GET /.well-known/jwks.json', () => {
  it('publishes public ES256 keys only', async () => {
    const { keys } = await jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('verifies what the stored signing key signs', async () => {
    const jws = await signWithActiveKey('hello');
    const { payload } = await compactVerify(jws, createLocalJWKSet(await jwks()), {
      algorithms: ['ES256'],
    });
    expect(new TextDecoder().decode(payload)).toBe('hello');
  });

  it('keeps the old key published after keys rotate, so older signatures still verify', async () => {
    const before = await signWithActiveKey('before rotation');
    const newKid = await rotateSigningKey(deps, 'koeln');
    const { keys } = await jwks();
    expect(keys.map((k) => k.kid)).toContain(newKid);
    expect(keys).toHaveLength(2);
    const set = createLocalJWKSet({ keys });
    await expect(compactVerify(before, set, { algorithms: ['ES256'] })).resolves.toBeTruthy();
    const after = await signWithActiveKey('after rotation');
    expect(JSON.parse(atob(after.split('.')[0] ?? '')) as { kid: string }).toMatchObject({
      kid: newKid,
    });
    await expect(compactVerify(after, set, { algorithms: ['ES256'] })).resolves.toBeTruthy();
  });

  it('lists the keys of every tenant with distinct kids', async () => {
    await provisionedTenant(deps, 'dortmund');
    const { keys } = await jwks();
    expect(new Set(keys.map((k) => k.kid)).size).toBe(2);
    for (const key of keys) await expect(importJWK(key, 'ES256')).resolves.toBeTruthy();
  });
});

describe('GET /.well-known/openpgp-key.asc', () => {
  it('serves the armored public key of the tenant', async () => {
    const res = await gw.app.request('/.well-known/openpgp-key.asc');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/pgp-keys');
    const text = await res.text();
    expect(text).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(text).not.toContain('PRIVATE');
    const [stored] = await deps.pki.keys('koeln', 'openpgp');
    expect(text.trim()).toBe(stored?.publicMaterial.trim());
  });

  it('selects a tenant with ?tenant= and answers 404 for an unknown one', async () => {
    await provisionedTenant(deps, 'dortmund');
    const all = await (await gw.app.request('/.well-known/openpgp-key.asc')).text();
    expect(all.match(/BEGIN PGP PUBLIC KEY BLOCK/g)).toHaveLength(2);
    const one = await (await gw.app.request('/.well-known/openpgp-key.asc?tenant=dortmund')).text();
    expect(one.match(/BEGIN PGP PUBLIC KEY BLOCK/g)).toHaveLength(1);
    expect((await gw.app.request('/.well-known/openpgp-key.asc?tenant=nowhere')).status).toBe(404);
  });
});
