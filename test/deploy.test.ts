/**
 * The deployment examples in deploy/: the systemd unit passes `systemd-analyze verify`, its
 * environment is a configuration the gateway accepts, and the reverse proxy examples say what the
 * README promises (TLS, X-Forwarded-For for GATEWAY_TRUSTED_PROXIES, the gateway's body limit).
 *
 * nginx and Caddy are not installed here or in CI, so their files are checked as text; systemd's
 * analyser is (scripts/test-setup.sh installs it) and needs no running systemd.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../gateway/config.ts';
import { SERVER_ARGS } from './support/process.ts';

const UNIT_NAME = 'consent-gateway.service';
const unit = readFileSync(join('deploy', UNIT_NAME), 'utf8');
const nginx = readFileSync(join('deploy', 'nginx.conf'), 'utf8');
const caddy = readFileSync(join('deploy', 'Caddyfile'), 'utf8');

/** The unit's settings as [key, value] pairs, in order, comments left out. */
function directives(text: string): [string, string][] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('['))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    });
}

function values(key: string): string[] {
  return directives(unit)
    .filter(([name]) => name === key)
    .map(([, value]) => value);
}

/** Environment= lines as variables (values here carry no quotes or spaces). */
function unitEnvironment(): Record<string, string> {
  return Object.fromEntries(
    values('Environment')
      .flatMap((value) => value.split(/\s+/))
      .map((assignment) => {
        const at = assignment.indexOf('=');
        return [assignment.slice(0, at), assignment.slice(at + 1)];
      }),
  );
}

const analyzer = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const hasAnalyzer = analyzer.status === 0;
if (!hasAnalyzer) {
  process.stderr.write(
    'test/deploy.test.ts: systemd-analyze is missing (Debian package systemd; `npm run test:setup` installs it): skipping the unit verification\n',
  );
}

