/**
 * The CLI's help, one entry per command: `--help` assembles all of them, `<command> --help` and
 * `help <command>` print one. Each entry is written once, here.
 */

/** One way to call a command, with what it does. */
interface CommandForm {
  /** What follows the command name: the first line, then continuation lines. */
  readonly synopsis: readonly string[];
  /** What the command does, in lines. */
  readonly about: readonly string[];
}

/** A command's help: its forms, and whether it works on a data dir (then --data applies). */
export interface CommandHelp {
  readonly command: string;
  readonly forms: readonly CommandForm[];
  readonly dataDir: boolean;
  readonly group: 'operator' | 'agency-side';
}

const operator = (command: string, ...forms: CommandForm[]): CommandHelp => ({
  command,
  forms,
  dataDir: true,
  group: 'operator',
});
const offline = (command: string, ...forms: CommandForm[]): CommandHelp => ({
  command,
  forms,
  dataDir: false,
  group: 'operator',
});
const agencySide = (command: string, ...forms: CommandForm[]): CommandHelp => ({
  command,
  forms,
  dataDir: false,
  group: 'agency-side',
});

/** Every command's help, in the order the full usage lists them. */
export const COMMAND_HELP: readonly CommandHelp[] = [
  operator('init', {
    synopsis: ['--tenant ID [--name NAME] [--from-template nrw]'],
    about: [
      'create the data dir and a tenant with its CA, signing key and OpenPGP key',
      '(id: lower-case letters, digits, hyphens; 2-63 characters); --from-template nrw starts a',
      'municipality of "Einwanderung gestalten NRW": sets the LDI NRW as supervisory authority,',
      "joins the programme view nrw, and writes the programme's policy set (policy.json, to adapt",
      'and run with GATEWAY_POLICY_FILE) and NEXT-STEPS.md to DIR/templates/ID/',
    ],
  }),
  operator(
    'agency add',
    {
      synopsis: [
        '--tenant ID --id AGENCY --type TYPE --csr FILE --out CERT',
        '[--name NAME] [--pgp-key FILE] [--encryption-key FILE] [--webhook URL]',
        '[--address TEXT] [--dpo-contact TEXT] [--validity-days N]',
      ],
      about: [
        'register an agency and issue its certificate from its CSR',
        '(TYPE: immigration_office, jobcenter, social_office; address and DPO contact are',
        'printed in every consent notice naming the agency)',
      ],
    },
    {
      synopsis: ['--tenant ID --id AGENCY --type TYPE --cert FILE [...]'],
      about: ['register an agency by a certificate from an imported CA'],
    },
  ),
  operator('principal add', {
    synopsis: ['--tenant ID --id NAME --role dpo|operator|monitor --csr FILE --out CERT'],
    about: [
      "register a data-protection officer, operator or monitor (a steering group's reader of",
      'aggregated figures only)',
    ],
  }),
  operator('cert revoke', {
    synopsis: ['--tenant ID --serial HEX'],
    about: ['revoke a certificate (serial as openssl x509 -serial prints it)'],
  }),
  operator('crl', {
    synopsis: ['--tenant ID --out FILE'],
    about: ["write the tenant CA's current CRL (PEM)"],
  }),
  operator('ca', {
    synopsis: ['--tenant ID --out FILE'],
    about: ['write the tenant CA certificate (PEM)'],
  }),
  operator('ca import', {
    synopsis: ['--tenant ID --cert FILE'],
    about: ['trust an external CA (e.g. the administration PKI) for agency certificates'],
  }),
  operator('keys rotate', {
    synopsis: ['--tenant ID'],
    about: ['new signing key; old ones stay published'],
  }),
  operator(
    'tenant set',
    {
      synopsis: [
        '--tenant ID --supervisory-authority-name NAME',
        '--supervisory-authority-address TEXT --supervisory-authority-email ADDR',
        '--supervisory-authority-url URL',
      ],
      about: [
        'the data-protection authority notices and receipts name for complaints',
        '(default: LDI NRW)',
      ],
    },
    {
      synopsis: ['--tenant ID --programme ID|none'],
      about: [
        "take part in a programme's monitoring view across municipalities (its monitors see this",
        "tenant's totals), or leave it",
      ],
    },
    {
      synopsis: [
        '--tenant ID [--name NAME] [--address LINE]... [--dpo-contact LINE]...',
        '[--accessibility-contact LINE]... [--operator LINE]...',
        '[--representative LINE]...',
      ],
      about: [
        "the profile the portal's Impressum, privacy and accessibility statements and help show:",
        "the municipality's name, postal address, how to reach its data-protection officer, where",
        'to report barriers, who operates the site (name, address, contact) and who represents it',
        '(optional). Repeat a flag, or write \\n in its value, for more lines; a flag given replaces',
        'that field, the others stay. With GATEWAY_ENV=production the gateway starts only when all',
        'but the representative are set',
      ],
    },
  ),
  operator('tenant show', {
    synopsis: ['--tenant ID'],
    about: [
      "print the tenant's name, profile, supervisory authority and programme, and name the",
      'profile fields still missing with the command that sets them',
    ],
  }),
  operator('demo', {
    synopsis: [''],
    about: [
      'create the demo tenant with three agencies if missing (keys in DIR/demo, demo only), then',
      'run one consent-and-exchange round in process: request, grant, send, fetch, acknowledge',
    ],
  }),
  offline(
    'audit verify',
    {
      synopsis: ['BUNDLE [--signature FILE] [--jwks FILE] [--openpgp-key FILE] [--verbose]'],
      about: [
        'check an audit export offline: OpenPGP signature, tree head signature, every entry and its',
        'inclusion proof; prints a summary (--verbose: every entry), and every failure;',
        'exit 0 only if all hold',
      ],
    },
    {
      synopsis: ['NEW --consistent-with OLD [--jwks FILE] [--openpgp-key FILE]'],
      about: [
        'check that an earlier export OLD is a prefix of a later, whole-log export NEW: each',
        "verifies, same tenant and log, OLD's entries are NEW's first ones, and an RFC 9162",
        'consistency proof holds between their signed roots; one line, exit 0 only if consistent',
      ],
    },
  ),
  offline('monitor compute', {
    synopsis: [
      'BUNDLE (--period P | --check REPORT) [--tree-size N] [--rule R] [--csv]',
      '[--signature FILE] [--jwks FILE] [--openpgp-key FILE]',
    ],
    about: [
      'recompute the monitoring figures (P: 2026-11, 2026-Q4 or 2026) from an audit export after',
      "checking it as audit verify does; --check REPORT: exit 0 only if a published report's",
      "figures are the log's",
    ],
  }),
  offline('receipt verify', {
    synopsis: ['FILE (--jwks FILE | --url BASE)'],
    about: [
      "check a person's consent receipt (compact JWS, ES256, typ consent-receipt+jwt) against",
      "the gateway's keys: --jwks FILE as saved from /.well-known/jwks.json, or --url BASE to",
      'fetch BASE/.well-known/jwks.json; prints what was agreed; exit 0 only if it verifies',
    ],
  }),
  operator('backup', {
    synopsis: ['--out FILE'],
    about: [
      'copy DIR/gateway.db consistently while the gateway runs (owner-only, never over an existing',
      "file); prints its size and each tenant's audit tree size. The master key is not in it.",
      'With GATEWAY_DATABASE_URL use pg_dump instead',
    ],
  }),
  operator('restore', {
    synopsis: ['FILE'],
    about: [
      'put a backup into an empty data dir no gateway serves; needs the master key',
      '(GATEWAY_MASTER_KEY, GATEWAY_MASTER_KEY_FILE or DIR/master.key) and checks that it opens',
      'the restored keys',
    ],
  }),
  agencySide('token', {
    synopsis: ['--key FILE --cert FILE [--aud URL]'],
    about: [
      'print a client assertion (valid 2 minutes) for the gateway at --aud',
      '(default: $GATEWAY_PUBLIC_URL, else http://localhost:$PORT, PORT 8787 if unset)',
    ],
  }),
  agencySide('sign', {
    synopsis: ['--key FILE --in MESSAGE.json'],
    about: ["print the sender's compact JWS over a message"],
  }),
  agencySide('open', {
    synopsis: ['--key FILE --in FETCHED.json'],
    about: ['decrypt a fetched JWE envelope, print its content'],
  }),
];

