import * as oidc from 'openid-client';
import { decodeBase64, GatewayError } from '../../core/index.ts';

/** How strongly the provider established who the person is (eIDAS levels). */
export type AssuranceLevel = 'low' | 'substantial' | 'high';

/** JWS algorithms accepted for `private_key_jwt` client authentication. */
export type EidKeyAlgorithm = 'ES256' | 'PS256' | 'RS256';

/** How the gateway authenticates itself at the provider's token endpoint. */
export type EidClientAuth =
  | { readonly method: 'client_secret_basic' | 'client_secret_post'; readonly secret: string }
  | {
      readonly method: 'private_key_jwt';
      readonly privateKey: CryptoKey;
      readonly kid?: string;
      readonly alg: EidKeyAlgorithm;
    };

/** A Web `fetch` as openid-client calls it (redirects not followed); injectable for tests. */
export type EidFetch = oidc.CustomFetch;

/** One deployment's OpenID Connect provider (in production a broker in front of BundID). */
export interface EidConfig {
  /** Issuer identifier; its discovery document is fetched on first use. */
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientAuth: EidClientAuth;
  /** Where the provider sends the person back, registered at the provider. */
  readonly redirectUri: URL;
  /** Requested scopes; must include `openid`. Default `openid profile`. */
  readonly scope?: string;
  /** Authentication context classes to request (`acr_values`), most preferred first. */
  readonly acrValues?: readonly string[];
  /** Every `acr` the gateway accepts and the assurance it stands for; any other is refused. */
  readonly assuranceByAcr: Readonly<Record<string, AssuranceLevel>>;
  /** Tests only: allows an `http:` issuer (a provider on 127.0.0.1). */
  readonly allowInsecureRequests?: boolean;
  /** Seconds each request to the provider may take. Default 10. */
  readonly timeoutSeconds?: number;
  readonly fetch?: EidFetch;
}

/** The person as the provider identified them. */
export interface EidIdentity {
  readonly familyName: string;
  readonly givenNames: string;
  /** `YYYY-MM-DD`. */
  readonly birthDate: string;
  readonly acr: string;
  readonly assurance: AssuranceLevel;
}

/** What the caller keeps (in a short-lived, signed or server-side session) between the two steps. */
export interface EidExpectation {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** An authorization request to send the browser to, with what its answer must match. */
export interface EidAuthorization extends EidExpectation {
  readonly url: URL;
}

/** Reason codes of every refusal `complete` throws; stable, callers switch on them. */
export type EidRefusalCode =
  | 'state_mismatch'
  | 'nonce_mismatch'
  | 'issuer_mismatch'
  | 'subject_mismatch'
  | 'code_invalid'
  | 'token_invalid'
  | 'provider_error'
  | 'claims_missing'
  | 'acr_unknown'
  | 'provider_unreachable';

/** Sign-in through OpenID Connect: authorization code flow with PKCE (S256), state and nonce. */
export interface EidProvider {
  /**
   * The origin the browser is sent to for the sign-in (the issuer's: a broker such as Keycloak
   * serves its authorization endpoint there). The portal's CSP names it in `form-action`, which
   * browsers apply to where a form's redirect leads too.
   */
  readonly signInOrigin: string;
  /** Starts a sign-in: the URL to redirect to and the values `complete` must be given back. */
  begin(): Promise<EidAuthorization>;
  /**
   * Finishes a sign-in from the URL the provider redirected back to (only its query is used; the
   * registered redirect URI is taken from the configuration). Throws
   * `GatewayError('unauthenticated')` whose single reason has an {@link EidRefusalCode}.
   */
  complete(callbackUrl: URL, expected: EidExpectation): Promise<EidIdentity>;
}

const assuranceLevels: readonly string[] = ['low', 'substantial', 'high'];

/**
 * Creates the OpenID Connect client for identity-verified sign-in. The configuration is checked
 * now; the provider's metadata is discovered on first use, cached, and discovered again after a
 * failure (so a provider that is down at start-up does not need a restart).
 *
 * @example
 * ```ts
 * const eid = createEidProvider({ issuer: new URL('https://id.example/realms/bund'), clientId: 'gw',
 *   clientAuth: { method: 'client_secret_basic', secret }, redirectUri: new URL('https://gw.example/portal/eid/callback'),
 *   assuranceByAcr: { 'urn:example:eid:high': 'high' } });
 * const { url, ...expected } = await eid.begin(); // keep `expected` in the session, redirect to url
 * const person = await eid.complete(new URL(request.url), expected);
 * ```
 */
export function createEidProvider(config: EidConfig): EidProvider {
  checkEidConfig(config);
  const scope = config.scope ?? 'openid profile';
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= discover(config).catch((error: unknown) => {
      discovered = undefined;
      throw refusalFor(error);
    });
    return discovered;
  };

