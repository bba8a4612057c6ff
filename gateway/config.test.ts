import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';

describe('readConfig', () => {
  it('gives the embedded defaults when nothing is set', () => {
    expect(readConfig({})).toEqual({
      ok: true,
      config: {
        port: 8787,
        host: '127.0.0.1',
        dataDir: './data',
        publicUrl: 'http://localhost:8787',
        logLevel: 'info',
        bodyLimit: 1048576,
        trustedProxies: [],
      },
    });
  });

  it('derives the public URL from the port, and treats empty strings as unset', () => {
    const result = readConfig({ PORT: '9000', LOG_LEVEL: '', GATEWAY_DATA_DIR: '' });
    expect(result).toMatchObject({
      ok: true,
      config: {
        port: 9000,
        publicUrl: 'http://localhost:9000',
        logLevel: 'info',
        dataDir: './data',
      },
    });
  });

  it('takes every variable as given and drops a trailing slash from the public URL', () => {
    const result = readConfig({
      PORT: '443',
      HOST: '0.0.0.0',
      GATEWAY_DATA_DIR: '/var/lib/gateway',
      GATEWAY_PUBLIC_URL: 'https://gateway.koeln.example/',
      LOG_LEVEL: 'warn',
      GATEWAY_BODY_LIMIT: '2048',
      GATEWAY_TRUSTED_PROXIES: '10.0.0.2, ::1',
    });
    expect(result).toEqual({
      ok: true,
      config: {
        port: 443,
        host: '0.0.0.0',
        dataDir: '/var/lib/gateway',
        publicUrl: 'https://gateway.koeln.example',
        logLevel: 'warn',
        bodyLimit: 2048,
        trustedProxies: ['10.0.0.2', '::1'],
      },
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['HOST', 'bad host!'],
    ['GATEWAY_PUBLIC_URL', 'gateway.example'],
    ['GATEWAY_TRUSTED_PROXIES', 'proxy.internal'],
    ['GATEWAY_PUBLIC_URL', 'ftp://gateway.example'],
    ['GATEWAY_PUBLIC_URL', 'https://gateway.example/?x=1'],
    ['GATEWAY_PUBLIC_URL', 'https://user:pw@gateway.example'],
    ['LOG_LEVEL', 'loud'],
    ['GATEWAY_BODY_LIMIT', '17'],
    ['GATEWAY_BODY_LIMIT', 'lots'],
  ])('refuses %s=%j with one line naming the variable but not its value', (name, value) => {
    const result = readConfig({ [name]: value });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(new RegExp(`^invalid configuration: ${name} `));
    expect(result.problems[0]).not.toContain(value);
    expect(result.problems[0]).not.toContain('\n');
  });

  it('names each bad variable once when several are wrong', () => {
    const result = readConfig({ PORT: 'x', LOG_LEVEL: 'y' });
    expect(result.ok ? [] : result.problems.map((line) => line.split(' ')[2])).toEqual([
      'PORT',
      'LOG_LEVEL',
    ]);
  });
});