const scratch = mkdtempSync(join(tmpdir(), 'deploy-test-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * A copy of the unit in a directory of its own, under its own name (systemd takes the unit's name
 * from the file's). `verify` checks that ExecStart's program exists and is executable, and a
 * machine may have node elsewhere than /usr/bin/node (nvm, /usr/local/bin): the copy runs the node
 * running this test instead, which changes nothing else that verify looks at.
 */
function unitCopy(text: string, dir: string): string {
  const path = join(scratch, dir);
  mkdirSync(path, { recursive: true });
  const file = join(path, UNIT_NAME);
  writeFileSync(
    file,
    text.replace(/^ExecStart=\/usr\/bin\/node /m, `ExecStart=${process.execPath} `),
  );
  return file;
}

/**
 * `--man=no`: the unit names no man page, and CI need not have man-db. `--recursive-errors=one`:
 * only this unit's problems fail the check, not those of other units installed on the machine
 * (network-online.target and friends). Unknown or misspelt settings are only warnings to systemd
 * ("Unknown key … ignoring") with exit code 0, so every line about the unit counts as a failure.
 */
function verify(file: string): { status: number | null; lines: string[] } {
  const run = spawnSync(
    'systemd-analyze',
    ['verify', '--man=no', '--recursive-errors=one', '--no-pager', file],
    { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } },
  );
  const lines = `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => line.includes(UNIT_NAME) || line.includes(file));
  return { status: run.status, lines };
}

describe('deploy/consent-gateway.service', () => {
  it.skipIf(!hasAnalyzer)('passes systemd-analyze verify without a word about it', () => {
    expect(verify(unitCopy(unit, 'unit'))).toEqual({ status: 0, lines: [] });
  });

  it.skipIf(!hasAnalyzer)('would be caught: a misspelt setting and a missing program', () => {
    const broken = unit
      .replace('ProtectHome=yes', 'ProtectHome=yes\nProtectHomes=yes')
      .replace('ExecStart=/usr/bin/node ', 'ExecStart=/nonexistent/node ');
    const result = verify(unitCopy(broken, 'broken'));
    expect(result.status).not.toBe(0);
    expect(result.lines.join('\n')).toMatch(/Unknown key.*ProtectHomes/);
    expect(result.lines.join('\n')).toMatch(/\/nonexistent\/node is not executable/);
  });

  it.skipIf(!hasAnalyzer)('is scored by systemd-analyze security (printed, not asserted)', () => {
    const run = spawnSync(
      'systemd-analyze',
      ['security', '--offline=yes', '--no-pager', unitCopy(unit, 'security')],
      { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } },
    );
    const score = /Overall exposure level for .*/.exec(run.stdout)?.[0];
    process.stdout.write(
      `systemd-analyze security: ${score ?? `no score (exit ${String(run.status)})`}\n`,
    );
  });

  it('has the hardening the README promises, and no MemoryDenyWriteExecute (V8 JIT)', () => {
    const expected: [string, string][] = [
      ['DynamicUser', 'yes'],
      ['StateDirectory', 'consent-gateway'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['NoNewPrivileges', 'yes'],
      ['CapabilityBoundingSet', ''],
      ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
      ['SystemCallFilter', '@system-service'],
      ['LoadCredential', 'master.key:/etc/consent-gateway/master.key'],
      ['WorkingDirectory', '/opt/consent-gateway'],
      ['ExecStart', `/usr/bin/node ${SERVER_ARGS.join(' ')}`],
      ['Restart', 'on-failure'],
      ['KillSignal', 'SIGTERM'],
      ['TimeoutStopSec', '15'],
    ];
    for (const [key, value] of expected) expect(values(key), key).toContain(value);
    expect(values('MemoryDenyWriteExecute')).toEqual([]);
    expect(unit).toMatch(/^# MemoryDenyWriteExecute= is deliberately NOT set: V8's JIT/m);
  });

  it('sets an environment the gateway accepts, with the key from the credential', () => {
    const env = unitEnvironment();
    expect(env).toMatchObject({
      HOST: '127.0.0.1',
      PORT: '8787',
      GATEWAY_PUBLIC_URL: 'https://gateway.example',
      GATEWAY_TRUSTED_PROXIES: '127.0.0.1',
      GATEWAY_DATA_DIR: '/var/lib/consent-gateway',
      GATEWAY_MASTER_KEY_FILE: '%d/master.key',
      GATEWAY_ENV: 'production',
    });
    // %d is the credentials directory systemd creates for the service.
    const credentials = '/run/credentials/consent-gateway.service';
    const result = readConfig({
      ...env,
      GATEWAY_MASTER_KEY_FILE: env['GATEWAY_MASTER_KEY_FILE']?.replace('%d', credentials),
    });
    expect(result).toMatchObject({
      ok: true,
      config: {
        host: '127.0.0.1',
        port: 8787,
        dataDir: '/var/lib/consent-gateway',
        masterKeyFile: `${credentials}/master.key`,
        trustedProxies: ['127.0.0.1'],
        production: true,
      },
    });
  });
});

describe('reverse proxy examples', () => {
  const defaults = readConfig({});
  const bodyLimit = defaults.ok ? defaults.config.bodyLimit : 0;

  it('nginx: TLS with certificate placeholders, HTTP redirected', () => {
    expect(nginx).toMatch(/^\s*listen 443 ssl;/m);
    expect(nginx).toMatch(/^\s*ssl_certificate\s+\/\S+\.pem;/m);
    expect(nginx).toMatch(/^\s*ssl_certificate_key\s+\/\S+\.pem;/m);
    expect(nginx).toMatch(/^\s*ssl_protocols TLSv1\.2 TLSv1\.3;/m);
    expect(nginx).toMatch(/^\s*return 301 https:\/\/\$host\$request_uri;/m);
  });

  it('nginx: proxies to the unit’s address and sets X-Forwarded-For for GATEWAY_TRUSTED_PROXIES', () => {
    const env = unitEnvironment();
    expect(nginx).toMatch(new RegExp(`^\\s*server ${env['HOST']}:${env['PORT']};`, 'm'));
    expect(nginx).toMatch(/^\s*proxy_pass http:\/\/consent_gateway;/m);
    expect(nginx).toMatch(/^\s*proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/m);
    expect(nginx).toMatch(/^\s*proxy_set_header Host \$host;/m);
    // nginx connects from loopback, the one proxy the gateway believes.
    expect(env['GATEWAY_TRUSTED_PROXIES']?.split(',')).toContain('127.0.0.1');
  });

  it('nginx: client_max_body_size is the gateway’s default body limit', () => {
    const size = /^\s*client_max_body_size (\d+)([km]?);/m.exec(nginx);
    expect(size).not.toBeNull();
    const factor = { '': 1, k: 1024, m: 1024 * 1024 }[size?.[2] ?? ''] ?? 0;
    expect(Number(size?.[1]) * factor).toBe(bodyLimit);
    expect(bodyLimit).toBe(1048576);
  });

  it('Caddy: automatic TLS for the site, reverse_proxy with X-Forwarded-For, the same body limit', () => {
    expect(caddy).toMatch(/^gateway\.example \{/m);
    expect(caddy).toMatch(/^\s*reverse_proxy 127\.0\.0\.1:8787 \{/m);
    expect(caddy).toMatch(/^\s*header_up X-Forwarded-For \{remote_host\}/m);
    expect(caddy).toMatch(/^\s*max_size 1MiB$/m);
    expect(1024 * 1024).toBe(bodyLimit);
  });
});
