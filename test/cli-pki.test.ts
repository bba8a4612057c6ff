import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { agencyAddArgs, randomMasterKeyHex } from './support/pki.ts';
import { main } from '../cli/main.ts';
import { PROCESS_TEST_TIMEOUT_MS, projectRoot, run } from './support/process.ts';
import { tempDir } from './support/temp.ts';

/**
 * The operator CLI end to end, the way an operator uses it: its main() with the operator's argv
 * and environment (the bin itself is started in test/cli.test.ts), run from a working directory
 * that holds the operator's files, keys and CSRs made by OpenSSL, and OpenSSL checking everything the gateway writes (CA certificate, agency
 * certificates, CRL). The master key comes from GATEWAY_MASTER_KEY, as in production. Time is the
 * real clock, because OpenSSL checks validity against it.
 */

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS });

const bin = join(projectRoot, 'cli', 'bin.mjs');
let inProcessTurn: Promise<unknown> = Promise.resolve();

const masterKey = randomMasterKeyHex();

const P256 = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
const rsa = (bits: number): string[] => [
  '-algorithm',
  'RSA',
  '-pkeyopt',
  `rsa_keygen_bits:${bits}`,
];

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const workspaces: Workspace[] = [];

afterAll(() => {
  for (const workspace of workspaces.splice(0)) workspace.remove();
});

/** An operator's working directory: OpenSSL files side by side, the gateway's data in `data/`. */
class Workspace {
  readonly path: string;
  readonly dataDir: string;
  readonly remove: () => void;

  constructor() {
    const dir = tempDir('cgw-cli-pki-');
    this.path = dir.path;
    this.dataDir = join(dir.path, 'data');
    this.remove = () => {
      dir.remove();
    };
    workspaces.push(this);
  }

  at(name: string): string {
    return join(this.path, name);
  }

  read(name: string): string {
    return readFileSync(this.at(name), 'utf8');
  }

  has(name: string): boolean {
    return existsSync(this.at(name));
  }