  return {
    signInOrigin: config.issuer.origin,
    async begin() {
      const client = await configuration();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const parameters: Record<string, string> = {
        redirect_uri: config.redirectUri.href,
        scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      };
      if (config.acrValues !== undefined && config.acrValues.length > 0) {
        parameters['acr_values'] = config.acrValues.join(' ');
      }
      const url = oidc.buildAuthorizationUrl(client, parameters);
      // The portal's CSP lets forms lead to the issuer's origin only: another origin would be
      // blocked by the browser with nothing for the person to see, so it is refused here, loudly.
      if (url.origin !== config.issuer.origin) {
        throw refusal('provider_error', 'the authorization endpoint is not on the issuer’s origin');
      }
      return { url, state, nonce, codeVerifier };
    },

    async complete(callbackUrl, expected) {
      const client = await configuration();
      // Rebuilt on the registered redirect URI: behind a proxy the URL the app sees may differ,
      // and the token request must name exactly the registered one.
      const callback = new URL(config.redirectUri);
      callback.search = callbackUrl.search;
      checkCallback(callback.searchParams, expected, client.serverMetadata().issuer);
      try {
        const tokens = await oidc.authorizationCodeGrant(client, callback, {
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          pkceCodeVerifier: expected.codeVerifier,
          idTokenExpected: true,
        });
        const idToken = tokens.claims();
        if (idToken === undefined) throw refusal('token_invalid', 'no ID token was issued');
        const needsUserInfo = ['family_name', 'given_name', 'birthdate'].some(
          (claim) => typeof idToken[claim] !== 'string',
        );
        const userInfo = needsUserInfo
          ? await oidc.fetchUserInfo(client, tokens.access_token, idToken.sub)
          : {};
        // acr counts only from the signed ID token; UserInfo may fill in the person's claims.
        return identityFrom(
          { ...userInfo, ...idToken, acr: idToken['acr'] },
          config.assuranceByAcr,
        );
      } catch (error) {
        throw refusalFor(error);
      }
    },
  };
}

/**
 * Imports a PKCS#8 PEM private key for `private_key_jwt`, as a non-extractable signing key.
 * Throws a `TypeError` naming neither the key nor its contents when the PEM is not such a key.
 */
export async function importEidPrivateKey(pem: string, alg: EidKeyAlgorithm): Promise<CryptoKey> {
  const body = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(pem);
  if (body?.[1] === undefined) throw new TypeError('not a PKCS#8 PEM private key');
  const der = decodeBase64(body[1].replace(/\s+/g, ''));
  if (der === undefined) throw new TypeError('not a PKCS#8 PEM private key');
  try {
    return await crypto.subtle.importKey('pkcs8', der, importParameters[alg], false, ['sign']);
  } catch {
    throw new TypeError(`not a PKCS#8 private key for ${alg}`);
  }
}

const importParameters: Record<EidKeyAlgorithm, EcKeyImportParams | RsaHashedImportParams> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
};

function checkEidConfig(config: EidConfig): void {
  if (config.issuer.protocol !== 'https:' && config.allowInsecureRequests !== true) {
    throw new TypeError('eID sign-in needs an https issuer');
  }
  if (config.clientId === '') throw new TypeError('eID sign-in needs a client id');
  if (!(config.scope ?? 'openid').split(' ').includes('openid')) {
    throw new TypeError('eID sign-in needs the openid scope');
  }
  const levels = Object.values(config.assuranceByAcr);
  if (levels.length === 0 || levels.some((level) => !assuranceLevels.includes(level))) {
    throw new TypeError(
      'eID sign-in needs assuranceByAcr mapping each acr to low, substantial or high',
    );
  }
  const auth = config.clientAuth;
  if (auth.method !== 'private_key_jwt') {
    if (auth.secret === '') throw new TypeError('eID sign-in needs a client secret');
    return;
  }
  const expected = importParameters[auth.alg];
  const algorithm = auth.privateKey.algorithm as Partial<EcKeyAlgorithm & RsaHashedKeyAlgorithm>;
  const matches =
    auth.privateKey.type === 'private' &&
    algorithm.name === expected.name &&
    ('namedCurve' in expected
      ? algorithm.namedCurve === expected.namedCurve
      : algorithm.hash?.name === 'SHA-256');
  if (!matches)
    throw new TypeError(`eID sign-in: the private key is not a ${auth.alg} signing key`);
}

async function discover(config: EidConfig): Promise<oidc.Configuration> {
  const auth = config.clientAuth;
  const clientAuth =
    auth.method === 'private_key_jwt'
      ? oidc.PrivateKeyJwt(
          auth.kid === undefined ? auth.privateKey : { key: auth.privateKey, kid: auth.kid },
        )
      : auth.method === 'client_secret_post'
        ? oidc.ClientSecretPost(auth.secret)
        : oidc.ClientSecretBasic(auth.secret);
  const options: oidc.DiscoveryRequestOptions = { timeout: config.timeoutSeconds ?? 10 };
  if (config.allowInsecureRequests === true) {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only as a warning sign; checkEidConfig admits it for tests alone
    options.execute = [oidc.allowInsecureRequests];
  }
  if (config.fetch !== undefined) options[oidc.customFetch] = config.fetch;
  return oidc.discovery(config.issuer, config.clientId, undefined, clientAuth, options);
}

/**
 * Checks the authorization response before the library does, so that each refusal gets its own
 * stable code rather than one derived from the library's message text.
 */
