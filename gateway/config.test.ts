import { describe, expect, it } from 'vitest';
import { eidConfigFrom, readConfig, readMasterKeyFile, type EidSettings } from './config.ts';

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
        rateLimits: {
          send: { rate: 50, burst: 100 },
          mailbox: { rate: 50, burst: 100 },
          'consent-requests': { rate: 50, burst: 100 },
          audit: { rate: 50, burst: 100 },
        },
        maxInflight: 64,
        monitoringRule: 'suppress:3',
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
      GATEWAY_RATE_LIMIT: '10/s,burst=20',
      GATEWAY_MAX_INFLIGHT: '200',
      GATEWAY_MONITORING_RULE: 'round:5',
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
        rateLimits: {
          send: { rate: 10, burst: 20 },
          mailbox: { rate: 10, burst: 20 },
          'consent-requests': { rate: 10, burst: 20 },
          audit: { rate: 10, burst: 20 },
        },
        maxInflight: 200,
        monitoringRule: 'round:5',
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
    ['GATEWAY_RATE_LIMIT', '50/s,burst=secret'],
    ['GATEWAY_BODY_LIMIT', 'lots'],
    ['GATEWAY_MONITORING_RULE', 'suppress:1'],
    ['GATEWAY_MONITORING_RULE', 'hide-small'],
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

describe('readConfig: rate limits (GATEWAY_RATE_LIMIT*)', () => {
  it('sets every route class with GATEWAY_RATE_LIMIT and one class with its own variable', () => {
    const result = readConfig({
      GATEWAY_RATE_LIMIT: '20/s,burst=40',
      GATEWAY_RATE_LIMIT_SEND: '600/min',
      GATEWAY_RATE_LIMIT_AUDIT: '3600/h,burst=5',
    });
    expect(result).toMatchObject({
      ok: true,
      config: {
        rateLimits: {
          send: { rate: 10, burst: 600 },
          mailbox: { rate: 20, burst: 40 },
          'consent-requests': { rate: 20, burst: 40 },
          audit: { rate: 1, burst: 5 },
        },
      },
    });
  });

  it('overrides one class over the default 50/s with bursts of 100', () => {
    const result = readConfig({
      GATEWAY_RATE_LIMIT_MAILBOX: '5/s',
      GATEWAY_RATE_LIMIT_CONSENT_REQUESTS: '1/s,burst=2',
    });
    expect(result).toMatchObject({
      ok: true,
      config: {
        rateLimits: {
          send: { rate: 50, burst: 100 },
          mailbox: { rate: 5, burst: 5 },
          'consent-requests': { rate: 1, burst: 2 },
        },
      },
    });
  });

  it.each([
    ['GATEWAY_RATE_LIMIT', '50'],
    ['GATEWAY_RATE_LIMIT', '50 per second'],
    ['GATEWAY_RATE_LIMIT_SEND', '0/s'],
    ['GATEWAY_RATE_LIMIT_MAILBOX', '50/s,burst=0'],
    ['GATEWAY_RATE_LIMIT_CONSENT_REQUESTS', '50/day'],
    ['GATEWAY_RATE_LIMIT_AUDIT', '2.5/s'],
  ])('refuses %s=%j with one line naming the variable and the syntax', (name, value) => {
    const result = readConfig({ [name]: value });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toBe(
      `invalid configuration: ${name} must be <count>/<s|min|h> with an optional ",burst=<count>" (e.g. "50/s,burst=100"), counts from 1 to 1000000`,
    );
  });
});

describe('readConfig: requests in flight (GATEWAY_MAX_INFLIGHT)', () => {
  it('takes a bound from 1 to 10000', () => {
    for (const value of ['1', '10000', ' 32 ']) {
      expect(readConfig({ GATEWAY_MAX_INFLIGHT: value })).toMatchObject({
        ok: true,
        config: { maxInflight: Number(value) },
      });
    }
  });

  it.each(['0', '-1', '10001', '12.5', 'many', '1e9', 'Infinity'])(
    'refuses GATEWAY_MAX_INFLIGHT=%j with one line naming the variable and the range',
    (value) => {
      expect(readConfig({ GATEWAY_MAX_INFLIGHT: value })).toEqual({
        ok: false,
        problems: [
          'invalid configuration: GATEWAY_MAX_INFLIGHT must be a whole number between 1 and 10000',
        ],
      });
    },
  );
});

