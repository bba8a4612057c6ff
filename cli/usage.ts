export const usage = `Usage: consent-gateway [--data DIR] <command> [options]

Operator and data-protection officer tools for the consent gateway.

Commands:
  init --tenant ID [--name NAME] [--from-template nrw]
      create the data dir and a tenant with its CA, signing key and OpenPGP key
      (id: lower-case letters, digits, hyphens; 2-63 characters); --from-template nrw starts a
      municipality of "Einwanderung gestalten NRW": sets the LDI NRW as supervisory authority,
      joins the programme view nrw, and writes the programme's policy set (policy.json, to adapt
      and run with GATEWAY_POLICY_FILE) and NEXT-STEPS.md to DIR/templates/ID/
  agency add --tenant ID --id AGENCY --type TYPE --csr FILE --out CERT
             [--name NAME] [--pgp-key FILE] [--encryption-key FILE] [--webhook URL]
             [--address TEXT] [--dpo-contact TEXT] [--validity-days N]
      register an agency and issue its certificate from its CSR
      (TYPE: immigration_office, jobcenter, social_office; address and DPO contact are
      printed in every consent notice naming the agency)
  agency add --tenant ID --id AGENCY --type TYPE --cert FILE [...]
      register an agency by a certificate from an imported CA
  principal add --tenant ID --id NAME --role dpo|operator|monitor --csr FILE --out CERT
      register a data-protection officer, operator or monitor (a steering group's reader of
      aggregated figures only)
  cert revoke --tenant ID --serial HEX
      revoke a certificate (serial as openssl x509 -serial prints it)
  crl --tenant ID --out FILE       write the tenant CA's current CRL (PEM)
  ca --tenant ID --out FILE        write the tenant CA certificate (PEM)
  ca import --tenant ID --cert FILE
      trust an external CA (e.g. the administration PKI) for agency certificates
  keys rotate --tenant ID          new signing key; old ones stay published
  tenant set --tenant ID --supervisory-authority-name NAME
             --supervisory-authority-address TEXT --supervisory-authority-email ADDR
             --supervisory-authority-url URL
      the data-protection authority notices and receipts name for complaints
      (default: LDI NRW)
  tenant set --tenant ID --programme ID|none
      take part in a programme's monitoring view across municipalities (its monitors see this
      tenant's totals), or leave it
  demo
      create the demo tenant with three agencies if missing (keys in DIR/demo, demo only), then
      run one consent-and-exchange round in process: request, grant, send, fetch, acknowledge
  audit verify BUNDLE [--signature FILE] [--jwks FILE] [--openpgp-key FILE]
      check an audit export offline: OpenPGP signature, tree head signature, every entry's
      inclusion proof; exit 0 only if all hold
  monitor compute BUNDLE (--period P | --check REPORT) [--tree-size N] [--rule R] [--csv]
                  [--signature FILE] [--jwks FILE] [--openpgp-key FILE]
      recompute the monitoring figures (P: 2026-11, 2026-Q4 or 2026) from an audit export after
      checking it as audit verify does; --check REPORT: exit 0 only if a published report's
      figures are the log's
  backup --out FILE
      copy DIR/gateway.db consistently while the gateway runs (owner-only, never over an existing
      file); prints its size and each tenant's audit tree size. The master key is not in it.
      With GATEWAY_DATABASE_URL use pg_dump instead
  restore FILE
      put a backup into an empty data dir no gateway serves; needs the master key
      (GATEWAY_MASTER_KEY or DIR/master.key) and checks that it opens the restored keys

Agency-side helpers (for trying the gateway out; EC P-256 PKCS#8 keys):
  token --key FILE --cert FILE [--aud URL]   print a client assertion (valid 2 minutes)
  sign --key FILE --in MESSAGE.json          print the sender's compact JWS over a message
  open --key FILE --in FETCHED.json          decrypt a fetched JWE envelope, print its content

Options:
  --data DIR     data directory (default: $GATEWAY_DATA_DIR or ./data)
  -h, --help     show this help
  --version      show the version

Environment:
  GATEWAY_MASTER_KEY   32-byte key (hex or base64) wrapping every private key at rest;
                       without it the key lives in DIR/master.key (embedded default only)
  GATEWAY_DATABASE_URL postgres://… : work on the PostgreSQL database the gateway instances
                       share instead of DIR/gateway.db (needs GATEWAY_MASTER_KEY)

Exit codes: 0 done, 1 failed, 2 wrong command line.
`;
