import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGatewayError } from '../core/index.ts';
import {
  createEidProvider,
  type EidConfig,
  type EidFetch,
  type EidProvider,
} from '../gateway/portal/eid.ts';
import {
  ACR_HIGH,
  ACR_SUBSTANTIAL,
  startTestOidcProvider,
  type TestAccount,
  type TestOidcProvider,
} from './support/oidc-provider.ts';

const redirectUri = new URL('http://127.0.0.1:8787/portal/eid/callback');
const secret = 'test-client-secret-0123456789abcdef';
const assuranceByAcr = { [ACR_SUBSTANTIAL]: 'substantial', [ACR_HIGH]: 'high' } as const;

const erika: TestAccount = {
  accountId: 'erika',
  familyName: 'Mustermann',
  givenName: 'Erika Gabriele',
  birthDate: '1964-08-12',
  acr: ACR_HIGH,
};
const max: TestAccount = {
  accountId: 'max',
  familyName: 'Schmidt',
  givenName: 'Max',
  birthDate: '1990-01-31',
  acr: ACR_SUBSTANTIAL,
};
const unmapped: TestAccount = { ...max, accountId: 'unmapped', acr: 'urn:example:eid:low' };
const nameless: TestAccount = { accountId: 'nameless', birthDate: '1990-01-31', acr: ACR_HIGH };
const accounts = [erika, max, unmapped, nameless];

/** Every value of a person or a sign-in that must never appear in a refusal. */
const secrets = [erika, max].flatMap((a) => [a.familyName, a.givenName, a.birthDate]);

let provider: TestOidcProvider;
let other: TestOidcProvider;
let keyClient: Pick<EidConfig, 'clientId' | 'clientAuth'>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'gateway-1', alg: 'ES256', use: 'sig' };
  keyClient = {
    clientId: 'gateway-key',
    clientAuth: { method: 'private_key_jwt', privateKey, kid: 'gateway-1', alg: 'ES256' },
  };
  const clients = [
    { clientId: 'gateway', secret },
    { clientId: 'gateway-key', jwks: { keys: [jwk] } },
  ];
  [provider, other] = await Promise.all([
    startTestOidcProvider({ redirectUri, accounts, clients }),
    startTestOidcProvider({ redirectUri, accounts, clients, claimsInIdToken: true }),
  ]);
}, 20_000);

afterAll(async () => {
  await Promise.all([provider.stop(), other.stop()]);
}, 10_000);

function eidAt(at: TestOidcProvider, overrides: Partial<EidConfig> = {}): EidProvider {
  return createEidProvider({
    issuer: at.issuer,
    clientId: 'gateway',
    clientAuth: { method: 'client_secret_basic', secret },
    redirectUri,
    acrValues: [ACR_HIGH, ACR_SUBSTANTIAL],
    assuranceByAcr,
    allowInsecureRequests: true,
    ...overrides,
  });
}

/** Expects a refusal with one reason of `code`, carrying no personal data, code or token. */
async function expectRefusal(promise: Promise<unknown>, code: string, callback?: URL) {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(isGatewayError(error)).toBe(true);
  if (!isGatewayError(error)) return;
  expect(error.code).toBe('unauthenticated');
  expect(error.reasons?.map((reason) => reason.code)).toEqual([code]);
  expect(error.cause).toBeUndefined();
  const text = JSON.stringify({ message: error.message, detail: error.detail, r: error.reasons });
  const codeValue = callback?.searchParams.get('code');
  for (const value of [...secrets, ...(codeValue ? [codeValue] : [])]) {
    expect(text).not.toContain(value);
  }
}