function checkCallback(
  parameters: URLSearchParams,
  expected: EidExpectation,
  issuer: string,
): void {
  if (parameters.get('state') !== expected.state) {
    throw refusal('state_mismatch', 'the answer does not belong to this sign-in (state)');
  }
  const iss = parameters.get('iss');
  if (iss !== null && iss !== issuer) {
    throw refusal(
      'issuer_mismatch',
      'the answer comes from another provider than the configured one',
    );
  }
  const error = parameters.get('error');
  if (error !== null) {
    // The provider's error_description is free text and is not repeated; the code is a token.
    const code = /^[a-z_]{1,64}$/.test(error) ? error : 'unrecognised error';
    throw refusal('provider_error', `the provider ended the sign-in: ${code}`);
  }
  if (parameters.get('code') === null) {
    throw refusal('code_invalid', 'the answer carries no authorization code');
  }
}

function identityFrom(
  claims: Readonly<Record<string, unknown>>,
  assuranceByAcr: Readonly<Record<string, AssuranceLevel>>,
): EidIdentity {
  const text = (claim: string): string | undefined => {
    const value = claims[claim];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const [familyName, givenNames, birthDate, acr] = [
    text('family_name'),
    text('given_name'),
    text('birthdate'),
    text('acr'),
  ];
  if (familyName === undefined || givenNames === undefined || birthDate === undefined) {
    const missing = ['family_name', 'given_name', 'birthdate'].filter((claim) => !text(claim));
    throw refusal('claims_missing', `the provider did not state ${missing.join(', ')}`);
  }
  if (!isCalendarDate(birthDate)) {
    throw refusal('claims_missing', 'the provider did not state a full birthdate (YYYY-MM-DD)');
  }
  // hasOwn: an acr such as "constructor" must not find something on the prototype.
  const assurance =
    acr !== undefined && Object.hasOwn(assuranceByAcr, acr) ? assuranceByAcr[acr] : undefined;
  if (acr === undefined || assurance === undefined) {
    throw refusal('acr_unknown', 'the provider identified the person in a way not accepted here');
  }
  return { familyName, givenNames, birthDate, acr, assurance };
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function refusal(code: EidRefusalCode, message: string): GatewayError {
  return new GatewayError('unauthenticated', {
    detail: `eID sign-in refused: ${message}`,
    reasons: [{ code, message }],
  });
}

/**
 * Maps a library or network failure to a refusal. The original error is not attached as
 * `cause`: it holds ID token claims and codes, which must not reach a log.
 */
function refusalFor(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    return refusal('provider_error', 'the provider ended the sign-in');
  }
  if (error instanceof oidc.ResponseBodyError) {
    if (error.error === 'invalid_grant') {
      return refusal('code_invalid', 'the code is unknown, used already, expired or not ours');
    }
    const code = /^[a-z_]{1,64}$/.test(error.error) ? error.error : 'unrecognised error';
    return refusal('provider_error', `the provider refused the token request: ${code}`);
  }
  if (isNetworkFailure(error)) {
    return refusal('provider_unreachable', 'the provider could not be reached');
  }
  if (error instanceof oidc.ClientError) return refusalForClientError(error);
  return refusal('token_invalid', 'the provider answer could not be processed');
}

function refusalForClientError(error: oidc.ClientError): GatewayError {
  const field = comparedField(error);
  switch (error.code) {
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      if (field === 'nonce') {
        return refusal('nonce_mismatch', 'the ID token does not belong to this sign-in (nonce)');
      }
      if (field === 'iss') {
        return refusal('issuer_mismatch', 'the ID token comes from another issuer');
      }
      break;
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      if (field === 'issuer') {
        return refusal('issuer_mismatch', 'the provider metadata names another issuer');
      }
      if (field === 'sub') {
        return refusal('subject_mismatch', 'the UserInfo answer is about another person');
      }
      break;
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
    case 'OAUTH_RESPONSE_IS_NOT_JSON':
      return refusal('provider_unreachable', 'the provider answered with an unexpected response');
  }
  return refusal(
    'token_invalid',
    `the provider answer failed validation (${error.code ?? 'unknown'})`,
  );
}

/**
 * The claim or metadata attribute a failed comparison is about. openid-client puts it on the
 * error's cause, or on the cause's cause when it wraps an oauth4webapi error.
 */
function comparedField(error: oidc.ClientError): unknown {
  interface Compared {
    claim?: unknown;
    attribute?: unknown;
    cause?: Compared;
  }
  for (let cause = error.cause as Compared | undefined; cause !== undefined; cause = cause.cause) {
    if (typeof cause !== 'object') return undefined;
    if (cause.claim !== undefined) return cause.claim;
    if (cause.attribute !== undefined) return cause.attribute;
  }
  return undefined;
}

/** fetch rejects with a plain TypeError on network failure, and a DOMException on timeout. */
function isNetworkFailure(error: unknown): boolean {
  if (error instanceof DOMException) {
    return error.name === 'TimeoutError' || error.name === 'AbortError';
  }
  return error instanceof TypeError && !('code' in error);
}
