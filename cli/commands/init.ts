import { parseArgs } from 'node:util';
import { provisionTenant } from '../../certs/index.ts';
import { EXIT_OK, UsageError, type CliIo } from '../io.ts';
import { withPki } from '../context.ts';

/**
 * `init --tenant ID [--name NAME]`: creates the data dir (if needed), the tenant, its CA, the
 * gateway's signing key and its OpenPGP key.
 */
export async function initCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { tenant: { type: 'string' }, name: { type: 'string' }, data: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.tenant === undefined) throw new UsageError('init needs --tenant ID');
  const dir = values.data ?? dataDir;
  const tenantId = values.tenant;
  return withPki(
    dir,
    io,
    async (deps) => {
      const tenant = await provisionTenant(deps, {
        id: tenantId,
        ...(values.name === undefined ? {} : { displayName: values.name }),
      });
      io.stdout.write(
        `created tenant ${tenant.id} ("${tenant.displayName}") in ${dir}: CA, signing key, OpenPGP key\n`,
      );
      return EXIT_OK;
    },
    { create: true },
  );
}
