import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

/** The two authentication context classes the test provider offers. */
export const ACR_SUBSTANTIAL = 'urn:example:eid:substantial';
export const ACR_HIGH = 'urn:example:eid:high';

/** A person the provider knows; a claim left out is one the provider cannot state. */
export interface TestAccount {
  readonly accountId: string;
  readonly familyName?: string;
  readonly givenName?: string;
  readonly birthDate?: string;
  /** The acr the ID token carries after this account signs in. */
  readonly acr: string;
}

/** A registered client: a shared secret, or public keys for `private_key_jwt`. */
export type TestClient =
  | { readonly clientId: string; readonly secret: string }
  | { readonly clientId: string; readonly jwks: { keys: JWK[] } };

export interface TestOidcProviderOptions {
  readonly redirectUri: URL;
  readonly accounts: readonly TestAccount[];
  readonly clients: readonly TestClient[];
  /** Put the profile claims into the ID token too; by default only UserInfo returns them. */
  readonly claimsInIdToken?: boolean;
}

export interface TestOidcProvider {
  readonly issuer: URL;
  /**
   * Plays the browser from an authorization URL to the redirect back to the client, as
   * `accountId` (or cancelling, for `null`), and returns that callback URL without opening it.
   */
  signIn(authorizationUrl: URL, accountId: string | null): Promise<URL>;
  stop(): Promise<void>;
}

/**
 * Starts a real oidc-provider on 127.0.0.1 on a free port, with signing and cookie keys made now.
 * Its sign-in page is a plain form: a browser fills `#login` with an account id and clicks
 * "Sign in" (or "Cancel" for access_denied); consent is given with the sign-in.
 */
export async function startTestOidcProvider(
  options: TestOidcProviderOptions,
): Promise<TestOidcProvider> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) =>
    res.writeHead(503).end();
  const server = createServer((req, res) => {
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
  try {
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, await providerConfiguration(options));
    const callback = provider.callback();
    handle = (req, res) => {
      const url = new URL(req.url ?? '/', issuer);
      const route = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(url.pathname);
      if (route === null) {
        void callback(req, res);
        return;
      }
      interaction(provider, options.accounts, req, res, route[2]).catch(() => {
        if (!res.headersSent) res.writeHead(500).end('interaction failed');
      });
    };
    return {
      issuer: new URL(issuer),
      signIn: (authorizationUrl, accountId) =>
        followSignIn(authorizationUrl, accountId, options.redirectUri),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function providerConfiguration(options: TestOidcProviderOptions): Promise<Configuration> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' };
  const accounts = new Map(options.accounts.map((account) => [account.accountId, account]));
  return {
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      redirect_uris: [options.redirectUri.href],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      ...('secret' in client
        ? { client_secret: client.secret, token_endpoint_auth_method: 'client_secret_basic' }
        : { jwks: client.jwks, token_endpoint_auth_method: 'private_key_jwt' }),
    })),
    acrValues: [...new Set([ACR_SUBSTANTIAL, ACR_HIGH, ...options.accounts.map((a) => a.acr)])],
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      // acr in every ID token, as a broker in front of BundID does; oidc-provider would otherwise
      // include it only when the client asked for acr_values.
      openid: ['sub', 'acr'],
      profile: ['family_name', 'given_name', 'birthdate'],
    },
    conformIdTokenClaims: options.claimsInIdToken !== true,
    pkce: { required: () => true },
    // Short lifetimes, set explicitly so the provider does not warn about its defaults.
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 300,
      Interaction: 600,
      Session: 600,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (account === undefined) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          family_name: account.familyName,
          given_name: account.givenName,
          birthdate: account.birthDate,
        }),
      };
    },
  };
}

/** The sign-in page, and the form posts that finish the interaction with login and consent. */
async function interaction(
  provider: Provider,
  accounts: readonly TestAccount[],
  req: IncomingMessage,
  res: ServerResponse,
  action: string | undefined,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (action === undefined) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(signInPage(details.uid));
    return;
  }
  if (action === '/abort') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the person cancelled' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const form = new URLSearchParams(await bodyOf(req));
  const account = accounts.find((candidate) => candidate.accountId === form.get('login'));
  if (account === undefined || typeof details.params['client_id'] !== 'string') {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown account');
    return;
  }
  const grant = new provider.Grant({
    accountId: account.accountId,
    clientId: details.params['client_id'],
  });
  grant.addOIDCScope(String(details.params['scope']));
  const login = { accountId: account.accountId, acr: account.acr };
  await provider.interactionFinished(
    req,
    res,
    { login, consent: { grantId: await grant.save() } },
    { mergeWithLastSubmission: false },
  );
}

function signInPage(uid: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test eID sign-in</title></head>
<body><main><h1>Test eID sign-in</h1>
<form method="post" action="/interaction/${uid}/login">
<label for="login">Account</label> <input id="login" name="login" autocomplete="off" required autofocus>
<button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>
</main></body></html>`;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Follows redirects as a browser would, carrying cookies, until the redirect to the client. */
async function followSignIn(
  authorizationUrl: URL,
  accountId: string | null,
  redirectUri: URL,
): Promise<URL> {
  const cookies = new Map<string, string>();
  let next: URL = authorizationUrl;
  let post: string | undefined;
  for (let hop = 0; hop < 10; hop += 1) {
    if (next.origin + next.pathname === redirectUri.origin + redirectUri.pathname) return next;
    const response = await fetch(next, {
      method: post === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(post === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(post === undefined ? {} : { body: post }),
      signal: AbortSignal.timeout(5000),
    });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    const location = response.headers.get('location');
    if (location !== null) {
      await response.body?.cancel();
      next = new URL(location, next);
      post = undefined;
    } else if (response.status === 200 && next.pathname.startsWith('/interaction/')) {
      await response.text();
      next = new URL(`${next.pathname}/${accountId === null ? 'abort' : 'login'}`, next);
      post = accountId === null ? '' : new URLSearchParams({ login: accountId }).toString();
    } else {
      throw new Error(`test provider answered ${response.status} at ${next.pathname}`);
    }
  }
  throw new Error('test provider sign-in did not return to the client');
}
