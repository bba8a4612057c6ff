import { z } from 'zod';
import {
  importEidPrivateKey,
  type AssuranceLevel,
  type EidConfig,
  type EidKeyAlgorithm,
} from './portal/eid.ts';

// The identity-verified sign-in's part of the configuration: its variables, their checks, and the
// settings the entries turn into an OpenID Connect client. readConfig (config.ts) reads them.

const loopbackHosts = ['127.0.0.1', '[::1]', 'localhost'];

/** An OIDC issuer: https, or http only on this machine (a provider a test starts). */
const OidcIssuer = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.includes(url.hostname));
  return (
    secure && url.search === '' && url.hash === '' && url.username === '' && url.password === ''
  );
}, 'must be an https URL without query, fragment or credentials (http only on 127.0.0.1, ::1 or localhost)');

const acrMapMessage = 'must be a JSON object mapping each acr to low, substantial or high';

/** `{"urn:…:high": "high", …}`: every acr the gateway accepts, and what it stands for. */
const AcrMap = z
  .string()
  .transform((value, context) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: acrMapMessage });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .record(
        z.string().min(1, acrMapMessage),
        z.enum(['low', 'substantial', 'high'], { error: acrMapMessage }),
        { error: acrMapMessage },
      )
      .refine((map) => Object.keys(map).length > 0, acrMapMessage),
  );

/** The GATEWAY_OIDC_* variables of the configuration (see `readConfig`). */
export const OIDC_ENV = {
  GATEWAY_OIDC_ISSUER: OidcIssuer.optional(),
  GATEWAY_OIDC_CLIENT_ID: z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be the client id registered at the provider')
    .optional(),
  GATEWAY_OIDC_CLIENT_SECRET: z.string().optional(),
  GATEWAY_OIDC_PRIVATE_KEY_FILE: z.string().trim().min(1, 'must be a file path').optional(),
  GATEWAY_OIDC_PRIVATE_KEY_ALG: z
    .enum(['ES256', 'PS256', 'RS256'], { error: 'must be one of ES256, PS256, RS256' })
    .optional(),
  GATEWAY_OIDC_PRIVATE_KEY_ID: z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be the key id (kid) registered at the provider')
    .optional(),
  GATEWAY_OIDC_ACR_MAP: AcrMap.optional(),
  GATEWAY_OIDC_ACR_VALUES: z
    .string()
    .regex(
      /^\s*[\x21-\x2b\x2d-\x7e]+(\s*,\s*[\x21-\x2b\x2d-\x7e]+)*\s*$/,
      'must be a comma-separated list of acr values',
    )
    .optional(),
  GATEWAY_OIDC_SCOPE: z
    .string()
    .refine(
      (value) =>
        /^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(value) && value.split(' ').includes('openid'),
      'must be space-separated scopes including openid',
    )
    .optional(),
};

type OidcEnv = z.infer<z.ZodObject<typeof OIDC_ENV>>;

/**
 * The OpenID Connect provider for identity-verified sign-in, as configured. It is what
 * `createEidProvider` needs, except that the private key is still a file: {@link eidConfigFrom}
 * reads and imports it.
 */
export interface EidSettings {
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientAuth:
    | { readonly method: 'client_secret_basic'; readonly secret: string }
    | {
        readonly method: 'private_key_jwt';
        readonly privateKeyFile: string;
        readonly alg: EidKeyAlgorithm;
        /** The `kid` the provider knows the key by; absent: the provider tries its keys. */
        readonly kid?: string;
      };
  /** `${publicUrl}/portal/eid/callback`, to be registered at the provider. */
  readonly redirectUri: URL;
  readonly scope: string;
  /** Requested acr values, most preferred first; empty: none requested. */
  readonly acrValues: readonly string[];
  readonly assuranceByAcr: Readonly<Record<string, AssuranceLevel>>;
  /** True only for an http issuer on this machine. */
  readonly allowInsecureRequests: boolean;
}

const oidcVariables = [
  'GATEWAY_OIDC_ISSUER',
  'GATEWAY_OIDC_CLIENT_ID',
  'GATEWAY_OIDC_CLIENT_SECRET',
  'GATEWAY_OIDC_PRIVATE_KEY_FILE',
  'GATEWAY_OIDC_PRIVATE_KEY_ALG',
  'GATEWAY_OIDC_PRIVATE_KEY_ID',
  'GATEWAY_OIDC_ACR_MAP',
  'GATEWAY_OIDC_ACR_VALUES',
  'GATEWAY_OIDC_SCOPE',
] as const;

/**
 * The eID settings when the issuer is set, undefined when no GATEWAY_OIDC_* variable is, or the
 * one line saying what is missing: a half-configured sign-in must stop start-up, not the first
 * person trying it.
 */
