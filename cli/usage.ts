export const usage = `Usage: consent-gateway [--data DIR] <command> [options]

Operator and data-protection officer tools for the consent gateway.

Commands:
  init --tenant ID [--name NAME]   create the data dir and a tenant (id: lower-case letters,
                                   digits, hyphens; 2-63 characters)

Options:
  --data DIR     data directory (default: $GATEWAY_DATA_DIR or ./data)
  -h, --help     show this help
  --version      show the version

Exit codes: 0 done, 1 failed, 2 wrong command line.
`;
