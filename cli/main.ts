import { parseArgs } from 'node:util';
import { useSha256 } from '../core/index.ts';
import { isKeyUnwrapError } from '../certs/index.ts';
import { isGatewayError } from '../core/index.ts';
import { nodeSha256 } from '../gateway/node-sha256.ts';
import { gatewayVersion } from '../gateway/version.ts';
import { auditVerifyCommand } from './commands/audit.ts';
import { backupCommand, restoreCommand } from './commands/backup.ts';
import { openCommand, signCommand, tokenCommand } from './commands/client.ts';
import { receiptVerifyCommand } from './commands/receipt.ts';
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
import { commandUsage, helpFor, usage } from './usage.ts';

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
  'receipt verify': receiptVerifyCommand,
  token: tokenCommand,
  sign: signCommand,
  open: openCommand,
  demo: demoCommand,
  backup: backupCommand,
  restore: restoreCommand,
};

/** The commands there are, by name; each has its entry in the usage (`COMMAND_HELP`). */
export const commandNames: readonly string[] = Object.keys(commands);

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
  const words = verbAt === -1 ? [] : argv.slice(verbAt);
  if (words[0] === 'help') return printHelp(io, words.slice(1));
  if (values.help === true) return printHelp(io, words);
  if (verbAt === -1) {
    if (values.version === true) {
      io.stdout.write(`${gatewayVersion}\n`);
      return EXIT_OK;
    }
    return usageFailure(io, new UsageError('no command given'));
  }
  const { verb, rest } = commandOf(words);
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  const command = Object.hasOwn(commands, verb) ? commands[verb] : undefined;
  if (!command) {
    const group = helpFor(verb);
    if (group.length === 0) return usageFailure(io, new UsageError(`unknown command: ${verb}`));
    if (wantsHelp) return printHelp(io, [verb]);
    const known = group.map((h) => h.command).join(', ');
    return usageFailure(io, new UsageError(`${verb} needs one of: ${known}`), verb);
  }
  if (wantsHelp) return printHelp(io, [verb]);
  const dataDir = values.data ?? nonEmpty(io.env['GATEWAY_DATA_DIR']) ?? './data';
  try {
    return await command(rest, dataDir, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error))
      return usageFailure(io, error, verb);
    if (isGatewayError(error)) {
      // One line: the refusal, then each issue it has, after a colon.
      const issues = (error.errors ?? []).map((issue) => issue.message);
      const message = [error.message, issues.join('; ')].filter((part) => part !== '').join(': ');
      if (error.code === 'validation_failed') return usageFailure(io, new Error(message), verb);
      io.stderr.write(`consent-gateway: ${message}\n`);
      return EXIT_FAILED;
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

/** Two-word commands ("agency add", "ca import") take the second word when it forms one. */
function commandOf(words: readonly string[]): { verb: string; rest: string[] } {
  const [first = '', second = ''] = words;
  const twoWords = Object.hasOwn(commands, `${first} ${second}`);
  return { verb: twoWords ? `${first} ${second}` : first, rest: words.slice(twoWords ? 2 : 1) };
}

/**
 * `--help`, `help`, `<command> --help`, `help <command>`: the whole usage without a command, the
 * command's own (or its group's, for `agency`) with one; an unknown name is a usage error.
 */
function printHelp(io: CliIo, words: readonly string[]): number {
  const named = words.filter((word) => !word.startsWith('-'));
  if (named.length === 0) {
    io.stdout.write(usage);
    return EXIT_OK;
  }
  const { verb } = commandOf(named);
  const helps = helpFor(verb);
  if (helps.length === 0) return usageFailure(io, new UsageError(`unknown command: ${verb}`));
  io.stdout.write(commandUsage(helps));
  return EXIT_OK;
}

/** A wrong command line: one line saying what is wrong, one saying where the usage is. */
function usageFailure(io: CliIo, error: unknown, verb?: string): number {
  const message = error instanceof Error ? error.message : String(error);
  const help = verb === undefined ? 'consent-gateway --help' : `consent-gateway ${verb} --help`;
  io.stderr.write(`consent-gateway: ${message}\nrun '${help}' for usage\n`);
  return EXIT_USAGE;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
  );
}
