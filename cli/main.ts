import { parseArgs } from 'node:util';
import { useSha256 } from '../core/index.ts';
import { isKeyUnwrapError } from '../certs/index.ts';
import { isGatewayError } from '../core/index.ts';
import { nodeSha256 } from '../gateway/node-sha256.ts';
import { gatewayVersion } from '../gateway/version.ts';
import { auditVerifyCommand } from './commands/audit.ts';
import { backupCommand, restoreCommand } from './commands/backup.ts';
import { openCommand, signCommand, tokenCommand } from './commands/client.ts';
import { demoCommand } from './commands/demo.ts';
import { initCommand } from './commands/init.ts';
import { monitorComputeCommand } from './commands/monitor.ts';
import {
  agencyAddCommand,
  caCommand,
  caImportCommand,
  certRevokeCommand,
  crlCommand,
  keysRotateCommand,
  principalAddCommand,
} from './commands/pki.ts';
import { tenantSetCommand } from './commands/tenant.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io.ts';
import { usage } from './usage.ts';

/** A command gets its own arguments and the data dir chosen before it (it may override it). */
type Command = (args: string[], dataDir: string, io: CliIo) => Promise<number>;

const commands: Readonly<Record<string, Command>> = {
  init: initCommand,
  'agency add': agencyAddCommand,
  'principal add': principalAddCommand,
  'cert revoke': certRevokeCommand,
  crl: crlCommand,
  ca: caCommand,
  'ca import': caImportCommand,
  'keys rotate': keysRotateCommand,
  'tenant set': tenantSetCommand,
  'audit verify': auditVerifyCommand,
  'monitor compute': monitorComputeCommand,
  token: tokenCommand,
  sign: signCommand,
  open: openCommand,
  demo: demoCommand,
  backup: backupCommand,
  restore: restoreCommand,
};

/**
 * Runs one CLI invocation and answers its exit code. Global options may come before the command;
 * each command parses its own options strictly, so a misspelt flag is an error, never ignored.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  useSha256(nodeSha256);
  const verbAt = findVerb(argv);
  const globalArgs = verbAt === -1 ? argv : argv.slice(0, verbAt);
  let values;
  try {
    ({ values } = parseArgs({
      args: globalArgs,
      options: {
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usageFailure(io, error);
  }
  if (values.help === true) {
    io.stdout.write(usage);
    return EXIT_OK;
  }
  if (verbAt === -1) {
    if (values.version === true) {
      io.stdout.write(`${gatewayVersion}\n`);
      return EXIT_OK;
    }
    return usageFailure(io, new UsageError('no command given'));
  }
  // Two-word commands ("agency add", "ca import") take the next word when it forms one.
  const first = argv[verbAt] ?? '';
  const second = argv[verbAt + 1] ?? '';
  const twoWords = Object.hasOwn(commands, `${first} ${second}`);
  const verb = twoWords ? `${first} ${second}` : first;
  const rest = argv.slice(verbAt + (twoWords ? 2 : 1));
  const command = Object.hasOwn(commands, verb) ? commands[verb] : undefined;
  if (!command) return usageFailure(io, new UsageError(`unknown command: ${verb}`));
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(usage);
    return EXIT_OK;
  }
  const dataDir = values.data ?? nonEmpty(io.env['GATEWAY_DATA_DIR']) ?? './data';
  try {
    return await command(rest, dataDir, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) return usageFailure(io, error);
    if (isGatewayError(error)) {
      const issues = (error.errors ?? []).map((issue) => `  ${issue.message}\n`);
      io.stderr.write(`consent-gateway: ${error.message}\n${issues.join('')}`);
      return error.code === 'validation_failed' ? EXIT_USAGE : EXIT_FAILED;
    }
    if (isKeyUnwrapError(error) && error.reason === 'wrong_master_key') {
      io.stderr.write(
        `consent-gateway: ${verb} refused: ${error.message}; nothing was changed ` +
          '(set GATEWAY_MASTER_KEY to the key this data dir was made with)\n',
      );
      return EXIT_FAILED;
    }
    io.stderr.write(
      `consent-gateway: ${verb} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT_FAILED;
  }
}

/** Index of the command name: the first argument that is neither an option nor an option's value. */
function findVerb(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--data') i++;
    else if (!arg.startsWith('-')) return i;
  }
  return -1;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

function usageFailure(io: CliIo, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`consent-gateway: ${message}\n\n${usage}`);
  return EXIT_USAGE;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
  );
}