describe('eID sign-in against a real OpenID Connect provider', { timeout: 15_000 }, () => {
  it.each([
    ['erika', erika, 'high'],
    ['max', max, 'substantial'],
  ] as const)(
    'signs in %s with a client secret and maps the acr to an assurance level',
    async (_name, account, assurance) => {
      const eid = eidAt(provider);
      const { url, ...expected } = await eid.begin();
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('acr_values')).toBe(`${ACR_HIGH} ${ACR_SUBSTANTIAL}`);
      const callback = await provider.signIn(url, account.accountId);
      await expect(eid.complete(callback, expected)).resolves.toEqual({
        familyName: account.familyName,
        givenNames: account.givenName,
        birthDate: account.birthDate,
        acr: account.acr,
        assurance,
      });
    },
  );

  it('signs in with private_key_jwt, requesting no acr, taking the claims from the ID token alone', async () => {
    const requested: string[] = [];
    const recording: EidFetch = (url, init) => {
      requested.push(new URL(url).pathname);
      return fetch(url, init as RequestInit);
    };
    const eid = eidAt(other, { ...keyClient, fetch: recording, acrValues: [] });
    const { url, ...expected } = await eid.begin();
    const callback = await other.signIn(url, erika.accountId);
    await expect(eid.complete(callback, expected)).resolves.toMatchObject({
      familyName: erika.familyName,
      assurance: 'high',
    });
    expect(requested).toContain('/token');
    expect(requested).not.toContain('/me');
  });

  it('refuses an answer whose state belongs to another sign-in', async () => {
    const eid = eidAt(provider);
    const { url, ...expected } = await eid.begin();
    const callback = await provider.signIn(url, erika.accountId);
    await expectRefusal(
      eid.complete(callback, { ...expected, state: 'another-state' }),
      'state_mismatch',
      callback,
    );
  });

  it('refuses the same code a second time', async () => {
    const eid = eidAt(provider, keyClient);
    const { url, ...expected } = await eid.begin();
    const callback = await provider.signIn(url, max.accountId);
    await eid.complete(callback, expected);
    await expectRefusal(eid.complete(callback, expected), 'code_invalid', callback);
  });

  it('refuses an ID token issued for another nonce', async () => {
    const eid = eidAt(provider);
    const { url, ...expected } = await eid.begin();
    const callback = await provider.signIn(url, erika.accountId);
    await expectRefusal(
      eid.complete(callback, { ...expected, nonce: 'another-nonce' }),
      'nonce_mismatch',
      callback,
    );
  });

  it('refuses a code a different provider issued (mix-up)', async () => {
    const eid = eidAt(provider);
    const elsewhere = eidAt(other);
    const { url, ...expected } = await elsewhere.begin();
    const callback = await other.signIn(url, erika.accountId);
    await expectRefusal(eid.complete(callback, expected), 'issuer_mismatch', callback);
  });

  it('refuses an acr the gateway does not map to an assurance level', async () => {
    const eid = eidAt(provider);
    const { url, ...expected } = await eid.begin();
    const callback = await provider.signIn(url, unmapped.accountId);
    await expectRefusal(eid.complete(callback, expected), 'acr_unknown', callback);
  });

  it('refuses a sign-in the provider cannot name the person for', async () => {
    const eid = eidAt(provider);
    const { url, ...expected } = await eid.begin();
    const callback = await provider.signIn(url, nameless.accountId);
    await expectRefusal(eid.complete(callback, expected), 'claims_missing', callback);
  });

  it('refuses when the person cancels at the provider (access_denied)', async () => {
    const eid = eidAt(provider);
    const { url, ...expected } = await eid.begin();
    const callback = await provider.signIn(url, null);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    await expectRefusal(eid.complete(callback, expected), 'provider_error', callback);
  });

  it('refuses UserInfo about another person than the ID token', async () => {
    const tamper: EidFetch = async (url, init) => {
      const response = await fetch(url, init as RequestInit);
      if (!url.endsWith('/me')) return response;
      const body = { ...((await response.json()) as object), sub: 'someone-else' };
      return Response.json(body, { status: response.status });
    };
    const eid = eidAt(provider, { fetch: tamper });
    const { url, ...expected } = await eid.begin();
    const callback = await provider.signIn(url, erika.accountId);
    await expectRefusal(eid.complete(callback, expected), 'subject_mismatch', callback);
  });

  it('refuses when the provider cannot be reached, and discovers again once it can', async () => {
    let down = true;
    const flaky: EidFetch = (url, init) =>
      down ? Promise.reject(new TypeError('fetch failed')) : fetch(url, init as RequestInit);
    const eid = eidAt(provider, { fetch: flaky });
    await expectRefusal(eid.begin(), 'provider_unreachable');
    down = false;
    await expect(eid.begin()).resolves.toHaveProperty('state');
  });
});
