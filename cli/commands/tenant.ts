import { parseArgs } from 'node:util';
import { setSupervisoryAuthority } from '../../tenants/index.ts';
import { withPki } from '../context.ts';
import { EXIT_OK, UsageError, type CliIo } from '../io.ts';

const FIELDS = ['name', 'address', 'email', 'url'] as const;

/**
 * `tenant set --tenant ID --supervisory-authority-name … --supervisory-authority-address …
 * --supervisory-authority-email … --supervisory-authority-url …`: the authority a person may
 * complain to, named in every notice and receipt made afterwards. All four together, so a
 * notice never names half of one authority and half of another.
 */
export async function tenantSetCommand(
  args: string[],
  dataDir: string,
  io: CliIo,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      tenant: { type: 'string' },
      'supervisory-authority-name': { type: 'string' },
      'supervisory-authority-address': { type: 'string' },
      'supervisory-authority-email': { type: 'string' },
      'supervisory-authority-url': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const tenantId = values.tenant;
  if (tenantId === undefined) throw new UsageError('--tenant is required');
  const given = FIELDS.filter((f) => values[`supervisory-authority-${f}`] !== undefined);
  if (given.length === 0) throw new UsageError('tenant set needs a setting to change');
  if (given.length !== FIELDS.length) {
    const missing = FIELDS.filter((f) => !given.includes(f)).map(
      (f) => `--supervisory-authority-${f}`,
    );
    throw new UsageError(
      `the supervisory authority needs all four fields; missing ${missing.join(', ')}`,
    );
  }
  return withPki(values.data ?? dataDir, io, async ({ storage }) => {
    const authority = await setSupervisoryAuthority(storage.tenants, tenantId, {
      name: values['supervisory-authority-name'],
      address: values['supervisory-authority-address'],
      email: values['supervisory-authority-email'],
      url: values['supervisory-authority-url'],
    });
    io.stdout.write(
      `tenant ${tenantId}: supervisory authority is now ${authority.name}\n` +
        `  ${authority.address}\n  ${authority.email}\n  ${authority.url}\n` +
        '  notices and receipts made from now on name it; earlier ones keep their text\n',
    );
    return EXIT_OK;
  });
}