const OPTIONS = [
  '  --data DIR     data directory (default: $GATEWAY_DATA_DIR or ./data)',
  '  -h, --help     show this help',
];

const ENVIRONMENT = `Environment:
  GATEWAY_MASTER_KEY   32-byte key (hex or base64) wrapping every private key at rest;
                       without it the key lives in DIR/master.key (embedded default only)
  GATEWAY_MASTER_KEY_FILE
                       a file holding that key instead (e.g. a systemd credential), as the
                       gateway reads it; not together with GATEWAY_MASTER_KEY
  GATEWAY_DATABASE_URL postgres://… : work on the PostgreSQL database the gateway instances
                       share instead of DIR/gateway.db (needs the master key set)
`;

const EXIT_CODES = 'Exit codes: 0 done, 1 failed, 2 wrong command line.\n';

/** A command's forms, each synopsis line under the first, then what it does. */
function formLines(help: CommandHelp, prefix: string): string[] {
  const head = `  ${prefix}${help.command}`;
  // Under the first option where that fits, else a fixed step in (keeps lines within 100).
  const continuation = ' '.repeat(Math.min(head.length + 1, 20));
  return help.forms.flatMap((form) => {
    const [first = '', ...more] = form.synopsis;
    return [
      first === '' ? head : `${head} ${first}`,
      ...more.map((line) => continuation + line),
      ...form.about.map((line) => `      ${line}`),
    ];
  });
}