describe('readConfig: identity-verified sign-in (GATEWAY_OIDC_*)', () => {
  const acrMap = '{"urn:example:eid:substantial":"substantial","urn:example:eid:high":"high"}';
  const withSecret = {
    GATEWAY_PUBLIC_URL: 'https://gateway.koeln.example',
    GATEWAY_OIDC_ISSUER: 'https://id.example/realms/bund',
    GATEWAY_OIDC_CLIENT_ID: 'consent-gateway',
    GATEWAY_OIDC_CLIENT_SECRET: 'very-secret-value',
    GATEWAY_OIDC_ACR_MAP: acrMap,
  };
  const withKey = {
    ...withSecret,
    GATEWAY_OIDC_CLIENT_SECRET: undefined,
    GATEWAY_OIDC_PRIVATE_KEY_FILE: '/etc/gateway/oidc-key.pem',
  };

  function problemOf(env: Record<string, string | undefined>): string {
    const result = readConfig(env);
    expect(result.ok).toBe(false);
    if (result.ok) return '';
    expect(result.problems).toHaveLength(1);
    return result.problems[0] ?? '';
  }

  it('leaves eID sign-in off when no GATEWAY_OIDC_* variable is set', () => {
    const result = readConfig({});
    expect(result.ok && result.config.eid).toBeUndefined();
  });

  it('reads a client-secret configuration with the defaults', () => {
    const result = readConfig(withSecret);
    expect(result.ok && result.config.eid).toEqual({
      issuer: new URL('https://id.example/realms/bund'),
      clientId: 'consent-gateway',
      clientAuth: { method: 'client_secret_basic', secret: 'very-secret-value' },
      redirectUri: new URL('https://gateway.koeln.example/portal/eid/callback'),
      scope: 'openid profile',
      acrValues: [],
      assuranceByAcr: {
        'urn:example:eid:substantial': 'substantial',
        'urn:example:eid:high': 'high',
      },
      allowInsecureRequests: false,
    });
  });

  it('reads a private-key configuration with requested acr values, scope, algorithm and kid', () => {
    const result = readConfig({
      ...withKey,
      GATEWAY_OIDC_PRIVATE_KEY_ALG: 'PS256',
      GATEWAY_OIDC_PRIVATE_KEY_ID: 'gateway-2025',
      GATEWAY_OIDC_ACR_VALUES: 'urn:example:eid:high , urn:example:eid:substantial',
      GATEWAY_OIDC_SCOPE: 'openid profile email',
    });
    expect(result.ok && result.config.eid).toMatchObject({
      clientAuth: {
        method: 'private_key_jwt',
        privateKeyFile: '/etc/gateway/oidc-key.pem',
        alg: 'PS256',
        kid: 'gateway-2025',
      },
      acrValues: ['urn:example:eid:high', 'urn:example:eid:substantial'],
      scope: 'openid profile email',
    });
  });

  it('defaults the key algorithm to ES256', () => {
    const result = readConfig(withKey);
    expect(result.ok && result.config.eid?.clientAuth).toEqual({
      method: 'private_key_jwt',
      privateKeyFile: '/etc/gateway/oidc-key.pem',
      alg: 'ES256',
    });
  });

  it('admits an http issuer only on this machine, and marks it so', () => {
    const local = readConfig({ ...withSecret, GATEWAY_OIDC_ISSUER: 'http://127.0.0.1:4000' });
    expect(local.ok && local.config.eid?.allowInsecureRequests).toBe(true);
    expect(problemOf({ ...withSecret, GATEWAY_OIDC_ISSUER: 'http://id.example' })).toMatch(
      /^invalid configuration: GATEWAY_OIDC_ISSUER must be an https URL/,
    );
  });

  it.each<[string, Record<string, string | undefined>, string]>([
    [
      'the issuer is missing',
      { ...withSecret, GATEWAY_OIDC_ISSUER: undefined },
      'GATEWAY_OIDC_ISSUER',
    ],
    [
      'the client id is missing',
      { ...withSecret, GATEWAY_OIDC_CLIENT_ID: '' },
      'GATEWAY_OIDC_CLIENT_ID',
    ],
    [
      'neither secret nor key is given',
      { ...withSecret, GATEWAY_OIDC_CLIENT_SECRET: undefined },
      'GATEWAY_OIDC_CLIENT_SECRET',
    ],
    [
      'both secret and key are given',
      { ...withSecret, GATEWAY_OIDC_PRIVATE_KEY_FILE: '/k.pem' },
      'GATEWAY_OIDC_CLIENT_SECRET',
    ],
    [
      'the acr map is missing',
      { ...withSecret, GATEWAY_OIDC_ACR_MAP: undefined },
      'GATEWAY_OIDC_ACR_MAP',
    ],
    [
      'a key algorithm comes without a key',
      { ...withSecret, GATEWAY_OIDC_PRIVATE_KEY_ALG: 'ES256' },
      'GATEWAY_OIDC_PRIVATE_KEY_ALG',
    ],
    [
      'a key id comes without a key',
      { ...withSecret, GATEWAY_OIDC_PRIVATE_KEY_ID: 'k1' },
      'GATEWAY_OIDC_PRIVATE_KEY_ID',
    ],
    [
      'a requested acr is not in the map',
      { ...withSecret, GATEWAY_OIDC_ACR_VALUES: 'urn:other' },
      'GATEWAY_OIDC_ACR_VALUES',
    ],
  ])('refuses a half-set configuration where %s, naming the variable', (_case, env, name) => {
    const line = problemOf(env);
    expect(line).toMatch(new RegExp(`^invalid configuration: ${name} `));
    expect(line).not.toContain('very-secret-value');
    expect(line).not.toContain('\n');
  });

  it.each([
    ['GATEWAY_OIDC_ISSUER', 'id.example'],
    ['GATEWAY_OIDC_ISSUER', 'https://id.example/?realm=x'],
    ['GATEWAY_OIDC_ISSUER', 'https://admin:pw@id.example'],
    ['GATEWAY_OIDC_CLIENT_ID', 'has space'],
    ['GATEWAY_OIDC_PRIVATE_KEY_ALG', 'HS256'],
    ['GATEWAY_OIDC_ACR_MAP', '{not json'],
    ['GATEWAY_OIDC_ACR_MAP', '{}'],
    ['GATEWAY_OIDC_ACR_MAP', '["urn:example:eid:high"]'],
    ['GATEWAY_OIDC_ACR_MAP', '{"urn:example:eid:high":"very-high"}'],
    ['GATEWAY_OIDC_ACR_VALUES', 'a b'],
    ['GATEWAY_OIDC_SCOPE', 'profile email'],
    ['GATEWAY_OIDC_SCOPE', 'openid  profile'],
  ])('refuses %s=%j with one line naming the variable but not its value', (name, value) => {
    const line = problemOf({ ...withKey, [name]: value });
    expect(line).toMatch(new RegExp(`^invalid configuration: ${name} `));
    expect(line).not.toContain(value);
    expect(line).not.toContain('\n');
  });
});

