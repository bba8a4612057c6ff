import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyAddArgs, randomMasterKeyHex, x5cOf } from './support/pki.ts';
import { projectRoot, run, startGateway, type GatewayProcess } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/**
 * Agency systems are not written by us: a client assertion made by Debian's python3-jwcrypto with
 * a key and CSR made by openssl must pass, against the real server process, and a certificate
 * revoked with the CLI while the server runs must be refused at once, without a restart.
 */
const dir = tempDir();
const env = { GATEWAY_MASTER_KEY: randomMasterKeyHex(), GATEWAY_DATA_DIR: join(dir.path, 'data') };
let gw: GatewayProcess;
const file = (name: string) => join(dir.path, name);

const openssl = (...args: string[]) =>
  execFileSync('openssl', args, { cwd: dir.path, stdio: 'pipe' });
const cli = async (...args: string[]) => {
  const result = await run('cli/bin.mjs', args, { env });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};

async function registerAgency(
  id: string,
  keyArgs: string[],
): Promise<{ serial: string; kid: string }> {
  openssl('genpkey', ...keyArgs, '-out', file(`${id}.key`));
  openssl(
    'req',
    '-new',
    '-key',
    file(`${id}.key`),
    '-subj',
    `/CN=${id}`,
    '-out',
    file(`${id}.csr`),
  );
  const out = await cli(
    ...agencyAddArgs({ id: id, type: 'jobcenter', csr: file(`${id}.csr`), out: file(`${id}.crt`) }),
  );
  return {
    serial: /serial (\w+)/.exec(out)?.[1] ?? '',
    kid: /kid +(\S+)/.exec(out)?.[1] ?? '',
  };
}

async function jwcryptoAssertion(
  id: string,
  alg: string,
  by: 'x5c' | 'kid' = 'x5c',
  kid = '',
): Promise<string> {
  const x5c = x5cOf(readFileSync(file(`${id}.crt`), 'utf8'));
  const python = await run('/usr/bin/python3', [
    join(projectRoot, 'test/fixtures/jwcrypto_assertion.py'),
    file(`${id}.key`),
    by === 'kid' ? kid : x5c,
    id,
    audience(),
    alg,
    by,
  ]);
  expect(python.code, python.stderr).toBe(0);
  return python.stdout.trim();
}

const audience = () => `http://localhost:${new URL(gw.baseUrl).port}`;
const whoami = (token: string) =>
  fetch(`${gw.baseUrl}/v1/whoami`, { headers: { Authorization: `Bearer ${token}` } });

let ec: { serial: string; kid: string };
beforeAll(async () => {
  await cli('init', '--tenant', 'koeln', '--name', 'Stadt Köln');
  ec = await registerAgency('jc-koeln', [
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
  ]);
  await registerAgency('jc-rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072']);
  gw = await startGateway(env);
}, 120_000);
afterAll(async () => {
  await gw.stop();
  dir.remove();
});

describe('interoperability with python3-jwcrypto and openssl', () => {
  it('accepts an ES256 assertion with x5c made by jwcrypto with an openssl key', async () => {
    const res = await whoami(await jwcryptoAssertion('jc-koeln', 'ES256'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ tenant: 'koeln', id: 'jc-koeln', kind: 'agency' });
  });

  it('accepts an assertion naming the certificate by kid', async () => {
    const res = await whoami(await jwcryptoAssertion('jc-koeln', 'ES256', 'kid', ec.kid));
    expect(res.status).toBe(200);
  });

  it.each(['PS256', 'RS256'])('accepts %s with an openssl RSA-3072 key', async (alg) => {
    expect((await whoami(await jwcryptoAssertion('jc-rsa', alg))).status).toBe(200);
  });

  it('refuses the same jwcrypto assertion a second time', async () => {
    const token = await jwcryptoAssertion('jc-koeln', 'ES256');
    expect((await whoami(token)).status).toBe(200);
    const again = await whoami(token);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ code: 'replayed_assertion' });
  });

  it('publishes a JWKS jwcrypto can load', async () => {
    const jwks = await (await fetch(`${gw.baseUrl}/.well-known/jwks.json`)).text();
    const count = await run(
      '/usr/bin/python3',
      [
        '-c',
        'import sys; from jwcrypto import jwk; ks = jwk.JWKSet.from_json(sys.stdin.read()); print(len(ks["keys"]))',
      ],
      { input: jwks },
    );
    expect(count.code, count.stderr).toBe(0);
    expect(Number(count.stdout.trim())).toBeGreaterThanOrEqual(1);
  });

  // Five child processes (python twice, the CLI three times, openssl), each a few seconds when the
  // CPU is busy: more than the 30 s a test gets by default.
  it('refuses a certificate within one second of cert revoke, without a restart', async () => {
    // Both made before the revocation, so the clock below measures the gateway, not python.
    const [before, token] = await Promise.all([
      jwcryptoAssertion('jc-koeln', 'ES256'),
      jwcryptoAssertion('jc-koeln', 'ES256'),
    ]);
    expect((await whoami(before)).status).toBe(200);
    await cli('cert', 'revoke', '--tenant', 'koeln', '--serial', ec.serial.toUpperCase());
    const revokedAt = performance.now();
    const res = await whoami(token);
    expect(performance.now() - revokedAt).toBeLessThan(1_000);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'certificate_revoked' });
    // openssl agrees with the gateway once the CRL is written.
    await Promise.all([
      cli('crl', '--tenant', 'koeln', '--out', file('crl.pem')),
      cli('ca', '--tenant', 'koeln', '--out', file('ca.pem')),
    ]);
    const verify = await run('openssl', [
      'verify',
      '-crl_check',
      '-CRLfile',
      file('crl.pem'),
      '-CAfile',
      file('ca.pem'),
      file('jc-koeln.crt'),
    ]);
    expect(verify.code).not.toBe(0);
    expect(verify.stdout + verify.stderr).toContain('certificate revoked');
  }, 90_000);
});
