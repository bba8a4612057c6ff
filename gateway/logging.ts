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
  'birthDay',
  'birthMonth',
  'birthYear',
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

/** The part of a `Writable` that {@link droppingDestination} needs; `process.stdout` has it. */
export interface LogTarget {
  write(chunk: string): boolean;
  readonly writableLength: number;
}

export interface DroppingDestination extends DestinationStream {
  /** Lines dropped so far because the target's reader did not keep up. */
  dropped(): number;
}

/** How many bytes may wait for a slow log reader before lines are dropped; sized for bursts. */
export const DEFAULT_LOG_BUFFER_BYTES = 1024 * 1024;

/**
 * A log destination that never blocks and never grows without bound: it hands each line to
 * `target` (stdout by default, asynchronous on a pipe), and while more than `maxBufferedBytes`
 * are still waiting for the reader it drops lines and counts them. When the reader catches up, the
 * next line is preceded by a `log lines dropped` warning carrying the count so far.
 *
 * Why not pino's default: it writes synchronously and, on a full pipe, retries in a futex wait on
 * the main thread, so a stalled log reader stopped the gateway from answering requests and from
 * handling SIGTERM. A gateway that loses log lines under a stalled reader is the lesser harm.
 *
 * @example
 * const destination = droppingDestination();
 * const logger = createLogger({ level: 'info', destination });
 * // at shutdown: logger.info({ droppedLogLines: destination.dropped() }, 'stopped');
 */
export function droppingDestination(
  target: LogTarget = process.stdout,
  maxBufferedBytes: number = DEFAULT_LOG_BUFFER_BYTES,
): DroppingDestination {
  let dropped = 0;
  let reported = 0;
  return {
    write(line: string) {
      if (target.writableLength > maxBufferedBytes) {
        dropped++;
        return;
      }
      if (dropped > reported) {
        const since = dropped - reported;
        reported = dropped;
        target.write(
          `${JSON.stringify({
            level: 'warn',
            time: new Date().toISOString(),
            service: 'consent-gateway',
            dropped: since,
            droppedTotal: dropped,
            msg: 'log lines dropped',
          })}\n`,
        );
      }
      target.write(line);
    },
    dropped: () => dropped,
  };
}

export interface LoggerOptions {
  readonly level: LogLevel;
  /**
   * Where lines go: stdout through {@link droppingDestination} by default; tests pass a collector.
   * `console` on workerd, where bundlers pick pino's browser build, which has no streams: it hands
   * each entry, formatted and redacted, as one object to the console method of its level, and
   * Workers Logs records that object as JSON.
   */
  readonly destination?: DestinationStream | 'console';
}

/**
 * The gateway's root logger: JSON lines, ISO times, sensitive fields censored. Each request gets
 * a child of it carrying the request id. The same settings serve pino's browser build on workerd
 * (`browser`), which ignores `base`, so the service field is a binding: entries have the same
 * fields, levels and redaction on both runtimes.
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = (label: string) => ({ level: label });
  const settings = {
    level: options.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...redactPaths], censor: '[redacted]' },
    formatters: { level },
    browser: { asObject: true, formatters: { level } },
  };
  const root =
    options.destination === 'console'
      ? pino(settings)
      : pino(settings, options.destination ?? droppingDestination());
  return root.child({ service: 'consent-gateway' });
}

/**
 * A child of `parent` with `bindings`, made on its first use. Every request gets a child logger
 * (request id, then tenant), but few write to it (errors, rate limits, sign-ins): pino serialises
 * and redacts a child's bindings when it is made, which cost about 3 % of an exchange's time on
 * the event loop for loggers nobody used.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const made = () => (child ??= parent.child(bindings));
  return new Proxy(Object.create(null) as Logger, {
    get(_target, property) {
      const logger = made();
      const value: unknown = Reflect.get(logger, property, logger);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(logger)
        : value;
    },
    set(_target, property, value) {
      return Reflect.set(made(), property, value);
    },
  });
}
