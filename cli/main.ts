import { parseArgs } from 'node:util';
import { isGatewayError } from '../core/index.ts';
import { useNodeCrypto } from '../gateway/node-crypto.ts';
import { gatewayVersion } from '../gateway/version.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io.ts';
import { commandUsage, helpFor, usage } from './usage.ts';

/** A command gets its own arguments and the data dir chosen before it (it may override it). */
type Command = (args: string[], dataDir: string, io: CliIo) => Promise<number>;

/*
 * Each command's module is loaded only when it runs: together they reach OpenPGP, X.509, SQLite,
 * PostgreSQL and the gateway's app, whose loading took most of a call's start-up (`--help` or
 * `token` need none of them). In the bundle (scripts/build-cli.mjs) each is a chunk of its own.
 */
const commands: Readonly<Record<string, () => Promise<Command>>> = {
  init: async () => (await import('./commands/init.ts')).initCommand,
  'agency add': async () => (await import('./commands/pki.ts')).agencyAddCommand,
  'principal add': async () => (await import('./commands/pki.ts')).principalAddCommand,
  'cert revoke': async () => (await import('./commands/pki.ts')).certRevokeCommand,
  crl: async () => (await import('./commands/pki.ts')).crlCommand,
  ca: async () => (await import('./commands/pki.ts')).caCommand,
  'ca import': async () => (await import('./commands/pki.ts')).caImportCommand,
  'keys rotate': async () => (await import('./commands/pki.ts')).keysRotateCommand,
  'tenant set': async () => (await import('./commands/tenant.ts')).tenantSetCommand,
  'tenant show': async () => (await import('./commands/tenant.ts')).tenantShowCommand,
  'audit verify': async () => (await import('./commands/audit.ts')).auditVerifyCommand,
  'monitor compute': async () => (await import('./commands/monitor.ts')).monitorComputeCommand,
  'receipt verify': async () => (await import('./commands/receipt.ts')).receiptVerifyCommand,
  token: async () => (await import('./commands/client.ts')).tokenCommand,
  sign: async () => (await import('./commands/client.ts')).signCommand,
  open: async () => (await import('./commands/client.ts')).openCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
  backup: async () => (await import('./commands/backup.ts')).backupCommand,
  restore: async () => (await import('./commands/backup.ts')).restoreCommand,
};

/** The commands there are, by name; each has its entry in the usage (`COMMAND_HELP`). */
export const commandNames: readonly string[] = Object.keys(commands);

/**
 * Runs one CLI invocation and answers its exit code. Global options may come before the command;
 * each command parses its own options strictly, so a misspelt flag is an error, never ignored.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  useNodeCrypto();
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
  const load = Object.hasOwn(commands, verb) ? commands[verb] : undefined;
  if (!load) {
    const group = helpFor(verb);
    if (group.length === 0) return usageFailure(io, new UsageError(`unknown command: ${verb}`));
    if (wantsHelp) return printHelp(io, [verb]);
    const known = group.map((h) => h.command).join(', ');
    return usageFailure(io, new UsageError(`${verb} needs one of: ${known}`), verb);
  }
  if (wantsHelp) return printHelp(io, [verb]);
  const dataDir = values.data ?? nonEmpty(io.env['GATEWAY_DATA_DIR']) ?? './data';
  try {
    const command = await load();
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
    // Loaded here, not up front: certs/ reaches X.509, which a call that succeeds may not need.
    const { isKeyUnwrapError } = await import('../certs/index.ts');
    if (isKeyUnwrapError(error) && error.reason === 'wrong_master_key') {
      io.stderr.write(
        `consent-gateway: ${verb} refused: ${error.message}; nothing was changed ` +
          '(set GATEWAY_MASTER_KEY or GATEWAY_MASTER_KEY_FILE to the key this data dir was made with)\n',
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
