import { z } from 'zod';
import { parseMasterKey } from '../certs/index.ts';

/** Log levels pino understands, plus `silent`. */
export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'must be one of fatal, error, warn, info, debug, trace, silent',
});
export type LogLevel = z.infer<typeof LogLevel>;

const MiB = 1024 * 1024;

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
  GATEWAY_TRUSTED_PROXIES: z
    .string()
    .regex(
      /^\s*[0-9a-fA-F:.]{2,45}(\s*,\s*[0-9a-fA-F:.]{2,45})*\s*$/,
      'must be a comma-separated list of IP addresses',
    )
    .optional(),
  GATEWAY_BODY_LIMIT: z.coerce
    .number({ error: 'must be a size in bytes between 1024 and 67108864' })
    .int('must be a size in bytes between 1024 and 67108864')
    .min(1024, 'must be a size in bytes between 1024 and 67108864')
    .max(64 * MiB, 'must be a size in bytes between 1024 and 67108864')
    .default(MiB),
});

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** The gateway's base URL without a trailing slash; agencies sign their assertions for it. */
  readonly publicUrl: string;
  readonly logLevel: LogLevel;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit: number;
  /** Wraps every private key at rest; absent: the embedded default key file in the data dir. */
  readonly masterKey: string | undefined;
  /** A JSON policy set replacing the default one. */
  readonly policyFile: string | undefined;
  /** Reverse proxies whose X-Forwarded-For is believed (for the sign-in throttle). */
  readonly trustedProxies: readonly string[];
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
  return {
    ok: true,
    config: {
      port: env2.PORT,
      host: env2.HOST,
      dataDir: env2.GATEWAY_DATA_DIR,
      publicUrl,
      logLevel: env2.LOG_LEVEL,
      bodyLimit: env2.GATEWAY_BODY_LIMIT,
      masterKey: env2.GATEWAY_MASTER_KEY,
      policyFile: env2.GATEWAY_POLICY_FILE,
      trustedProxies: (env2.GATEWAY_TRUSTED_PROXIES ?? '')
        .split(',')
        .map((address) => address.trim())
        .filter((address) => address !== ''),
    },
  };
}
