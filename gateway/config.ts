import { z } from 'zod';
import { parseMasterKey } from '../certs/index.ts';
import { parseRule } from '../monitoring/index.ts';
import { DEFAULT_MAX_INFLIGHT, MAX_INFLIGHT_LIMIT } from './middleware/load-shedding.ts';
import { eidSettingsFrom, OIDC_ENV, type EidSettings } from './config-eid.ts';
import {
  parseRateLimit,
  RATE_LIMIT_SYNTAX,
  rateLimitsOf,
  type RateLimits,
} from './rate-limit/index.ts';
import { TenantId } from '../tenants/index.ts';

/** Log levels pino understands, plus `silent`. */
export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'must be one of fatal, error, warn, info, debug, trace, silent',
});
export type LogLevel = z.infer<typeof LogLevel>;

const MiB = 1024 * 1024;

/** `50/s,burst=100`: a per-principal token bucket (see `parseRateLimit`). */
const RateLimitVariable = z.string().transform((value, context) => {
  const limit = parseRateLimit(value);
  if (limit === undefined) {
    context.addIssue({ code: 'custom', message: RATE_LIMIT_SYNTAX });
    return z.NEVER;
  }
  return limit;
});

const maxInflightMessage = `must be a whole number between 1 and ${MAX_INFLIGHT_LIMIT}`;

/**
 * The environment the Node entry reads, once, at start-up. Each variable says what it must be in
 * its message, because that message is all an operator sees when start-up stops.
 */