export function eidSettingsFrom(env: OidcEnv, publicUrl: string): EidSettings | string | undefined {
  const problem = (name: string, message: string) => `invalid configuration: ${name} ${message}`;
  const given = oidcVariables.filter((name) => env[name] !== undefined);
  if (env.GATEWAY_OIDC_ISSUER === undefined) {
    const [first] = given;
    return first === undefined
      ? undefined
      : problem('GATEWAY_OIDC_ISSUER', `must be set when ${first} is`);
  }
  const { GATEWAY_OIDC_CLIENT_ID: clientId, GATEWAY_OIDC_ACR_MAP: assuranceByAcr } = env;
  const secret = env.GATEWAY_OIDC_CLIENT_SECRET;
  const privateKeyFile = env.GATEWAY_OIDC_PRIVATE_KEY_FILE;
  if (clientId === undefined) {
    return problem('GATEWAY_OIDC_CLIENT_ID', 'must be set when GATEWAY_OIDC_ISSUER is');
  }
  if ((secret === undefined) === (privateKeyFile === undefined)) {
    return problem(
      'GATEWAY_OIDC_CLIENT_SECRET',
      'or GATEWAY_OIDC_PRIVATE_KEY_FILE must be set (exactly one) when GATEWAY_OIDC_ISSUER is',
    );
  }
  for (const name of ['GATEWAY_OIDC_PRIVATE_KEY_ALG', 'GATEWAY_OIDC_PRIVATE_KEY_ID'] as const) {
    if (env[name] !== undefined && privateKeyFile === undefined) {
      return problem(name, 'applies only with GATEWAY_OIDC_PRIVATE_KEY_FILE');
    }
  }
  if (assuranceByAcr === undefined) {
    return problem('GATEWAY_OIDC_ACR_MAP', 'must be set when GATEWAY_OIDC_ISSUER is');
  }
  const acrValues = (env.GATEWAY_OIDC_ACR_VALUES ?? '')
    .split(',')
    .map((acr) => acr.trim())
    .filter((acr) => acr !== '');
  if (acrValues.some((acr) => !Object.hasOwn(assuranceByAcr, acr))) {
    return problem(
      'GATEWAY_OIDC_ACR_VALUES',
      'must name only acr values GATEWAY_OIDC_ACR_MAP lists',
    );
  }
  const issuer = new URL(env.GATEWAY_OIDC_ISSUER);
  return {
    issuer,
    clientId,
    clientAuth:
      privateKeyFile === undefined
        ? { method: 'client_secret_basic', secret: secret ?? '' }
        : {
            method: 'private_key_jwt',
            privateKeyFile,
            alg: env.GATEWAY_OIDC_PRIVATE_KEY_ALG ?? 'ES256',
            ...(env.GATEWAY_OIDC_PRIVATE_KEY_ID === undefined
              ? {}
              : { kid: env.GATEWAY_OIDC_PRIVATE_KEY_ID }),
          },
    redirectUri: new URL(`${publicUrl}/portal/eid/callback`),
    scope: env.GATEWAY_OIDC_SCOPE ?? 'openid profile',
    acrValues,
    assuranceByAcr,
    allowInsecureRequests: issuer.protocol === 'http:',
  };
}

/**
 * Turns the eID settings into what `createEidProvider` takes, reading and importing the private
 * key file when there is one. The Node entry passes a file reader; a Worker entry, which has no
 * files, configures a client secret. Throws an `Error` whose message is one line naming the
 * variable, never the key.
 *
 * @example
 * ```ts
 * const eid = config.eid && createEidProvider(await eidConfigFrom(config.eid, (path) => readFile(path, 'utf8')));
 * ```
 */
export async function eidConfigFrom(
  settings: EidSettings,
  readTextFile: (path: string) => Promise<string>,
): Promise<EidConfig> {
  const { clientAuth, ...rest } = settings;
  if (clientAuth.method !== 'private_key_jwt') return { ...rest, clientAuth };
  let pem: string;
  try {
    pem = await readTextFile(clientAuth.privateKeyFile);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw new Error(
      `invalid configuration: GATEWAY_OIDC_PRIVATE_KEY_FILE cannot be read${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  try {
    const privateKey = await importEidPrivateKey(pem, clientAuth.alg);
    const { alg, kid } = clientAuth;
    return {
      ...rest,
      clientAuth: {
        method: 'private_key_jwt',
        privateKey,
        alg,
        ...(kid === undefined ? {} : { kid }),
      },
    };
  } catch {
    throw new Error(
      `invalid configuration: GATEWAY_OIDC_PRIVATE_KEY_FILE must hold a PKCS#8 PEM private key for ${clientAuth.alg} (GATEWAY_OIDC_PRIVATE_KEY_ALG)`,
    );
  }
}
