import { parseArgs } from 'node:util';
import { ProgrammeId, setSupervisoryAuthority } from '../../tenants/index.ts';
import { withPki } from '../context.ts';
import { EXIT_OK, UsageError, type CliIo } from '../io.ts';

const FIELDS = ['name', 'address', 'email', 'url'] as const;

/**
 * `tenant set --tenant ID [--supervisory-authority-name … --supervisory-authority-address …
 * --supervisory-authority-email … --supervisory-authority-url …] [--programme ID|none]`: the
 * authority a person may complain to, named in every notice and receipt made afterwards (all four
 * together, so a notice never names half of one authority and half of another), and the
 * programme whose monitoring view across municipalities the tenant takes part in.
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
      programme: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const tenantId = values.tenant;
  if (tenantId === undefined) throw new UsageError('--tenant is required');
  const given = FIELDS.filter((f) => values[`supervisory-authority-${f}`] !== undefined);
  const programme = programmeOf(values.programme);
  if (given.length === 0 && programme === undefined)
    throw new UsageError('tenant set needs a setting to change');
  if (given.length > 0 && given.length !== FIELDS.length) {
    const missing = FIELDS.filter((f) => !given.includes(f)).map(
      (f) => `--supervisory-authority-${f}`,
    );
    throw new UsageError(
      `the supervisory authority needs all four fields; missing ${missing.join(', ')}`,
    );
  }
  return withPki(values.data ?? dataDir, io, async ({ storage }) => {
    if (programme !== undefined) {
      await storage.tenants.setProgramme(tenantId, programme || undefined);
      io.stdout.write(
        programme === ''
          ? `tenant ${tenantId}: takes part in no programme view; its figures stay within it\n`
          : `tenant ${tenantId}: takes part in the programme view ${programme}; the monitors of ` +
              'every tenant taking part see its totals, withheld where its own report withholds them\n',
      );
    }
    if (given.length === 0) return EXIT_OK;
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

/** `--programme ID` takes part, `--programme none` leaves (as ''), absent changes nothing. */
function programmeOf(value: string | undefined): string | undefined {
  if (value === undefined || value === 'none') return value === 'none' ? '' : undefined;
  const parsed = ProgrammeId.safeParse(value);
  if (!parsed.success)
    throw new UsageError(`--programme: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}
