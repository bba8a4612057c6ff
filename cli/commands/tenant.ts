import { parseArgs } from 'node:util';
import {
  missingProfileFields,
  parseSupervisoryAuthority,
  ProgrammeId,
  supervisoryAuthorityOf,
  updateTenantProfile,
  type ProfileChange,
  type Tenant,
} from '../../tenants/index.ts';
import { GatewayError } from '../../core/index.ts';
import { incompleteProfileLine, PROFILE_FLAGS } from '../../gateway/portal/legal/profile-notice.ts';
import { withPki } from '../context.ts';
import { EXIT_OK, UsageError, type CliIo } from '../io.ts';

const FIELDS = ['name', 'address', 'email', 'url'] as const;

/** The profile's fields that take lines: a flag repeated, or `\n` inside one value. */
const LINE_FIELDS = [
  'address',
  'dpoContact',
  'accessibilityContact',
  'operator',
  'representative',
] as const;
const lineOptions = Object.fromEntries(
  LINE_FIELDS.map((field) => [PROFILE_FLAGS[field], { type: 'string', multiple: true } as const]),
);

/**
 * `tenant set --tenant ID [--supervisory-authority-name … --supervisory-authority-address …
 * --supervisory-authority-email … --supervisory-authority-url …] [--programme ID|none]
 * [--name NAME] [--address LINE]… [--dpo-contact LINE]… [--accessibility-contact LINE]…
 * [--operator LINE]… [--representative LINE]…`: the authority a person may complain to, named in
 * every notice and receipt made afterwards (all four together, so a notice never names half of
 * one authority and half of another), the programme whose monitoring view across municipalities
 * the tenant takes part in, and the profile the portal's official pages show (each field given
 * replaces that field; the others stay).
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
      [PROFILE_FLAGS.name]: { type: 'string' },
      ...lineOptions,
    },
    strict: true,
    allowPositionals: false,
  });
  const tenantId = values.tenant;
  if (tenantId === undefined) throw new UsageError('--tenant is required');
  const given = FIELDS.filter((f) => values[`supervisory-authority-${f}`] !== undefined);
  const programme = programmeOf(values.programme);
  const profile = profileChangeOf(values);
  if (given.length === 0 && programme === undefined && profile === undefined)
    throw new UsageError('tenant set needs a setting to change');
  if (given.length > 0 && given.length !== FIELDS.length) {
    const missing = FIELDS.filter((f) => !given.includes(f)).map(
      (f) => `--supervisory-authority-${f}`,
    );
    throw new UsageError(
      `the supervisory authority needs all four fields; missing ${missing.join(', ')}`,
    );
  }
  // Checked before anything is stored, so a wrong authority leaves the profile untouched too.
  const authority =
    given.length === 0
      ? undefined
      : parseSupervisoryAuthority({
          name: values['supervisory-authority-name'],
          address: values['supervisory-authority-address'],
          email: values['supervisory-authority-email'],
          url: values['supervisory-authority-url'],
        });
  return withPki(values.data ?? dataDir, io, async ({ storage }) => {
    if (profile !== undefined) {
      const tenant = await updateTenantProfile(storage.tenants, tenantId, profile);
      const missing = missingProfileFields(tenant);
      io.stdout.write(
        `tenant ${tenantId}: profile of ${tenant.displayName} set; the portal's official pages ` +
          'show it from now on\n' +
          (missing.length === 0 ? '' : `  ${incompleteProfileLine(tenantId, missing)}\n`),
      );
    }
    if (programme !== undefined) {
      await storage.tenants.setProgramme(tenantId, programme || undefined);
      io.stdout.write(
        programme === ''
          ? `tenant ${tenantId}: takes part in no programme view; its figures stay within it\n`
          : `tenant ${tenantId}: takes part in the programme view ${programme}; the monitors of ` +
              'every tenant taking part see its totals, withheld where its own report withholds them\n',
      );
    }
    if (authority === undefined) return EXIT_OK;
    await storage.tenants.setSupervisoryAuthority(tenantId, authority);
    io.stdout.write(
      `tenant ${tenantId}: supervisory authority is now ${authority.name}\n` +
        `  ${authority.address}\n  ${authority.email}\n  ${authority.url}\n` +
        '  notices and receipts made from now on name it; earlier ones keep their text\n',
    );
    return EXIT_OK;
  });
}

/**
 * `tenant show --tenant ID`: the name, profile, supervisory authority and programme of a tenant,
 * as the portal's official pages use them, and which required profile fields are missing.
 */
export async function tenantShowCommand(
  args: string[],
  dataDir: string,
  io: CliIo,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string' }, tenant: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const tenantId = values.tenant;
  if (tenantId === undefined) throw new UsageError('--tenant is required');
  return withPki(values.data ?? dataDir, io, async ({ storage }) => {
    const tenant = await storage.tenants.get(tenantId);
    if (tenant === undefined)
      throw new GatewayError('not_found', { detail: `no tenant ${tenantId}` });
    io.stdout.write(describeTenant(tenant));
    return EXIT_OK;
  });
}

/** The tenant as `tenant show` prints it: one block per field, lines indented under it. */
function describeTenant(tenant: Tenant): string {
  const block = (label: string, lines: readonly string[] | undefined) =>
    `${label}:\n${(lines ?? ['(not set)']).map((line) => `  ${line}\n`).join('')}`;
  const authority = supervisoryAuthorityOf(tenant);
  const missing = missingProfileFields(tenant);
  return [
    `tenant ${tenant.id}\n`,
    block('name', [tenant.displayName]),
    block('address', tenant.profile?.address),
    block('dpoContact', tenant.profile?.dpoContact),
    block('accessibilityContact', tenant.profile?.accessibilityContact),
    block('operator', tenant.profile?.operator),
    block('representative (optional)', tenant.profile?.representative),
    block(`supervisoryAuthority${tenant.supervisoryAuthority ? '' : ' (default)'}`, [
      authority.name,
      authority.address,
      authority.email,
      authority.url,
    ]),
    block('programme', [tenant.programme ?? '(none)']),
    missing.length === 0
      ? 'profile complete\n'
      : `missing: ${missing.join(', ')}\n${incompleteProfileLine(tenant.id, missing)}\n`,
  ].join('');
}

/** The profile fields given, each as lines (a literal `\n` in a value starts a new line). */
function profileChangeOf(
  values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>,
): ProfileChange | undefined {
  const change: Record<string, unknown> = {};
  const name = values[PROFILE_FLAGS.name];
  if (typeof name === 'string') change['name'] = name;
  for (const field of LINE_FIELDS) {
    const given = values[PROFILE_FLAGS[field]];
    if (Array.isArray(given)) change[field] = given.map(String).flatMap((v) => v.split('\\n'));
  }
  return Object.keys(change).length === 0 ? undefined : change;
}

/** `--programme ID` takes part, `--programme none` leaves (as ''), absent changes nothing. */
function programmeOf(value: string | undefined): string | undefined {
  if (value === undefined || value === 'none') return value === 'none' ? '' : undefined;
  const parsed = ProgrammeId.safeParse(value);
  if (!parsed.success)
    throw new UsageError(`--programme: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}