const EnvSchema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a whole number between 1 and 65535' })
    .int('must be a whole number between 1 and 65535')
    .min(1, 'must be a whole number between 1 and 65535')
    .max(65535, 'must be a whole number between 1 and 65535')
    .default(8787),
  HOST: z
    .string()
    .regex(/^[0-9a-zA-Z.:-]{1,253}$/, 'must be a host name or IP address to listen on')
    .default('127.0.0.1'),
  GATEWAY_DATA_DIR: z.string().trim().min(1, 'must be a directory path').default('./data'),
  GATEWAY_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
    .optional(),
  GATEWAY_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
    .refine((value) => {
      // zod runs refinements even after the URL check failed; that failure is reported already.
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    }, 'must not carry a query, fragment or credentials')
    .optional(),
  LOG_LEVEL: LogLevel.default('info'),
  GATEWAY_POLICY_FILE: z.string().trim().min(1).optional(),
  GATEWAY_MONITORING_RULE: z
    .string()
    .trim()
    .refine((value) => {
      try {
        parseRule(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be suppress:<2–10> (withhold smaller counts) or round:<2–100> (round to multiples)')
    .default('suppress:3'),
  GATEWAY_MASTER_KEY: z
    .string()
    .refine((value) => {
      try {
        parseMasterKey(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be 32 bytes, written as 64 hex characters or base64')
    .optional(),
  GATEWAY_MASTER_KEY_FILE: z.string().trim().min(1, 'must be a file path').optional(),
  GATEWAY_TRUSTED_PROXIES: z
    .string()
    .regex(
      /^\s*[0-9a-fA-F:.]{2,45}(\s*,\s*[0-9a-fA-F:.]{2,45})*\s*$/,
      'must be a comma-separated list of IP addresses',
    )
    .optional(),
  ...OIDC_ENV,
  GATEWAY_BODY_LIMIT: z.coerce
    .number({ error: 'must be a size in bytes between 1024 and 67108864' })
    .int('must be a size in bytes between 1024 and 67108864')
    .min(1024, 'must be a size in bytes between 1024 and 67108864')
    .max(64 * MiB, 'must be a size in bytes between 1024 and 67108864')
    .default(MiB),
  GATEWAY_RATE_LIMIT: RateLimitVariable.optional(),
  GATEWAY_RATE_LIMIT_SEND: RateLimitVariable.optional(),
  GATEWAY_RATE_LIMIT_MAILBOX: RateLimitVariable.optional(),
  GATEWAY_RATE_LIMIT_CONSENT_REQUESTS: RateLimitVariable.optional(),
  GATEWAY_RATE_LIMIT_AUDIT: RateLimitVariable.optional(),
  GATEWAY_METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{32,}$/, 'must be at least 32 printable characters without spaces')
    .optional(),
  GATEWAY_ENV: z
    .enum(['production', 'development'], {
      error:
        "must be production (an official site: the portal tenant's profile must be complete) or development",
    })
    .optional(),
  GATEWAY_PORTAL_TENANT: TenantId.optional(),
  GATEWAY_MAX_INFLIGHT: z.coerce
    .number({ error: maxInflightMessage })
    .int(maxInflightMessage)
    .min(1, maxInflightMessage)
    .max(MAX_INFLIGHT_LIMIT, maxInflightMessage)
    .default(DEFAULT_MAX_INFLIGHT),
});

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** PostgreSQL shared by several instances; absent: the embedded SQLite file in the data dir. */
  readonly databaseUrl: string | undefined;
  /** The gateway's base URL without a trailing slash; agencies sign their assertions for it. */
  readonly publicUrl: string;
  readonly logLevel: LogLevel;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit: number;
  /** Requests per principal and route class: GATEWAY_RATE_LIMIT, then GATEWAY_RATE_LIMIT_<CLASS>. */
  readonly rateLimits: RateLimits;
  /** Requests worked on at once; past it, 503 `overloaded` (GATEWAY_MAX_INFLIGHT, default 64). */
  readonly maxInflight: number;
  /** Wraps every private key at rest; absent: the embedded default key file in the data dir. */
  readonly masterKey: string | undefined;
  /**
   * A file holding the master key instead (GATEWAY_MASTER_KEY_FILE, e.g. a systemd credential);
   * {@link readMasterKeyFile} reads it.
   */
  readonly masterKeyFile?: string;
  /** A JSON policy set replacing the default one. */
  readonly policyFile: string | undefined;
  /** How monitoring protects small counts: `suppress:3` (default) or `round:5`. */
  readonly monitoringRule: string;
  /** Reverse proxies whose X-Forwarded-For is believed (for the sign-in throttle). */
  readonly trustedProxies: readonly string[];
  /** Identity-verified sign-in through OpenID Connect; absent: switched off. */
  readonly eid?: EidSettings;
  /** The bearer token `GET /metrics` asks for; absent: no metrics (GATEWAY_METRICS_TOKEN). */
  readonly metricsToken?: string;
  /**
   * GATEWAY_ENV=production: the portal is an official site, so the gateway starts only when the
   * portal tenant's profile is complete, and an empty data dir gets no demo tenant. Absent:
   * development (the default).
   */
  readonly production?: true;
  /** The tenant whose site the portal is (GATEWAY_PORTAL_TENANT); absent: the only or oldest. */
  readonly portalTenant?: string;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: GatewayConfig }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Reads and validates the configuration from environment variables. Empty strings count as unset,
 * as `PORT= npm start` means "no port given" to most people.
 *
 * @example
 * ```ts
 * const result = readConfig(process.env);
 * if (!result.ok) { for (const line of result.problems) process.stderr.write(`${line}\n`); process.exit(1); }
 * ```
 */
export function readConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const present = Object.fromEntries(
    Object.keys(EnvSchema.shape)
      .map((key) => [key, env[key]])
      .filter(([, value]) => value !== undefined && value !== ''),
  ) as Record<string, string>;
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    // One line per variable, naming it and what it must be; the value itself is never echoed,
    // since later variables carry secrets.
    const lines = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      if (!lines.has(name)) lines.set(name, `invalid configuration: ${name} ${issue.message}`);
    }
    return { ok: false, problems: [...lines.values()] };
  }
  const env2 = parsed.data;
  const publicUrl = (env2.GATEWAY_PUBLIC_URL ?? `http://localhost:${env2.PORT}`).replace(
    /\/+$/,
    '',
  );
  const eid = eidSettingsFrom(env2, publicUrl);
  if (typeof eid === 'string') return { ok: false, problems: [eid] };
  if (env2.GATEWAY_MASTER_KEY !== undefined && env2.GATEWAY_MASTER_KEY_FILE !== undefined)
    return {
      ok: false,
      problems: [
        'invalid configuration: GATEWAY_MASTER_KEY_FILE must not be set together with GATEWAY_MASTER_KEY',
      ],
    };
  // Instances on PostgreSQL share the wrapped keys, so they must share the key that opens them.
  if (
    env2.GATEWAY_DATABASE_URL !== undefined &&
    env2.GATEWAY_MASTER_KEY === undefined &&
    env2.GATEWAY_MASTER_KEY_FILE === undefined
  )
    return {
      ok: false,
      problems: [
        'GATEWAY_DATABASE_URL needs GATEWAY_MASTER_KEY (or GATEWAY_MASTER_KEY_FILE): every instance must hold the same key',
      ],
    };
  return {
    ok: true,
    config: {
      port: env2.PORT,
      host: env2.HOST,
      dataDir: env2.GATEWAY_DATA_DIR,
      databaseUrl: env2.GATEWAY_DATABASE_URL,
      publicUrl,
      logLevel: env2.LOG_LEVEL,
      bodyLimit: env2.GATEWAY_BODY_LIMIT,
      rateLimits: rateLimitsOf(
        {
          ...(env2.GATEWAY_RATE_LIMIT_SEND && { send: env2.GATEWAY_RATE_LIMIT_SEND }),
          ...(env2.GATEWAY_RATE_LIMIT_MAILBOX && { mailbox: env2.GATEWAY_RATE_LIMIT_MAILBOX }),
          ...(env2.GATEWAY_RATE_LIMIT_CONSENT_REQUESTS && {
            'consent-requests': env2.GATEWAY_RATE_LIMIT_CONSENT_REQUESTS,
          }),
          ...(env2.GATEWAY_RATE_LIMIT_AUDIT && { audit: env2.GATEWAY_RATE_LIMIT_AUDIT }),
        },
        env2.GATEWAY_RATE_LIMIT,
      ),
      maxInflight: env2.GATEWAY_MAX_INFLIGHT,
      masterKey: env2.GATEWAY_MASTER_KEY,
      ...(env2.GATEWAY_MASTER_KEY_FILE === undefined
        ? {}
        : { masterKeyFile: env2.GATEWAY_MASTER_KEY_FILE }),
      policyFile: env2.GATEWAY_POLICY_FILE,
      monitoringRule: env2.GATEWAY_MONITORING_RULE,
      trustedProxies: (env2.GATEWAY_TRUSTED_PROXIES ?? '')
        .split(',')
        .map((address) => address.trim())
        .filter((address) => address !== ''),
      ...(eid === undefined ? {} : { eid }),
      ...(env2.GATEWAY_METRICS_TOKEN === undefined
        ? {}
        : { metricsToken: env2.GATEWAY_METRICS_TOKEN }),
      ...(env2.GATEWAY_ENV === 'production' ? { production: true as const } : {}),
      ...(env2.GATEWAY_PORTAL_TENANT === undefined
        ? {}
        : { portalTenant: env2.GATEWAY_PORTAL_TENANT }),
    },
  };
}

/**
 * Reads the master key from GATEWAY_MASTER_KEY_FILE (32 bytes as 64 hex characters or base64,
 * surrounding white space ignored), e.g. the credential systemd's `LoadCredential=` provides in
 * `$CREDENTIALS_DIRECTORY`. Returns the key as GATEWAY_MASTER_KEY would hold it. Throws an `Error`
 * whose message is one line naming the variable, never the file's content.
 *
 * @example
 * ```ts
 * const key = config.masterKeyFile && (await readMasterKeyFile(config.masterKeyFile, (path) => readFile(path, 'utf8')));
 * ```
 */
export async function readMasterKeyFile(
  path: string,
  readTextFile: (path: string) => Promise<string>,
): Promise<string> {
  let text: string;
  try {
    text = (await readTextFile(path)).trim();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    throw new Error(
      `invalid configuration: GATEWAY_MASTER_KEY_FILE cannot be read${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  try {
    parseMasterKey(text);
  } catch {
    throw new Error(
      'invalid configuration: GATEWAY_MASTER_KEY_FILE must hold 32 bytes, written as 64 hex characters or base64',
    );
  }
  return text;
}

export { eidConfigFrom } from './config-eid.ts';
export type { EidSettings } from './config-eid.ts';