  /**
   * `consent-gateway …` in this directory, with the master key and data dir in the environment:
   * the CLI's own main(), in this test process. Starting a real process per step costs about two
   * CPU-seconds of loading each; test/cli.test.ts and cli-demo start the real one (bin.mjs).
   * Test files run in forked processes one test at a time, so changing the directory is safe.
   */
  cli(...args: string[]): Promise<CliResult> {
    // One at a time: the working directory is the process's, so calls a test starts together
    // take turns (the real processes in cliProcess() are what shows concurrent operators).
    const turn = inProcessTurn.then(async () => {
      let stdout = '';
      let stderr = '';
      process.chdir(this.path);
      try {
        const code = await main(args, {
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: (text: string) => (stderr += text) },
          env: { GATEWAY_MASTER_KEY: masterKey, GATEWAY_DATA_DIR: this.dataDir },
        });
        return { code, stdout, stderr };
      } finally {
        process.chdir(projectRoot);
      }
    });
    inProcessTurn = turn.catch(() => undefined);
    return turn;
  }

  /** The real `consent-gateway` process here, for what only separate processes show. */
  cliProcess(...args: string[]): Promise<CliResult> {
    return run(bin, args, {
      cwd: this.path,
      env: { GATEWAY_MASTER_KEY: masterKey, GATEWAY_DATA_DIR: this.dataDir },
    });
  }

  /** Runs openssl here; throws with its stderr if it fails. */
  openssl(...args: string[]): string {
    return execFileSync('openssl', args, { cwd: this.path, encoding: 'utf8', stdio: 'pipe' });
  }

  /** Runs openssl here and answers its exit status and everything it printed. */
  opensslResult(...args: string[]): { status: number | null; output: string } {
    const result = spawnSync('openssl', args, { cwd: this.path, encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  /** `<name>.key` made by `openssl genpkey` and `<name>.csr` for it, as an agency admin would. */
  keyAndCsr(name: string, keyArgs: readonly string[]): void {
    this.openssl('genpkey', ...keyArgs, '-out', `${name}.key`);
    this.openssl(
      'req',
      '-new',
      '-key',
      `${name}.key`,
      '-subj',
      `/CN=${name}`,
      '-out',
      `${name}.csr`,
    );
  }

  /** The serial as `openssl x509 -serial -noout` prints it, without `serial=` (upper-case hex). */
  serialOf(certFile: string): string {
    const printed = this.openssl('x509', '-in', certFile, '-serial', '-noout').trim();
    expect(printed).toMatch(/^serial=[0-9A-F]+$/);
    return printed.replace(/^serial=/, '');
  }

  /** Reads the gateway's database the way an auditor would: read-only, closed again at once. */
  query<T>(sql: string, ...params: string[]): T[] {
    const db = new Database(join(this.dataDir, 'gateway.db'), {
      readonly: true,
      fileMustExist: true,
    });
    try {
      return db.prepare<string[], T>(sql).all(...params);
    } finally {
      db.close();
    }
  }

  principalIds(): string[] {
    return this.query<{ id: string }>(
      "SELECT id FROM principals WHERE tenant_id = 'koeln' ORDER BY id",
    ).map((row) => row.id);
  }
}

/** Throws with the CLI's output unless it exited 0; for set-up steps. */
function succeeded(result: CliResult, what: string): CliResult {
  if (result.code !== 0) {
    throw new Error(`${what} exited ${String(result.code)}:\n${result.stdout}${result.stderr}`);
  }
  return result;
}

/** The serial and kid `agency add` / `principal add` print. */
function printed(stdout: string): { serial: string; kid: string } {
  const serial = /^ {2}serial (\S+)$/m.exec(stdout)?.[1];
  const kid = /^ {2}kid {4}(\S+)$/m.exec(stdout)?.[1];
  if (serial === undefined || kid === undefined) throw new Error(`no serial or kid in:\n${stdout}`);
  return { serial, kid };
}

/** A workspace whose data dir holds tenant koeln; with `ca`, the tenant CA is in `ca.pem`. */
async function koelnWorkspace(options: { ca: boolean }): Promise<Workspace> {
  const workspace = new Workspace();
  succeeded(
    await workspace.cli('init', '--tenant', 'koeln', '--name', 'Stadt Köln'),
    'init --tenant koeln',
  );
  if (options.ca) {
    succeeded(
      await workspace.cli('ca', '--tenant', 'koeln', '--out', 'ca.pem'),
      'ca --tenant koeln',
    );
  }
  return workspace;
}

describe('init, the tenant CA and agency certificates from OpenSSL CSRs', () => {
  let ws: Workspace;
  let init: CliResult;
  let ca: CliResult;

  beforeAll(async () => {
    ws = new Workspace();
    init = await ws.cli('init', '--tenant', 'koeln', '--name', 'Stadt Köln');
    ca = await ws.cli('ca', '--tenant', 'koeln', '--out', 'ca.pem');
  });

  it('`init` creates the tenant and `ca` writes a CA certificate OpenSSL reads as a P-256 CA with pathlen 0', () => {
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('created tenant koeln ("Stadt Köln")');
    // The master key came from the environment: nothing to warn about, no key file beside the data.
    expect(init.stderr).toBe('');
    expect(existsSync(join(ws.dataDir, 'master.key'))).toBe(false);

    expect(ca.code, ca.stderr).toBe(0);
    expect(ca.stdout).toContain('CA certificate written to ca.pem');
    const text = ws.openssl('x509', '-in', 'ca.pem', '-noout', '-text');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toContain('Public Key Algorithm: id-ecPublicKey');
    expect(text).toContain('ASN1 OID: prime256v1');
    expect(text).toContain('NIST CURVE: P-256');
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(ws.openssl('x509', '-in', 'ca.pem', '-noout', '-subject', '-nameopt', 'utf8')).toContain(
      'CN=Stadt Köln Consent Gateway CA',
    );
    // Self-signed, and OpenSSL accepts it as a root.
    expect(ws.openssl('verify', '-x509_strict', '-CAfile', 'ca.pem', 'ca.pem')).toContain(
      'ca.pem: OK',
    );
  });

  it('certifies an OpenSSL P-256 CSR as an agency; OpenSSL verifies the certificate and sees its profile', async () => {
    ws.keyAndCsr('jc', P256);
    const result = await ws.cli(
      ...agencyAddArgs({ id: 'jc-koeln', type: 'jobcenter', csr: 'jc.csr', out: 'jc.crt' }),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('registered agency jc-koeln (jobcenter) in tenant koeln');
    expect(result.stdout).toContain('certificate written to jc.crt');

    const { serial, kid } = printed(result.stdout);
    // The serial printed is the certificate's, and the kid its SHA-256 thumbprint (x5t#S256).
    expect(serial).toBe(ws.serialOf('jc.crt').toLowerCase().replace(/^0+/, ''));
    const der = Buffer.from(
      ws.read('jc.crt').replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''),
      'base64',
    );
    expect(kid).toBe(createHash('sha256').update(der).digest('base64url'));

    expect(ws.openssl('verify', '-CAfile', 'ca.pem', 'jc.crt')).toBe('jc.crt: OK\n');
    expect(
      ws.openssl('verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', 'ca.pem', 'jc.crt'),
    ).toContain('jc.crt: OK');
    const extensions = ws.openssl(
      'x509',
      '-in',
      'jc.crt',
      '-noout',
      '-ext',
      'subjectAltName,extendedKeyUsage,keyUsage,basicConstraints',
    );
    expect(extensions).toContain('URI:urn:consent-gateway:koeln:agency:jc-koeln');
    expect(extensions).toContain('TLS Web Client Authentication');
    expect(extensions).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(extensions).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    // The gateway names the subject, not the CSR.
    expect(ws.openssl('x509', '-in', 'jc.crt', '-noout', '-subject')).toBe(
      'subject=CN = jc-koeln\n',
    );
  });

  it('certifies an OpenSSL RSA-3072 CSR', async () => {
    ws.keyAndCsr('abh', rsa(3072));
    const result = await ws.cli(
      ...agencyAddArgs({
        id: 'abh-koeln',
        type: 'immigration_office',
        csr: 'abh.csr',
        out: 'abh.crt',
      }),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(ws.openssl('verify', '-CAfile', 'ca.pem', 'abh.crt')).toBe('abh.crt: OK\n');
    expect(ws.openssl('x509', '-in', 'abh.crt', '-noout', '-text')).toContain(
      'Public-Key: (3072 bit)',
    );
  });

  it('refuses an RSA-2048 CSR with exit 2, says what is allowed, and registers nothing', async () => {
    ws.keyAndCsr('weak', rsa(2048));
    const refused = await ws.cli(
      ...agencyAddArgs({ id: 'so-koeln', type: 'social_office', csr: 'weak.csr', out: 'so.crt' }),
    );
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('RSA key with 2048 bits');
    expect(refused.stderr).toContain('ECDSA P-256 or P-384, or RSA with at least 3072 bits');
    expect(ws.has('so.crt')).toBe(false);
    expect(ws.principalIds()).not.toContain('so-koeln');

    // The refused attempt left nothing behind: the same id registers with a good key.
    ws.keyAndCsr('so', P256);
    const retried = await ws.cli(
      ...agencyAddArgs({ id: 'so-koeln', type: 'social_office', csr: 'so.csr', out: 'so.crt' }),
    );
    expect(retried.code, retried.stderr).toBe(0);
    expect(ws.openssl('verify', '-CAfile', 'ca.pem', 'so.crt')).toBe('so.crt: OK\n');
  });

  it('accepts an OpenSSL EC public key as encryption key and stores it as a public JWK', async () => {
    ws.keyAndCsr('enc', P256);
    ws.openssl('genpkey', ...P256, '-out', 'enc-dec.key');
    ws.openssl('pkey', '-in', 'enc-dec.key', '-pubout', '-out', 'enc-dec.pub');
    const result = await ws.cli(
      ...agencyAddArgs({
        id: 'abh-enc',
        type: 'immigration_office',
        csr: 'enc.csr',
        out: 'enc.crt',
      }),
      '--encryption-key',
      'enc-dec.pub',
    );
    expect(result.code, result.stderr).toBe(0);

    const [row] = ws.query<{ encryption_key: string | null }>(
      "SELECT encryption_key FROM principals WHERE tenant_id = 'koeln' AND id = 'abh-enc'",
    );
    const stored = JSON.parse(row?.encryption_key ?? 'null') as Record<string, unknown> | null;
    const expected = createPrivateKey(ws.read('enc-dec.key')).export({ format: 'jwk' });
    expect(stored).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expected.x,
      y: expected.y,
      use: 'enc',
      alg: 'ECDH-ES+A256KW',
    });
  });

  it('refuses a private key file as encryption key (PEM or JWK) with exit 2 and registers nothing', async () => {
    ws.keyAndCsr('leak', P256);
    const pem = await ws.cli(
      ...agencyAddArgs({ id: 'leak-pem', type: 'jobcenter', csr: 'leak.csr', out: 'leak-pem.crt' }),
      '--encryption-key',
      'leak.key',
    );
    expect(pem.code).toBe(2);
    expect(pem.stderr).toMatch(/public key/);

    writeFileSync(
      ws.at('leak.jwk'),
      JSON.stringify(createPrivateKey(ws.read('leak.key')).export({ format: 'jwk' })),
    );
    const jwk = await ws.cli(
      ...agencyAddArgs({ id: 'leak-jwk', type: 'jobcenter', csr: 'leak.csr', out: 'leak-jwk.crt' }),
      '--encryption-key',
      'leak.jwk',
    );
    expect(jwk.code).toBe(2);
    expect(jwk.stderr).toContain('send the public key only');

    expect(ws.has('leak-pem.crt')).toBe(false);
    expect(ws.has('leak-jwk.crt')).toBe(false);
    expect(ws.principalIds()).not.toContain('leak-pem');
    expect(ws.principalIds()).not.toContain('leak-jwk');
  });

  it('registers a data-protection officer whose certificate OpenSSL verifies; refuses the role admin', async () => {
    ws.keyAndCsr('dsb', P256);
    const dpo = await ws.cli(
      'principal',
      'add',
      '--tenant',
      'koeln',
      '--id',
      'dsb-koeln',
      '--role',
      'dpo',
      '--csr',
      'dsb.csr',
      '--out',
      'dpo.crt',
    );
    expect(dpo.code, dpo.stderr).toBe(0);
    expect(dpo.stdout).toContain('registered dpo dsb-koeln in tenant koeln');
    expect(printed(dpo.stdout).serial).toBe(
      ws.serialOf('dpo.crt').toLowerCase().replace(/^0+/, ''),
    );
    expect(ws.openssl('verify', '-CAfile', 'ca.pem', 'dpo.crt')).toBe('dpo.crt: OK\n');
    expect(ws.openssl('x509', '-in', 'dpo.crt', '-noout', '-ext', 'subjectAltName')).toContain(
      'URI:urn:consent-gateway:koeln:dpo:dsb-koeln',
    );
    expect(
      ws.query<{ kind: string; agency_type: string | null }>(
        "SELECT kind, agency_type FROM principals WHERE tenant_id = 'koeln' AND id = 'dsb-koeln'",
      ),
    ).toEqual([{ kind: 'dpo', agency_type: null }]);

    const admin = await ws.cli(
      'principal',
      'add',
      '--tenant',
      'koeln',
      '--id',
      'root-koeln',
      '--role',
      'admin',
      '--csr',
      'dsb.csr',
      '--out',
      'admin.crt',
    );
    expect(admin.code).toBe(2);
    expect(admin.stderr).toBe(
      "consent-gateway: --role is dpo, operator or monitor\nrun 'consent-gateway principal add --help' for usage\n",
    );
    expect(ws.has('admin.crt')).toBe(false);
    expect(ws.principalIds()).not.toContain('root-koeln');
  });
});

describe('cert revoke and the CRL, checked by OpenSSL', () => {
  let ws: Workspace;
  /** Serials as `openssl x509 -serial` prints them (upper-case hex). */
  const serials: Record<string, string> = {};

  beforeAll(async () => {
    ws = await koelnWorkspace({ ca: true });
    const ids = ['jc-eins', 'jc-zwei', 'jc-drei'];
    for (const id of ids) ws.keyAndCsr(id, P256);
    // Three operators at once: the CLI processes share the database file without losing a write.
    const added = await Promise.all(
      ids.map((id) =>
        ws.cliProcess(
          ...agencyAddArgs({ id: id, type: 'jobcenter', csr: `${id}.csr`, out: `${id}.crt` }),
        ),
      ),
    );
    ids.forEach((id, index) => {
      const result = added[index];
      if (result) succeeded(result, `agency add ${id}`);
      serials[id] = ws.serialOf(`${id}.crt`);
    });
  });

  const serial = (id: string): string => {
    const value = serials[id];
    if (value === undefined) throw new Error(`no certificate ${id}`);
    return value;
  };

  it('revokes by the upper-case serial `openssl x509 -serial` prints', async () => {
    const result = await ws.cli(
      'cert',
      'revoke',
      '--tenant',
      'koeln',
      '--serial',
      serial('jc-eins'),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`revoked certificate ${serial('jc-eins')}`);
  });

  it('revokes by a serial with leading zeros added', async () => {
    const result = await ws.cli(
      'cert',
      'revoke',
      '--tenant',
      'koeln',
      '--serial',
      `000${serial('jc-zwei')}`,
    );
    expect(result.code, result.stderr).toBe(0);
  });

  it('writes a CRL that makes OpenSSL refuse exactly the revoked certificates', async () => {
    const result = await ws.cli('crl', '--tenant', 'koeln', '--out', 'crl.pem');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('CRL written to crl.pem');

    // The CRL is signed by the tenant CA.
    const signature = ws.opensslResult('crl', '-in', 'crl.pem', '-CAfile', 'ca.pem', '-noout');
    expect(signature.status).toBe(0);
    expect(signature.output).toContain('verify OK');

    for (const id of ['jc-eins', 'jc-zwei']) {
      const verify = ws.opensslResult(
        'verify',
        '-crl_check',
        '-CRLfile',
        'crl.pem',
        '-CAfile',
        'ca.pem',
        `${id}.crt`,
      );
      expect(verify.status, id).not.toBe(0);
      expect(verify.output, id).toContain('certificate revoked');
    }
    const intact = ws.opensslResult(
      'verify',
      '-crl_check',
      '-CRLfile',
      'crl.pem',
      '-CAfile',
      'ca.pem',
      'jc-drei.crt',
    );
    expect(intact.output).toContain('jc-drei.crt: OK');
    expect(intact.status).toBe(0);

    const text = ws.openssl('crl', '-in', 'crl.pem', '-noout', '-text');
    expect(text).toContain(`Serial Number: ${serial('jc-eins')}`);
    expect(text).toContain(`Serial Number: ${serial('jc-zwei')}`);
    expect(text).not.toContain(serial('jc-drei'));
    expect(text).toMatch(/X509v3 CRL Number:\s+\d+/);
  });

  it('refuses an unknown serial (exit 1), a revoked one again (exit 1, conflict) and a non-hex one (exit 2)', async () => {
    const [unknown, again, notHex] = await Promise.all([
      ws.cli('cert', 'revoke', '--tenant', 'koeln', '--serial', 'DEADBEEF01'),
      ws.cli('cert', 'revoke', '--tenant', 'koeln', '--serial', `serial=${serial('jc-eins')}`),
      ws.cli('cert', 'revoke', '--tenant', 'koeln', '--serial', 'jc-drei'),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no certificate with serial deadbeef01');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('revoked already');
    expect(notHex.code).toBe(2);
    expect(notHex.stderr).toContain('hexadecimal');

    // Nothing else was revoked on the way.
    expect(
      ws.query<{ principal_id: string }>(
        "SELECT principal_id FROM certificates WHERE tenant_id = 'koeln' AND revoked_at IS NOT NULL ORDER BY principal_id",
      ),
    ).toEqual([{ principal_id: 'jc-eins' }, { principal_id: 'jc-zwei' }]);
  });
});

describe('ca import: agencies with certificates from an external CA', () => {
  let ws: Workspace;
  const leafExtensions = [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=clientAuth',
    '',
  ].join('\n');

  /** A self-signed RSA-3072 CA made by `openssl req -x509`. */
  const makeCa = (name: string, cn: string): void => {
    ws.openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:3072',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-subj',
      `/CN=${cn}`,
      '-days',
      '30',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      `${name}.pem`,
    );
  };
  /** An agency certificate for `leaf.csr`, issued by that CA with `openssl x509 -req`. */
  const issueLeaf = (ca: string, out: string): void => {
    ws.openssl(
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-days',
      '10',
      '-extfile',
      'leaf.ext',
      '-out',
      out,
    );
  };

  beforeAll(async () => {
    ws = await koelnWorkspace({ ca: false });
    makeCa('ext-ca', 'Verwaltungs-PKI Test CA');
    makeCa('other-ca', 'Not Imported Test CA');
    writeFileSync(ws.at('leaf.ext'), leafExtensions);
    ws.keyAndCsr('leaf', rsa(3072));
    issueLeaf('ext-ca', 'leaf.crt');
    issueLeaf('ext-ca', 'leaf-2.crt');
    issueLeaf('other-ca', 'stray.crt');
  });

  it('imports an OpenSSL-made RSA-3072 CA', async () => {
    const result = await ws.cli('ca', 'import', '--tenant', 'koeln', '--cert', 'ext-ca.pem');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('trusting CN=Verwaltungs-PKI Test CA');
    expect(
      ws.query<{ source: string; subject: string }>(
        "SELECT source, subject FROM trust_anchors WHERE tenant_id = 'koeln' ORDER BY source",
      ),
    ).toEqual([
      { source: 'imported', subject: 'CN=Verwaltungs-PKI Test CA' },
      { source: 'tenant_ca', subject: expect.stringContaining('Consent Gateway CA') as unknown },
    ]);
  });

  it('registers an agency by a certificate that CA issued', async () => {
    expect(ws.openssl('verify', '-CAfile', 'ext-ca.pem', 'leaf.crt')).toBe('leaf.crt: OK\n');
    const result = await ws.cli(
      'agency',
      'add',
      '--tenant',
      'koeln',
      '--id',
      'abh-extern',
      '--type',
      'immigration_office',
      '--cert',
      'leaf.crt',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'registered agency abh-extern (immigration_office) in tenant koeln',
    );
    expect(printed(result.stdout).serial).toBe(
      ws.serialOf('leaf.crt').toLowerCase().replace(/^0+/, ''),
    );
    expect(
      ws.query<{ issued_by_gateway: number }>(
        "SELECT issued_by_gateway FROM certificates WHERE tenant_id = 'koeln' AND principal_id = 'abh-extern'",
      ),
    ).toEqual([{ issued_by_gateway: 0 }]);
  });

  it('refuses a certificate from a CA that was not imported, naming the chain', async () => {
    const result = await ws.cli(
      'agency',
      'add',
      '--tenant',
      'koeln',
      '--id',
      'abh-stray',
      '--type',
      'immigration_office',
      '--cert',
      'stray.crt',
    );
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toMatch(/chain does not lead to a trusted CA/);
    expect(ws.principalIds()).not.toContain('abh-stray');
  });

  it('refuses to import a certificate that is not a CA', async () => {
    const result = await ws.cli('ca', 'import', '--tenant', 'koeln', '--cert', 'leaf.crt');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not a CA certificate');
    expect(
      ws.query<{ n: number }>("SELECT COUNT(*) AS n FROM trust_anchors WHERE tenant_id = 'koeln'"),
    ).toEqual([{ n: 2 }]);
  });

  it('holds an agency id given with --cert to the same rules as with --csr', async () => {
    // With --csr, "Bad ID!" is refused (exit 2) when the certificate is issued; --cert must not
    // let it in by the side door, since the id ends up in URNs, audit entries and assertions.
    const result = await ws.cli(
      'agency',
      'add',
      '--tenant',
      'koeln',
      '--id',
      'Bad ID!',
      '--type',
      'immigration_office',
      '--cert',
      'leaf-2.crt',
    );
    expect(ws.principalIds()).not.toContain('Bad ID!');
    expect(result.code).toBe(2);
  });

  it('refuses the same certificate for a second agency as a conflict about the certificate', async () => {
    const result = await ws.cli(
      'agency',
      'add',
      '--tenant',
      'koeln',
      '--id',
      'abh-zweitakte',
      '--type',
      'immigration_office',
      '--cert',
      'leaf.crt',
    );
    expect(result.code).toBe(1);
    expect(ws.principalIds()).not.toContain('abh-zweitakte');
    // No principal abh-zweitakte exists; what exists already is the certificate.
    expect(result.stderr).not.toContain('principal abh-zweitakte exists already');
    expect(result.stderr).toMatch(/certificate/i);
  });
});

describe('keys rotate', () => {
  it('makes a new active signing key and retires the old one', async () => {
    const ws = await koelnWorkspace({ ca: false });
    const signingKeys = () =>
      ws.query<{ kid: string; status: string }>(
        "SELECT kid, status FROM tenant_keys WHERE tenant_id = 'koeln' AND use = 'signing' ORDER BY created_at, rowid",
      );
    const before = signingKeys();
    expect(before).toEqual([{ kid: expect.any(String) as unknown, status: 'active' }]);

    const result = await ws.cli('keys', 'rotate', '--tenant', 'koeln');
    expect(result.code, result.stderr).toBe(0);
    const kid = /new signing key (\S+) is active/.exec(result.stdout)?.[1];
    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kid).not.toBe(before[0]?.kid);

    expect(signingKeys()).toEqual([
      { kid: before[0]?.kid, status: 'retired' },
      { kid, status: 'active' },
    ]);
    // The CA and the OpenPGP key are not touched.
    expect(
      ws.query<{ use: string; n: number }>(
        "SELECT use, COUNT(*) AS n FROM tenant_keys WHERE tenant_id = 'koeln' AND use != 'signing' AND status = 'active' GROUP BY use ORDER BY use",
      ),
    ).toEqual([
      { use: 'ca', n: 1 },
      { use: 'openpgp', n: 1 },
    ]);
  });
});

describe('refusals of `agency add`', () => {
  let ws: Workspace;

  beforeAll(async () => {
    ws = await koelnWorkspace({ ca: false });
    ws.keyAndCsr('jc', P256);
    succeeded(
      await ws.cli(
        ...agencyAddArgs({ id: 'jc-koeln', type: 'jobcenter', csr: 'jc.csr', out: 'jc.crt' }),
      ),
      'agency add jc-koeln',
    );
  });

  const add = (...args: string[]): Promise<CliResult> =>
    ws.cli('agency', 'add', '--tenant', 'koeln', ...args);

  it("without --type: exit 2 with one line, and the types in the command's help", async () => {
    const result = await add('--id', 'jc-neu', '--csr', 'jc.csr', '--out', 'neu.crt');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "consent-gateway: --type is required\nrun 'consent-gateway agency add --help' for usage\n",
    );
    const help = await ws.cli('agency', 'add', '--help');
    expect(help.stdout).toContain('immigration_office, jobcenter, social_office');
    expect(ws.has('neu.crt')).toBe(false);
  });

  it('for an unknown tenant: exit 1 with a clear message, and nothing is created', async () => {
    const filesBefore = readdirSync(ws.dataDir).sort();
    const result = await ws.cli(
      ...agencyAddArgs({
        id: 'jc-nowhere',
        type: 'jobcenter',
        csr: 'jc.csr',
        out: 'nowhere.crt',
        tenant: 'nowhere',
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('consent-gateway: no tenant nowhere\n');
    expect(ws.has('nowhere.crt')).toBe(false);
    expect(readdirSync(ws.dataDir).sort()).toEqual(filesBefore);
    expect(ws.query<{ id: string }>('SELECT id FROM tenants')).toEqual([{ id: 'koeln' }]);
    expect(ws.query('SELECT id FROM principals WHERE tenant_id = ?', 'nowhere')).toEqual([]);
  });

  it('against a data dir that does not exist: exit 1, and no data dir appears', async () => {
    // An operator's typo in --data must not leave an empty database (or a key file) behind.
    const typo = ws.at('dta');
    const result = await ws.cli(
      '--data',
      typo,
      ...agencyAddArgs({ id: 'jc-typo', type: 'jobcenter', csr: 'jc.csr', out: 'typo.crt' }),
    );
    expect(result.code).toBe(1);
    expect(ws.has('typo.crt')).toBe(false);
    expect(existsSync(typo)).toBe(false);
  });

  it('with --type wizard: exit 2 naming the types there are', async () => {
    const result = await add(
      '--id',
      'jc-wizard',
      '--type',
      'wizard',
      '--csr',
      'jc.csr',
      '--out',
      'wizard.crt',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'agency type must be one of immigration_office, jobcenter, social_office',
    );
    expect(ws.has('wizard.crt')).toBe(false);
    expect(ws.principalIds()).not.toContain('jc-wizard');
  });

  it('with a CSR file that is garbage: exit 2', async () => {
    writeFileSync(ws.at('garbage.csr'), 'this is not a certificate request\n');
    const result = await add(
      '--id',
      'jc-garbage',
      '--type',
      'jobcenter',
      '--csr',
      'garbage.csr',
      '--out',
      'garbage.crt',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^consent-gateway: /);
    expect(ws.has('garbage.crt')).toBe(false);
    expect(ws.principalIds()).not.toContain('jc-garbage');
  });

  it('with an agency id that exists: exit 1, and the registered agency keeps its certificate', async () => {
    ws.keyAndCsr('jc-second', P256);
    const result = await add(
      '--id',
      'jc-koeln',
      '--type',
      'jobcenter',
      '--csr',
      'jc-second.csr',
      '--out',
      'dup.crt',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('jc-koeln exists already');
    expect(ws.has('dup.crt')).toBe(false);
    expect(
      ws.query<{ certificate_pem: string }>(
        "SELECT certificate_pem FROM certificates WHERE tenant_id = 'koeln' AND principal_id = 'jc-koeln'",
      ),
    ).toEqual([{ certificate_pem: ws.read('jc.crt') }]);
  });
});

describe('private keys at rest', () => {
  it('no database file holds a private key in the clear, a private JWK member or the master key', () => {
    const files = workspaces.flatMap((ws) =>
      ['gateway.db', 'gateway.db-wal']
        .map((name) => join(ws.dataDir, name))
        .filter((file) => existsSync(file)),
    );
    // Every describe above left a tenant with a CA, signing keys, an OpenPGP key and agencies.
    expect(files.filter((file) => file.endsWith('gateway.db')).length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.includes('PRIVATE KEY'), file).toBe(false);
      expect(bytes.includes('"d":'), file).toBe(false);
      expect(bytes.includes(masterKey), file).toBe(false);
      expect(bytes.includes(masterKey.toUpperCase()), file).toBe(false);
    }
    // The wrapped keys are there, just not readable: AES-GCM ciphertext, one per key.
    for (const ws of workspaces.filter((w) => existsSync(join(w.dataDir, 'gateway.db')))) {
      const rows = ws.query<{ wrapped_private: string }>('SELECT wrapped_private FROM tenant_keys');
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const row of rows) {
        expect(Object.keys(JSON.parse(row.wrapped_private) as object).sort()).toEqual([
          'alg',
          'ciphertext',
          'iv',
        ]);
      }
      expect(existsSync(join(ws.dataDir, 'master.key'))).toBe(false);
    }
  });
});
