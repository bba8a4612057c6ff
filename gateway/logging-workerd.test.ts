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

describe('logs on workerd (pino browser build)', () => {
  it('writes JSON lines with the Node fields: level label, ISO time, service, bindings, msg', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', writeLine: (line) => lines.push(line) });
    log.child({ requestId: 'r-1' }).warn({ status: 503 }, 'request');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
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
    const lines: string[] = [];
    createLogger({ level: 'info', writeLine: (line) => lines.push(line) }).info(canaries, 'test');
    expect(lines.join('\n')).not.toContain('canary');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      keep: 'visible',
      authorization: '[redacted]',
    });
  });

  it('writes nothing below the configured level', () => {
    const lines: string[] = [];
    createLogger({ level: 'warn', writeLine: (line) => lines.push(line) }).info('quiet');
    expect(lines).toEqual([]);
  });
});