/** The whole usage, as `consent-gateway --help` prints it. */
export const usage = [
  'Usage: consent-gateway [--data DIR] <command> [options]',
  '',
  'Operator and data-protection officer tools for the consent gateway.',
  '',
  'Commands:',
  ...COMMAND_HELP.filter((h) => h.group === 'operator').flatMap((h) => formLines(h, '')),
  '',
  'Agency-side helpers (for trying the gateway out; EC P-256 PKCS#8 keys):',
  ...COMMAND_HELP.filter((h) => h.group === 'agency-side').flatMap((h) => formLines(h, '')),
  '',
  'Run consent-gateway <command> --help (or consent-gateway help <command>) for one command.',
  '',
  'Options:',
  ...OPTIONS,
  '  --version      show the version',
  '',
  ENVIRONMENT,
  EXIT_CODES,
].join('\n');

/** The commands of a group such as `agency` (`agency add`), or the one command named so. */
export function helpFor(name: string): readonly CommandHelp[] {
  const exact = COMMAND_HELP.filter((h) => h.command === name);
  return exact.length > 0 ? exact : COMMAND_HELP.filter((h) => h.command.startsWith(`${name} `));
}

/**
 * The help of one command (or of a group's commands), as `<command> --help` prints it: its forms
 * with the synopsis lines and what each does, then the options every command takes.
 */
export function commandUsage(helps: readonly CommandHelp[]): string {
  const dataDir = helps.some((h) => h.dataDir);
  return [
    'Usage:',
    ...helps.flatMap((h) => formLines(h, 'consent-gateway ')),
    '',
    'Options:',
    ...(dataDir ? OPTIONS : OPTIONS.slice(1)),
    '',
    ...(dataDir ? [ENVIRONMENT] : []),
    EXIT_CODES,
  ].join('\n');
}
