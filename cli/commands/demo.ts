import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkMasterKey, provisionTenant } from '../../certs/index.ts';
import { systemClock } from '../../core/index.ts';
import { readConfig } from '../../gateway/config.ts';
import { DEMO_AGENCIES, demoKeysDir, seedDemoAgencies } from '../../gateway/node-demo.ts';
import { DEFAULT_POLICY, loadPolicySet } from '../../policies/index.ts';
import { DEMO_TENANT } from '../../tenants/index.ts';
import { withPki } from '../context.ts';
import { runDemoRound } from '../demo-round.ts';
import { EXIT_OK, type CliIo } from '../io.ts';

/**
 * `demo`: makes sure the data dir has the demo tenant with its three agencies (as `npm start` does
 * on an empty data dir), then runs one consent-and-exchange round in process against that
 * storage, printing each step. It uses the policy and public URL the server would
 * (`GATEWAY_POLICY_FILE`, `GATEWAY_PUBLIC_URL`), so the round shows what the server would allow.
 */
export async function demoCommand(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const dir = values.data ?? dataDir;
  const config = readConfig(io.env);
  if (!config.ok) throw new Error(config.problems.join('; '));
  const { policyFile, publicUrl } = config.config;
  const policy = await loadPolicySet(
    policyFile === undefined
      ? DEFAULT_POLICY
      : (JSON.parse(readFileSync(policyFile, 'utf8')) as unknown),
  );
  const say = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };

  return withPki(
    dir,
    io,
    async (deps) => {
      // The round wraps new secrets (a subject key, maybe a tenant): never under a wrong key.
      await checkMasterKey(deps);
      if (await deps.storage.tenants.get(DEMO_TENANT.id)) {
        say(`the demo tenant is there already in ${dir}`);
      } else {
        await provisionTenant(deps, DEMO_TENANT);
        say(`created the demo tenant in ${dir}: CA, signing key, OpenPGP key`);
      }
      const missing: string[] = [];
      for (const agency of DEMO_AGENCIES) {
        if (!(await deps.pki.principal(DEMO_TENANT.id, agency.id))) missing.push(agency.name);
      }
      const keysDir = await seedDemoAgencies(deps, dir);
      say(
        missing.length === 0
          ? 'the three demo agencies are registered already'
          : `registered ${missing.join(', ')}; their keys and certificates are in ${keysDir} (demo only)`,
      );
      await runDemoRound(
        {
          storage: deps.storage,
          masterKey: deps.masterKey,
          clock: systemClock,
          publicUrl,
          policy,
          keysDir: demoKeysDir(dir),
        },
        say,
      );
      return EXIT_OK;
    },
    { create: true },
  );
}
