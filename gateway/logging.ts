import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger } from 'pino';

/**
 * Fields that must never reach a log line. The request log is built from an allow-list (method,
 * route pattern, status, duration, request id), so these are the second line of defence for
 * anything a later module logs by mistake: headers with credentials, message payloads, subject
 * identifiers, one-time codes, second factors, tokens and keys, at the top level and one level down.
 */
const sensitiveKeys = [
  'authorization',
  'cookie',
  '"set-cookie"',
  'payload',
  'body',
  'ciphertext',
  'plaintext',
  'subject',
  'identifier',
  'subjectId',
  'oneTimeCode',
  'consentCode',
  'secondFactor',
  'birthDate',
  'token',
  'assertion',
  'jws',
  'senderJws',
  'privateKey',
  'secret',
  'password',
  'personName',
  // The person's credentials and the identity an office or the eID provider gives.
  'withdrawalCode',
  'identity',
  'familyName',
  'givenNames',
  'family_name',
  'given_name',
  'birthdate',
  'idToken',
  'id_token',
  'access_token',
  'codeVerifier',
  'nonce',
  'state',
];

export const redactPaths: readonly string[] = sensitiveKeys.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
]);

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go; stdout by default. Tests pass a collector. */
  readonly destination?: DestinationStream;
}

/**
 * The gateway's root logger: JSON lines, ISO times, sensitive fields censored. Each request gets
 * a child of it carrying the request id.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { service: 'consent-gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...redactPaths], censor: '[redacted]' },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
