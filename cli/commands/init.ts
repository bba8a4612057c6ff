import { parseArgs } from 'node:util';
import { systemClock } from '../../core/index.ts';
import { openSqliteStorage } from '../../storage/sqlite/index.ts';
import { createTenant } from '../../tenants/index.ts';
import { EXIT_OK, UsageError, type CliIo } from '../io.ts';

/** `init --tenant ID [--name NAME]`: creates the data dir (if needed) and the tenant record. */
export async function initCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { tenant: { type: 'string' }, name: { type: 'string' }, data: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.tenant === undefined) throw new UsageError('init needs --tenant ID');
  const dir = values.data ?? dataDir;
  const storage = openSqliteStorage(dir);
  try {
    const tenant = await createTenant(storage.tenants, systemClock, {
      id: values.tenant,
      ...(values.name === undefined ? {} : { displayName: values.name }),
    });
    io.stdout.write(`created tenant ${tenant.id} ("${tenant.displayName}") in ${dir}\n`);
    return EXIT_OK;
  } finally {
    storage.close();
  }
}
