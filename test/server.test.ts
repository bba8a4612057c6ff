import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomMasterKeyHex } from './support/pki.ts';
import {
  type GatewayProcess,
  PROCESS_TEST_TIMEOUT_MS,
  run,
  SERVER_ARGS,
  startGateway,
} from './support/process.ts';
import { tempDir } from './support/temp.ts';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gateway(
  env: Record<string, string> = {},
): Promise<{ gw: GatewayProcess; dataDir: string }> {
  const dir = tempDir();
  cleanups.push(() => {
    dir.remove();
  });
  const gw = await startGateway({ GATEWAY_DATA_DIR: dir.path, ...env });
  cleanups.push(() => gw.stop('SIGKILL'));
  return { gw, dataDir: dir.path };
}

describe('the gateway as a real server process', () => {
  it('serves health over HTTP from a SQLite file it creates with the demo tenant', async () => {
    const { gw, dataDir } = await gateway();
    const res = await fetch(`${gw.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { storage: 'ok' } });
    const db = new Database(join(dataDir, 'gateway.db'), { readonly: true });
    expect(db.prepare('SELECT id FROM tenants').pluck().all()).toEqual(['demo']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('answers problem+json over the wire: 404, malformed JSON, 413', async () => {
    const { gw } = await gateway({ GATEWAY_BODY_LIMIT: '2048' });
    const missing = await fetch(`${gw.baseUrl}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    const malformed = await fetch(`${gw.baseUrl}/v1/anything`, {
      method: 'POST',
      body: '{',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'malformed_json' });
    const large = await fetch(`${gw.baseUrl}/v1/anything`, {
      method: 'POST',
      body: JSON.stringify({ x: 'y'.repeat(4096) }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('logs one JSON line per request to stdout', async () => {
    const { gw } = await gateway();
    await fetch(`${gw.baseUrl}/health`);
    await gw.stop();
    const lines = gw
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = lines.filter((line) => line['msg'] === 'request');
    expect(requests).toEqual([
      expect.objectContaining({ method: 'GET', route: '/health', status: 200 }),
    ]);
  });

  it('on SIGTERM finishes the request in flight, closes the database and exits 0', async () => {
    const { gw, dataDir } = await gateway();
    const url = new URL(`${gw.baseUrl}/v1/slow-upload`);
    // A request whose body is still arriving when the signal comes.
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        url,
        { method: 'POST', headers: { 'Content-Type': 'application/json' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body });
          });
        },
      );
      req.on('error', reject);
      req.write('{"part": "one",');
      setTimeout(() => {
        gw.child.kill('SIGTERM');
        setTimeout(() => req.end('"part2": "two"}'), 300);
      }, 100);
    });
    const answer = await inFlight;
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'not_found' });
    expect(await gw.exited).toBe(0);
    expect(gw.stdout()).toContain('"msg":"stopped"');
    // A cleanly closed WAL database checkpoints and removes its -wal file.
    expect(existsSync(join(dataDir, 'gateway.db-wal'))).toBe(false);
  });

  it('stops accepting new connections once shutting down', async () => {
    const { gw } = await gateway();
    await gw.stop('SIGINT');
    expect(await gw.exited).toBe(0);
    await expect(fetch(`${gw.baseUrl}/health`)).rejects.toThrow();
  });
});

describe('start-up with a bad configuration', () => {
  it.each([
    ['PORT', 'eighty'],
    ['GATEWAY_PUBLIC_URL', 'not a url'],
    ['LOG_LEVEL', 'chatty'],
    ['GATEWAY_BODY_LIMIT', '-5'],
  ])('stops with one line naming %s and no stack trace', async (name, value) => {
    const dir = tempDir();
    try {
      const result = await run(process.execPath, [...SERVER_ARGS], {
        env: { GATEWAY_DATA_DIR: dir.path, [name]: value },
      });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^consent-gateway: invalid configuration: ${name} `));
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe('');
    } finally {
      dir.remove();
    }
  });

  it('stops with one line naming the policy file and its reasons when it is invalid', async () => {
    const dir = tempDir();
    try {
      const file = `${dir.path}/policy.json`;
      const { writeFileSync } = await import('node:fs');
      writeFileSync(
        file,
        JSON.stringify({ version: '1', rules: [{ id: 'x', purpose: 'curiosity' }] }),
      );
      const result = await run(process.execPath, [...SERVER_ARGS], {
        env: { GATEWAY_DATA_DIR: dir.path, GATEWAY_POLICY_FILE: file },
      });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`invalid policy ${file}`);
      expect(lines[0]).toContain('/rules/0/purpose');
    } finally {
      dir.remove();
    }
  });

  it('stops with one line when the master key does not open the keys in the data dir', async () => {
    const dir = tempDir();
    try {
      const made = await run('cli/bin.mjs', ['--data', dir.path, 'init', '--tenant', 'koeln'], {
        env: { GATEWAY_MASTER_KEY: randomMasterKeyHex() },
      });
      expect(made.code, made.stderr).toBe(0);
      const result = await run(process.execPath, [...SERVER_ARGS], {
        env: { GATEWAY_DATA_DIR: dir.path, GATEWAY_MASTER_KEY: randomMasterKeyHex() },
      });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `consent-gateway: the master key does not open the keys in ${dir.path} (tenant koeln): ` +
          'GATEWAY_MASTER_KEY is not the key they were wrapped with',
      );
      expect(result.stdout).not.toContain('gateway listening');
      // Without a key it makes none up beside keys wrapped under another: it says what is missing.
      const keyless = await run(process.execPath, [...SERVER_ARGS], {
        env: { GATEWAY_DATA_DIR: dir.path },
      });
      expect(keyless.code).toBe(1);
      expect(keyless.stderr).toContain('no master key: set GATEWAY_MASTER_KEY');
      expect(existsSync(join(dir.path, 'master.key'))).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('stops with one line when the port is taken', async () => {
    const { gw } = await gateway();
    const port = new URL(gw.baseUrl).port;
    const dir = tempDir();
    try {
      const result = await run(process.execPath, [...SERVER_ARGS], {
        env: { GATEWAY_DATA_DIR: dir.path, PORT: port, HOST: '127.0.0.1' },
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `consent-gateway: port ${port} on 127.0.0.1 is in use (set PORT)`,
      );
    } finally {
      dir.remove();
    }
  });
});

describe('npm start', () => {
  it('starts the gateway on the configured port and stops it on SIGTERM', async () => {
    const dir = tempDir();
    cleanups.push(() => {
      dir.remove();
    });
    const gw = await startGateway({ GATEWAY_DATA_DIR: dir.path, HOME: process.env['HOME'] ?? '' }, [
      'npm',
      'start',
      '--silent',
    ]);
    cleanups.push(() => gw.stop('SIGKILL'));
    const res = await fetch(`${gw.baseUrl}/health`);
    expect(res.status).toBe(200);
    await gw.stop('SIGTERM');
    // npm forwards the signal, waits for the gateway, then ends itself by the same signal.
    expect(gw.stdout()).toContain('"msg":"stopped"');
    await expect(fetch(`${gw.baseUrl}/health`)).rejects.toThrow();
  });
});
