import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  caCertificate,
  currentCrl,
  importTrustAnchor,
  registerWithCertificate,
  registerWithCsr,
  revokeCertificate,
  rotateSigningKey,
} from '../../certs/index.ts';
import { withPki } from '../context.ts';
import { EXIT_OK, UsageError, type CliIo } from '../io.ts';

const MAX_INPUT_FILE = 64 * 1024;

type Options = NonNullable<ParseArgsConfig['options']>;

function parse<O extends Options>(args: string[], options: O, required: (keyof O & string)[]) {
  const { values } = parseArgs({
    args,
    options: { ...options, data: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const record = values as Record<string, string | boolean | undefined>;
  for (const name of required) {
    if (record[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  return record;
}

const str = (values: Record<string, unknown>, name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};

/** Reads a small input file (CSR, certificate, key); refuses anything large. */
function readInput(path: string): string {
  const text = readFileSync(path, 'utf8');
  if (text.length > MAX_INPUT_FILE) throw new UsageError(`${path} is larger than 64 KiB`);
  return text;
}

function writeOutput(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o644 });
}

/**
 * `agency add --tenant ID --id AGENCY --type TYPE (--csr FILE --out CERT | --cert FILE)
 * [--address TEXT] [--dpo-contact TEXT] …`
 */
export async function agencyAddCommand(
  args: string[],
  dataDir: string,
  io: CliIo,
): Promise<number> {
  const v = parse(
    args,
    {
      tenant: { type: 'string' },
      id: { type: 'string' },
      type: { type: 'string' },
      name: { type: 'string' },
      csr: { type: 'string' },
      cert: { type: 'string' },
      out: { type: 'string' },
      'pgp-key': { type: 'string' },
      'encryption-key': { type: 'string' },
      webhook: { type: 'string' },
      address: { type: 'string' },
      'dpo-contact': { type: 'string' },
      'validity-days': { type: 'string' },
    },
    ['tenant', 'id', 'type'],
  );
  const csr = str(v, 'csr');
  const cert = str(v, 'cert');
  if ((csr === undefined) === (cert === undefined)) {
    throw new UsageError('agency add needs exactly one of --csr FILE (with --out) or --cert FILE');
  }
  if (csr !== undefined && str(v, 'out') === undefined)
    throw new UsageError('--csr needs --out CERT');
  const pgp = str(v, 'pgp-key');
  const enc = str(v, 'encryption-key');
  const name = str(v, 'name');
  const common = {
    tenantId: str(v, 'tenant') ?? '',
    id: str(v, 'id') ?? '',
    kind: 'agency' as const,
    agencyType: str(v, 'type') ?? '',
    ...(name === undefined ? {} : { displayName: name }),
    ...(pgp === undefined ? {} : { pgpPublicKey: readInput(pgp) }),
    ...(enc === undefined ? {} : { encryptionKey: readInput(enc) }),
    ...(str(v, 'webhook') === undefined ? {} : { webhookUrl: str(v, 'webhook') ?? '' }),
    // Printed in every consent notice that names this agency (controller, Art. 13 GDPR).
    ...(str(v, 'address') === undefined ? {} : { address: str(v, 'address') ?? '' }),
    ...(str(v, 'dpo-contact') === undefined ? {} : { dpoContact: str(v, 'dpo-contact') ?? '' }),
  };
  return withPki(str(v, 'data') ?? dataDir, io, async (deps) => {
    const registered =
      csr !== undefined
        ? await registerWithCsr(deps, { ...common, csrPem: readInput(csr), ...validity(v) })
        : await registerWithCertificate(deps, { ...common, certificatePem: readInput(cert ?? '') });
    const out = str(v, 'out');
    if (out !== undefined) writeOutput(out, registered.pem);
    io.stdout.write(
      `registered agency ${common.id} (${common.agencyType}) in tenant ${common.tenantId}\n` +
        `  serial ${registered.serial}\n  kid    ${registered.fingerprint}\n  valid until ${registered.notAfter}\n` +
        (out === undefined ? '' : `  certificate written to ${out}\n`),
    );
    return EXIT_OK;
  });
}

function validity(v: Record<string, unknown>): { validityDays?: number } {
  const days = str(v, 'validity-days');
  if (days === undefined) return {};
  const n = Number(days);
  if (!Number.isInteger(n) || n < 1 || n > 825) throw new UsageError('--validity-days is 1–825');
  return { validityDays: n };
}

/** `principal add --tenant ID --id NAME --role dpo|operator --csr FILE --out CERT` */
export async function principalAddCommand(
  args: string[],
  dataDir: string,
  io: CliIo,
): Promise<number> {
  const v = parse(
    args,
    {
      tenant: { type: 'string' },
      id: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      csr: { type: 'string' },
      out: { type: 'string' },
      'validity-days': { type: 'string' },
    },
    ['tenant', 'id', 'role', 'csr', 'out'],
  );
  const role = str(v, 'role');
  if (role !== 'dpo' && role !== 'operator' && role !== 'monitor')
    throw new UsageError('--role is dpo, operator or monitor');
  const name = str(v, 'name');
  return withPki(str(v, 'data') ?? dataDir, io, async (deps) => {
    const registered = await registerWithCsr(deps, {
      tenantId: str(v, 'tenant') ?? '',
      id: str(v, 'id') ?? '',
      kind: role,
      csrPem: readInput(str(v, 'csr') ?? ''),
      ...(name === undefined ? {} : { displayName: name }),
      ...validity(v),
    });
    const out = str(v, 'out') ?? '';
    writeOutput(out, registered.pem);
    io.stdout.write(
      `registered ${role} ${str(v, 'id') ?? ''} in tenant ${str(v, 'tenant') ?? ''}\n` +
        `  serial ${registered.serial}\n  kid    ${registered.fingerprint}\n  certificate written to ${out}\n`,
    );
    return EXIT_OK;
  });
}

/** `cert revoke --tenant ID --serial HEX` */
export async function certRevokeCommand(
  args: string[],
  dataDir: string,
  io: CliIo,
): Promise<number> {
  const v = parse(args, { tenant: { type: 'string' }, serial: { type: 'string' } }, [
    'tenant',
    'serial',
  ]);
  return withPki(str(v, 'data') ?? dataDir, io, async (deps) => {
    await revokeCertificate(deps, str(v, 'tenant') ?? '', str(v, 'serial') ?? '');
    io.stdout.write(
      `revoked certificate ${str(v, 'serial') ?? ''}; effective for the next request\n`,
    );
    return EXIT_OK;
  });
}

/** `crl --tenant ID --out FILE` */
export async function crlCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const v = parse(args, { tenant: { type: 'string' }, out: { type: 'string' } }, ['tenant', 'out']);
  return withPki(str(v, 'data') ?? dataDir, io, async (deps) => {
    writeOutput(str(v, 'out') ?? '', await currentCrl(deps, str(v, 'tenant') ?? ''));
    io.stdout.write(`CRL written to ${str(v, 'out') ?? ''}\n`);
    return EXIT_OK;
  });
}

/** `ca --tenant ID --out FILE` */
export async function caCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const v = parse(args, { tenant: { type: 'string' }, out: { type: 'string' } }, ['tenant', 'out']);
  return withPki(str(v, 'data') ?? dataDir, io, async (deps) => {
    writeOutput(str(v, 'out') ?? '', await caCertificate(deps.pki, str(v, 'tenant') ?? ''));
    io.stdout.write(`CA certificate written to ${str(v, 'out') ?? ''}\n`);
    return EXIT_OK;
  });
}

/** `ca import --tenant ID --cert FILE` */
export async function caImportCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const v = parse(args, { tenant: { type: 'string' }, cert: { type: 'string' } }, [
    'tenant',
    'cert',
  ]);
  return withPki(str(v, 'data') ?? dataDir, io, async (deps) => {
    const anchor = await importTrustAnchor(
      deps,
      str(v, 'tenant') ?? '',
      readInput(str(v, 'cert') ?? ''),
    );
    io.stdout.write(`trusting ${anchor.subject} (${anchor.fingerprint}) for agency certificates\n`);
    return EXIT_OK;
  });
}

/** `keys rotate --tenant ID` */
export async function keysRotateCommand(
  args: string[],
  dataDir: string,
  io: CliIo,
): Promise<number> {
  const v = parse(args, { tenant: { type: 'string' } }, ['tenant']);
  return withPki(str(v, 'data') ?? dataDir, io, async (deps) => {
    const kid = await rotateSigningKey(deps, str(v, 'tenant') ?? '');
    io.stdout.write(`new signing key ${kid} is active; older keys stay in the JWKS\n`);
    return EXIT_OK;
  });
}
