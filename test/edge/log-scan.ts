import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SentRequest, WorkerUnderTest } from './worker-target.ts';

/**
 * What must never reach a log line, by kind: what the persons and offices sent and were given,
 * as the Node canary scans name it (exchange, consent-flow, withdrawal-code, consent-server).
 */
export type CanaryKind =
  | 'subject identifier'
  | 'one-time code'
  | 'withdrawal code'
  | 'birth date'
  | 'bearer assertion'
  | 'message payload'
  | 'session cookie'
  | 'other cookie';

export interface Canary {
  readonly kind: CanaryKind;
  readonly value: string;
}

/** Shorter values would be found in lines by chance (an `'abc'` payload of a refusal test). */
const MIN_CANARY_LENGTH = 6;

const SYMBOL = '[0-9A-HJKMNP-TV-Z]';
/** A code as the gateway hands it out: 3 groups (one-time) or 5 (withdrawal) of Crockford base32. */
const CODE = new RegExp(
  `(?<![\\w-])${SYMBOL}{4}(?:-${SYMBOL}{4}){2}(?:(?:-${SYMBOL}{4}){2})?(?![\\w-])`,
  'g',
);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function jsonOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Every string in `value`, however deep. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isRecord(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}

const base64urlText = (segment: string): string =>
  new TextDecoder().decode(
    Uint8Array.from(atob(segment.replaceAll('-', '+').replaceAll('_', '/')), (c) =>
      c.charCodeAt(0),
    ),
  );

/** A signed message as sent: the JWS, its payload and signature, and the plaintext in it. */
function payloadCanaries(payload: string): string[] {
  const [, body = '', signature = ''] = payload.split('.');
  const plaintext = body === '' ? [] : stringsIn(jsonOf(base64urlText(body)));
  return [payload, body, signature, ...plaintext];
}

/** A birth date as sent, and as a log might spell it otherwise. */
function birthDateCanaries(date: string): string[] {
  const [year = '', month = '', day = ''] = date.split('-');
  return [date, `${year}${month}${day}`, `${day}.${month}.${year}`];
}

/** A code as handed out, and as the person might type it. */
function codeCanaries(code: string): string[] {
  const bare = code.replaceAll('-', '');
  return [code, bare, bare.toLowerCase()];
}

/** The values of a Cookie header's pairs (or of a Set-Cookie line's first), by kind. */
function cookieCanaries(pairs: string): Canary[] {
  return pairs
    .split(';')
    .filter((pair) => pair.includes('='))
    .map((pair) => {
      const [name = '', value = ''] = pair.trim().split('=');
      return { kind: name.includes('session') ? 'session cookie' : 'other cookie', value };
    });
}

/** The canaries of one request and its answer. */
function canariesIn(sent: SentRequest): Canary[] {
  const found: Canary[] = [];
  const add = (kind: CanaryKind, values: readonly string[]) => {
    for (const value of values) found.push({ kind, value });
  };
  const query = sent.url.searchParams;
  const form = sent.headers.get('Content-Type')?.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(sent.body)
    : undefined;
  const json = jsonOf(sent.body);

  const subject = query.get('subject.value');
  if (subject !== null) add('subject identifier', [subject]);
  if (isRecord(json) && isRecord(json['subject'])) {
    add('subject identifier', stringsIn(json['subject']['value']));
  }

  const factor = isRecord(json) ? json['secondFactor'] : form?.get('secondFactor');
  for (const date of stringsIn(isRecord(factor) ? factor['value'] : factor)) {
    add('birth date', birthDateCanaries(date));
  }
  // The sign-in page sends the birth date as day, month and year.
  const [day, month, year] = ['birthDay', 'birthMonth', 'birthYear'].map((f) => form?.get(f));
  if (day && month && year) {
    add(
      'birth date',
      birthDateCanaries(`${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`),
    );
  }

  if (isRecord(json) && typeof json['payload'] === 'string') {
    add('message payload', payloadCanaries(json['payload']));
  }

  const bearer = /^Bearer (.+)$/.exec(sent.headers.get('Authorization') ?? '')?.[1];
  if (bearer !== undefined) {
    const [, claims = '', signature = ''] = bearer.split('.');
    add('bearer assertion', [bearer, claims, signature]);
  }

  found.push(...cookieCanaries(sent.headers.get('Cookie') ?? ''));
  for (const line of sent.responseHeaders.getSetCookie()) {
    found.push(...cookieCanaries(line.split(';')[0] ?? ''));
  }

  const texts = [sent.url.search, sent.body ?? '', sent.responseBody ?? ''];
  for (const code of texts.flatMap((text) => text.match(CODE) ?? [])) {
    add(code.length > 14 ? 'withdrawal code' : 'one-time code', codeCanaries(code));
  }
  return found;
}

