import { AuditLog } from '../../audit/index.ts';
import { provisionTenant, revokeCertificate, type PkiDeps } from '../../certs/index.ts';
import { systemClock, type Clock } from '../../core/index.ts';
import type { Storage } from '../../storage/ports.ts';
import { addPrincipal, type TestPrincipal } from '../support/pki.ts';

/** The tenant the suite works in. */
export const TENANT = 'koeln';

/**
 * What the suite finds in the gateway when it starts: one tenant with its three offices, a DPO and
 * an office whose certificate is revoked. Private keys stay in memory (WebCrypto, extractable so
 * a recipient can also use its key for ECDH), never in a file.
 */
export interface ConformanceWorld {
  readonly tenantId: string;
  /** `abh-koeln`, immigration office: sends `residence_status.notice`. */
  readonly abh: TestPrincipal;
  /** `jc-koeln`, Jobcenter: asks for consent and receives. */
  readonly jc: TestPrincipal;
  /** `so-koeln`, social office: named by no consent the suite makes. */
  readonly so: TestPrincipal;
  /** `dsb-koeln`, data-protection officer: reads `/v1/audit`. */
  readonly dpo: TestPrincipal;
  /** `jc-revoked`, a Jobcenter whose only certificate is revoked. */
  readonly revoked: TestPrincipal;
  /** `lenkung-koeln`, the steering group's reader: `/v1/monitoring` only. */
  readonly monitor: TestPrincipal;
}

/**
 * Seeds the suite's world into storage through the domain functions alone (no file, no process),
 * so the same call serves the Node runner (SQLite, before the gateway process opens it) and a
 * workerd runner (its D1 storage). Registrations and the revocation are audited, as the CLI does
 * them. `masterKey` must be the key the gateway under test runs with.
 *
 * @example
 * ```ts
 * const storage = openSqliteStorage(dir);
 * const world = await seedHttpConformance({ storage, masterKey });
 * storage.close();
 * ```
 */
export async function seedHttpConformance(input: {
  storage: Pick<Storage, 'pki' | 'audit'>;
  masterKey: CryptoKey;
  clock?: Clock;
}): Promise<ConformanceWorld> {
  const clock = input.clock ?? systemClock;
  const deps: PkiDeps = {
    pki: input.storage.pki,
    clock,
    masterKey: input.masterKey,
    audit: new AuditLog(input.storage.audit, clock),
  };
  await provisionTenant(deps, { id: TENANT, displayName: 'Stadt Köln' });
  const agency = (id: string, agencyType: string) =>
    addPrincipal(deps, { tenantId: TENANT, id, kind: 'agency', agencyType });
  const world: ConformanceWorld = {
    tenantId: TENANT,
    abh: await agency('abh-koeln', 'immigration_office'),
    jc: await agency('jc-koeln', 'jobcenter'),
    so: await agency('so-koeln', 'social_office'),
    dpo: await addPrincipal(deps, { tenantId: TENANT, id: 'dsb-koeln', kind: 'dpo' }),
    revoked: await agency('jc-revoked', 'jobcenter'),
    monitor: await addPrincipal(deps, { tenantId: TENANT, id: 'lenkung-koeln', kind: 'monitor' }),
  };
  await revokeCertificate(deps, TENANT, world.revoked.serial);
  return world;
}