describe('eidConfigFrom', () => {
  const settings: EidSettings = {
    issuer: new URL('https://id.example'),
    clientId: 'consent-gateway',
    clientAuth: { method: 'private_key_jwt', privateKeyFile: '/k.pem', alg: 'ES256', kid: 'k1' },
    redirectUri: new URL('https://gateway.example/portal/eid/callback'),
    scope: 'openid profile',
    acrValues: [],
    assuranceByAcr: { 'urn:example:eid:high': 'high' },
    allowInsecureRequests: false,
  };

  async function es256Pem(): Promise<string> {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const der = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
    return `-----BEGIN PRIVATE KEY-----\n${btoa(String.fromCharCode(...der))}\n-----END PRIVATE KEY-----\n`;
  }

  it('passes a client secret through without reading any file', async () => {
    const withSecret: EidSettings = {
      ...settings,
      clientAuth: { method: 'client_secret_basic', secret: 's' },
    };
    const config = await eidConfigFrom(withSecret, () => Promise.reject(new Error('no files')));
    expect(config.clientAuth).toEqual({ method: 'client_secret_basic', secret: 's' });
  });

  it('reads and imports the private key file as a non-extractable signing key', async () => {
    const pem = await es256Pem();
    const read: string[] = [];
    const config = await eidConfigFrom(settings, (path) => {
      read.push(path);
      return Promise.resolve(pem);
    });
    expect(read).toEqual(['/k.pem']);
    expect(config.clientAuth).toMatchObject({ method: 'private_key_jwt', alg: 'ES256', kid: 'k1' });
    if (config.clientAuth.method !== 'private_key_jwt') return;
    expect(config.clientAuth.privateKey.extractable).toBe(false);
  });

  it('refuses an unreadable key file with one line naming the variable and the error code', async () => {
    const missing = Object.assign(new Error('ENOENT: /k.pem'), { code: 'ENOENT' });
    await expect(eidConfigFrom(settings, () => Promise.reject(missing))).rejects.toThrow(
      /^invalid configuration: GATEWAY_OIDC_PRIVATE_KEY_FILE cannot be read \(ENOENT\)$/,
    );
  });

  it('refuses a key of another algorithm without printing the key', async () => {
    const pem = await es256Pem();
    const error: unknown = await eidConfigFrom(
      {
        ...settings,
        clientAuth: { ...settings.clientAuth, alg: 'RS256' } as EidSettings['clientAuth'],
      },
      () => Promise.resolve(pem),
    ).catch((rejection: unknown) => rejection);
    expect(String(error)).toMatch(
      /GATEWAY_OIDC_PRIVATE_KEY_FILE must hold a PKCS#8 PEM private key for RS256/,
    );
    expect(String(error)).not.toContain(pem.split('\n')[1]?.slice(0, 20));
  });
});

