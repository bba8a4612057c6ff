import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './logging.ts';

// Bundlers for workerd (wrangler's esbuild, browser conditions) resolve pino to its browser
// build; this file gets that build too, so the settings createLogger hands it are what is tested.
vi.mock('pino', async () => {
  const browser = await import('pino/browser.js');
  return { pino: browser.default, default: browser.default };
});

const canaries = {
  authorization: 'Bearer canary-a',
  subject: { scheme: 'azr', value: 'canary-b' },
  req: { headers: { cookie: 'canary-c', authorization: 'canary-d' } },
  exchange: { payload: 'canary-e', secondFactor: 'canary-f' },
  consent: { oneTimeCode: 'canary-g', withdrawalCode: 'canary-h' },
  keep: 'visible',
};

/** Every console call while `work` runs, by method, not printed. */
function consoleCalls(work: () => void): { method: string; args: unknown[] }[] {
  const calls: { method: string; args: unknown[] }[] = [];
  const spies = (['log', 'debug', 'info', 'warn', 'error'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      calls.push({ method, args });
    }),
  );
  try {
    work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return calls;
}

describe('logs on workerd (pino browser build)', () => {
  it('hands the console one entry with the Node fields: level label, ISO time, service, bindings, msg', () => {
    const calls = consoleCalls(() => {
      const log = createLogger({ level: 'info', destination: 'console' });
      log.child({ requestId: 'r-1' }).warn({ status: 503 }, 'request');
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe('warn');
    expect(calls[0]?.args).toHaveLength(1);
    const entry = calls[0]?.args[0] as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 'warn',
      service: 'consent-gateway',
      requestId: 'r-1',
      status: 503,
      msg: 'request',
    });
    expect(new Date(String(entry['time'])).toISOString()).toBe(entry['time']);
  });

  it('censors the same fields as on Node', () => {
    const calls = consoleCalls(() => {
      createLogger({ level: 'info', destination: 'console' }).info(canaries, 'test');
    });
    expect(JSON.stringify(calls)).not.toContain('canary');
    expect(calls[0]?.args[0]).toMatchObject({ keep: 'visible', authorization: '[redacted]' });
  });

  it('writes nothing below the configured level', () => {
    const calls = consoleCalls(() => {
      createLogger({ level: 'warn', destination: 'console' }).info('quiet');
    });
    expect(calls).toEqual([]);
  });
});
