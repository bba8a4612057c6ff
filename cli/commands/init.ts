import { existsSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { provisionTenant } from '../../certs/index.ts';
import { isGatewayError, systemClock } from '../../core/index.ts';
import { loadPolicySet } from '../../policies/index.ts';
import { newTenant, setSupervisoryAuthority, type NewTenant } from '../../tenants/index.ts';
import {
  nextSteps,
  suggestedPrincipalId,
  templateById,
  type TenantTemplate,
} from '../../tenants/templates/index.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from '../io.ts';
import { withPki } from '../context.ts';

/**
 * `init --tenant ID [--name NAME] [--from-template T]`: creates the data dir (if needed), the
 * tenant, its CA, the gateway's signing key and its OpenPGP key; from a template, also its
 * programme settings and the kit's files (see {@link initFromTemplate}).
 */
export async function initCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      tenant: { type: 'string' },
      name: { type: 'string' },
      data: { type: 'string' },
      'from-template': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.tenant === undefined) throw new UsageError('init needs --tenant ID');
  const dir = values.data ?? dataDir;
  const tenantId = values.tenant;
  const input: NewTenant = {
    id: tenantId,
    ...(values.name === undefined ? {} : { displayName: values.name }),
  };
  const templateId = values['from-template'];
  if (templateId !== undefined) return initFromTemplate(templateId, input, dir, io);
  return withPki(
    dir,
    io,
    async (deps) => {
      const tenant = await provisionTenant(deps, input);
      io.stdout.write(
        `created tenant ${tenant.id} ("${tenant.displayName}") in ${dir}: CA, signing key, OpenPGP key\n`,
      );
      return EXIT_OK;
    },
    { create: true },
  );
}

/**
 * The programme's starting kit: provisions the tenant, writes the template's policy set and
 * NEXT-STEPS.md to `<data>/templates/<tenant>/`, then sets the supervisory authority and the
 * programme view. Refuses an existing tenant or kit file with nothing changed. The files are
 * written before the tenant is made and removed again if that fails, so a failed run leaves
 * nothing behind that would block the next one.
 */
async function initFromTemplate(
  templateId: string,
  input: NewTenant,
  dir: string,
  io: CliIo,
): Promise<number> {
  let template: TenantTemplate;
  try {
    template = templateById(templateId);
  } catch (error) {
    if (!isGatewayError(error) || error.code !== 'not_found') throw error;
    io.stderr.write(`consent-gateway: ${error.message}\n`);
    return EXIT_USAGE;
  }
  // Checked before the id becomes a path: `--tenant ../x` must never name a directory.
  const draft = newTenant(systemClock, input);
  const kitDir = resolve(dir, 'templates', draft.id);
  const policyFile = join(kitDir, 'policy.json');
  const stepsFile = join(kitDir, 'NEXT-STEPS.md');
  const policy = await loadPolicySet(template.policy);
  return withPki(
    dir,
    io,
    async (deps) => {
      if (await deps.storage.tenants.get(draft.id)) {
        io.stderr.write(
          `consent-gateway: tenant ${draft.id} exists already in ${dir}; ` +
            'init --from-template starts new tenants only; nothing was changed\n',
        );
        return EXIT_FAILED;
      }
      const existing = [policyFile, stepsFile].find((file) => existsSync(file));
      if (existing !== undefined) {
        io.stderr.write(
          `consent-gateway: ${existing} exists already and is not overwritten ` +
            '(move it away first); nothing was changed\n',
        );
        return EXIT_FAILED;
      }
      const paths = { dataDir: resolve(dir), policyFile };
      const steps = nextSteps(template, draft, paths);
      const undo = writeOwnerOnly(kitDir, [
        [policyFile, `${JSON.stringify(template.policy, null, 2)}\n`],
        [stepsFile, steps],
      ]);
      const tenant = await provisionTenant(deps, input).catch((error: unknown) => {
        undo();
        throw error;
      });
      const authority = await setSupervisoryAuthority(
        deps.storage.tenants,
        tenant.id,
        template.supervisoryAuthority,
      );
      await deps.storage.tenants.setProgramme(tenant.id, template.programme);
      io.stdout.write(
        `created tenant ${tenant.id} ("${tenant.displayName}") in ${dir}: CA, signing key, OpenPGP key\n` +
          `supervisory authority: ${authority.name}\n` +
          `programme view: takes part in ${template.programme} ` +
          `(leave with: tenant set --tenant ${tenant.id} --programme none)\n` +
          `policy set ${policy.version} (${policy.hash}) to adapt and have reviewed: ${policyFile}\n` +
          `next steps (${principalsOf(template, tenant.id)}): ${stepsFile}\n`,
      );
      return EXIT_OK;
    },
    { create: true },
  );
}

/** The ids NEXT-STEPS.md suggests, for the summary line. */
function principalsOf(template: TenantTemplate, tenantId: string): string {
  const offices = template.offices.map((o) => suggestedPrincipalId(o.idPrefix, tenantId));
  const monitor = suggestedPrincipalId(template.steeringGroup.idPrefix, tenantId);
  return `offices ${offices.join(', ')}; steering group ${monitor}`;
}

/**
 * Creates each file owner-only (0600, its directory 0700), never over an existing one. Answers
 * a function that removes what this call created, files and directories alike.
 */
function writeOwnerOnly(dir: string, files: readonly (readonly [string, string])[]): () => void {
  const firstMade = mkdirSync(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  const undo = (): void => {
    for (const file of written) rmSync(file, { force: true });
    if (firstMade === undefined) return;
    for (let at = dir; ; at = dirname(at)) {
      try {
        rmdirSync(at);
      } catch {
        return; // no longer empty: someone else's files went in meanwhile, and they stay
      }
      if (at === firstMade) return;
    }
  };
  try {
    for (const [file, text] of files) {
      writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
      written.push(file);
    }
  } catch (error) {
    undo();
    throw error;
  }
  return undo;
}