describe('the master key from a file (GATEWAY_MASTER_KEY_FILE)', () => {
  const key = 'ab'.repeat(32);

  it('takes the path, and lets it stand in for GATEWAY_MASTER_KEY on PostgreSQL', () => {
    expect(
      readConfig({
        GATEWAY_MASTER_KEY_FILE: '/run/credentials/consent-gateway.service/master.key',
        GATEWAY_DATABASE_URL: 'postgres://gw:pw@db.example:5432/gw',
      }),
    ).toMatchObject({
      ok: true,
      config: {
        masterKey: undefined,
        masterKeyFile: '/run/credentials/consent-gateway.service/master.key',
      },
    });
    const defaults = readConfig({});
    expect(defaults.ok && defaults.config).not.toHaveProperty('masterKeyFile');
  });

  it('refuses it together with GATEWAY_MASTER_KEY, in one line', () => {
    expect(readConfig({ GATEWAY_MASTER_KEY: key, GATEWAY_MASTER_KEY_FILE: '/k' })).toEqual({
      ok: false,
      problems: [
        'invalid configuration: GATEWAY_MASTER_KEY_FILE must not be set together with GATEWAY_MASTER_KEY',
      ],
    });
  });

  it('reads the key as hex or base64, ignoring the newline `openssl rand -hex 32` writes', async () => {
    const read: string[] = [];
    const text = await readMasterKeyFile('/etc/k', (path) => {
      read.push(path);
      return Promise.resolve(`${key}\n`);
    });
    expect(read).toEqual(['/etc/k']);
    expect(text).toBe(key);
    const base64 = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
    expect(await readMasterKeyFile('/k', () => Promise.resolve(` ${base64}\r\n`))).toBe(base64);
  });

  it('refuses an unreadable file with one line naming the variable and the error code', async () => {
    const denied = Object.assign(new Error('EACCES: /etc/k'), { code: 'EACCES' });
    await expect(readMasterKeyFile('/etc/k', () => Promise.reject(denied))).rejects.toThrow(
      /^invalid configuration: GATEWAY_MASTER_KEY_FILE cannot be read \(EACCES\)$/,
    );
  });

  it.each([
    ['too short', 'ab'.repeat(16)],
    ['not a key', 'correct horse battery staple secret'],
    ['empty', '\n'],
  ])('refuses a file that is %s without printing its content', async (_, content) => {
    const error: unknown = await readMasterKeyFile('/k', () => Promise.resolve(content)).catch(
      (rejection: unknown) => rejection,
    );
    expect(String(error)).toMatch(
      /invalid configuration: GATEWAY_MASTER_KEY_FILE must hold 32 bytes, written as 64 hex characters or base64$/,
    );
    if (content.trim() !== '') expect(String(error)).not.toContain(content.trim());
  });
});

describe('readConfig: metrics (GATEWAY_METRICS_TOKEN)', () => {
  const token = 'm'.repeat(16) + 'X'.repeat(16);

  it('has no metrics unless the token is set', () => {
    const result = readConfig({});
    expect(result.ok && result.config.metricsToken).toBe(undefined);
  });

  it('takes a token of at least 32 characters', () => {
    expect(readConfig({ GATEWAY_METRICS_TOKEN: token })).toMatchObject({
      ok: true,
      config: { metricsToken: token },
    });
  });

  it.each([
    ['shorter than 32 characters', 'x'.repeat(31)],
    ['with a space', `${'x'.repeat(20)} ${'y'.repeat(20)}`],
  ])('refuses a token %s without echoing it', (_, value) => {
    const result = readConfig({ GATEWAY_METRICS_TOKEN: value });
    expect(result).toEqual({
      ok: false,
      problems: [
        'invalid configuration: GATEWAY_METRICS_TOKEN must be at least 32 printable characters without spaces',
      ],
    });
  });
});