/**
 * What the requests in `sent` carried and were answered that no log line may show: subject
 * identifiers, one-time and withdrawal codes, birth dates, bearer assertions, message payloads
 * (the JWS and the plaintext in it) and cookies. Values shorter than {@link MIN_CANARY_LENGTH}
 * are left out.
 */
export function canariesOf(sent: readonly SentRequest[]): Canary[] {
  const unique = new Map<string, Canary>();
  for (const canary of sent.flatMap(canariesIn)) {
    if (canary.value.length >= MIN_CANARY_LENGTH) unique.set(canary.value, canary);
  }
  return [...unique.values()];
}

/** What the isolate wrote to the console: each call's method and arguments. */
export interface ConsoleCapture {
  readonly calls: { readonly method: ConsoleMethod; readonly args: unknown[] }[];
  restore(): void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
type ConsoleMethod = (typeof CONSOLE_METHODS)[number];

/**
 * Every console call of this isolate from now until `restore`, kept and not printed. The worker
 * runs in the tests' isolate (the pool's SELF), and its logger (pino's browser build) hands each
 * entry to the console method of its level, so this is the worker's whole log output, as Workers
 * Logs would receive it.
 */
export function captureConsole(): ConsoleCapture {
  const calls: ConsoleCapture['calls'] = [];
  const spies = CONSOLE_METHODS.map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      calls.push({ method, args });
    }),
  );
  return {
    calls,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * The scan over everything the worker logged while the file's earlier blocks ran: JSON lines with
 * Node's fields, one access line for every answer, and no canary of what was sent or answered.
 * Must be the file's last block, with `captured` started before the worker's first request.
 */
export function describeLogScan(worker: WorkerUnderTest, captured: ConsoleCapture): void {
  describe('logs on workerd', () => {
    afterAll(() => {
      captured.restore();
    });

    // One entry per call, a plain object that survives JSON (what Workers Logs stores).
    const entries = () =>
      captured.calls.map(({ args }) => {
        expect(args).toHaveLength(1);
        expect(typeof args[0]).toBe('object');
        return JSON.parse(JSON.stringify(args[0])) as Record<string, unknown>;
      });

    it('hands the console one entry per line with level, ISO time, service and msg, as on Node', () => {
      // Each entry goes to the console method of its level, and nothing else writes there.
      const methodOf: Record<string, string> = {
        trace: 'debug',
        debug: 'debug',
        info: 'info',
        warn: 'warn',
        error: 'error',
        fatal: 'error',
      };
      for (const { method, args } of captured.calls) {
        expect(method).toBe(methodOf[String((args[0] as { level?: unknown }).level)]);
      }
      const lines = entries();
      expect(lines.length).toBeGreaterThanOrEqual(worker.sent.length);
      for (const line of lines) {
        expect(LEVELS).toContain(line['level']);
        expect(new Date(String(line['time'])).toISOString()).toBe(line['time']);
        expect(line['service']).toBe('consent-gateway');
        expect(line['msg']).toEqual(expect.any(String));
      }
    });

    it('writes one access line for every answer: its request id, method, route pattern, status', () => {
      const access = new Map(
        entries()
          .filter((line) => line['msg'] === 'request')
          .map((line) => [line['requestId'], line]),
      );
      for (const sent of worker.sent) {
        const line = access.get(sent.responseHeaders.get('X-Request-Id'));
        const what = `${sent.method} ${sent.url.pathname}`;
        expect(line, what).toMatchObject({ method: sent.method, status: sent.status });
        // The pattern, never the path or query, which can carry identifiers.
        const route = String(line?.['route']);
        expect(route, what).not.toContain('?');
        expect(route, what).not.toMatch(/\d{12}/);
      }
    });

    it('shows no subject identifier, code, birth date, assertion, payload or cookie', () => {
      const canaries = [...canariesOf(worker.sent), ...worker.handedOver];
      // The scan looks for each kind: the suite sent and received all of them.
      expect(new Set(canaries.map((c) => c.kind))).toEqual(
        new Set<CanaryKind>([
          'subject identifier',
          'one-time code',
          'withdrawal code',
          'birth date',
          'bearer assertion',
          'message payload',
          'session cookie',
          'other cookie',
        ]),
      );
      // As Workers Logs stores each entry: serialised, strings as they are.
      const text = captured.calls
        .map(({ args }) =>
          args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '),
        )
        .join('\n');
      // What is searched is what the worker wrote: the access line of its first answer is there.
      expect(text).toContain(worker.sent[0]?.responseHeaders.get('X-Request-Id') ?? 'none');
      const leaks = canaries.filter((c) => text.includes(c.value));
      expect(leaks).toEqual([]);
    });
  });
}
