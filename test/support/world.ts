import { AuditLog } from '../../audit/index.ts';
import type { PkiDeps } from '../../certs/index.ts';
import type { GatewayDeps } from '../../gateway/app.ts';
import { testGateway, type TestGateway } from './app.ts';
import {
  addPrincipal,
  assertionFor,
  pkiDeps,
  provisionedTenant,
  type AssertionOptions,
  type TestPrincipal,
} from './pki.ts';

/** The audience every in-process test gateway answers as. */
export const AUD = 'http://localhost:8787';

/** The three Köln offices the tests send between. */
export type KoelnAgency = 'abh' | 'jc' | 'so';

const AGENCIES: Record<KoelnAgency, { id: string; agencyType: string }> = {
  abh: { id: 'abh-koeln', agencyType: 'immigration_office' },
  jc: { id: 'jc-koeln', agencyType: 'jobcenter' },
  so: { id: 'so-koeln', agencyType: 'social_office' },
};

export interface KoelnWorldOptions {
  /** Which offices to register (always in the order abh, jc, so); all three by default. */
  readonly agencies?: readonly KoelnAgency[];
  /** The DPO's principal id, or false for no DPO; `dsb-koeln` by default. */
  readonly dpo?: string | false;
  /** A webhook URL for an office. */
  readonly webhookUrls?: Partial<Record<KoelnAgency, string>>;
  /** Passed on to testGateway (the public URL is always AUD). */
  readonly rateLimits?: GatewayDeps['rateLimits'];
  /** Passed on to testGateway: requests in flight before 503 `overloaded` (default 64). */
  readonly maxInflight?: number;
  /**
   * Records registrations in the audit log, as the CLI and the demo do (monitoring reads office
   * types from them); off by default so other tests' logs start with their own entries.
   */
  readonly recordRegistrations?: boolean;
}

/**
 * The tenant `koeln` on a fresh test gateway, with its offices and DPO registered. A principal
 * that was not registered throws when read, so a test cannot use one by mistake.
 */
export interface KoelnWorld {
  readonly gw: TestGateway;
  readonly deps: PkiDeps;
  readonly abh: TestPrincipal;
  readonly jc: TestPrincipal;
  readonly so: TestPrincipal;
  readonly dpo: TestPrincipal;
  /** A client assertion of `p` for AUD at the gateway clock's now. */
  readonly assertion: (p: TestPrincipal, extra?: Partial<AssertionOptions>) => Promise<string>;
  /** A request as `p` (Bearer client assertion); a body is sent as application/json. */
  readonly as: (p: TestPrincipal, path: string, init?: RequestInit) => Promise<Response>;
  close(): void;
}

export async function koelnWorld(options: KoelnWorldOptions = {}): Promise<KoelnWorld> {
  const gw = await testGateway({
    publicUrl: AUD,
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
    ...(options.maxInflight === undefined ? {} : { maxInflight: options.maxInflight }),
  });
  const bare = await pkiDeps(gw.storage, gw.clock, gw.masterKey);
  const deps = options.recordRegistrations
    ? { ...bare, audit: new AuditLog(gw.storage.audit, gw.clock) }
    : bare;
  await provisionedTenant(deps, 'koeln');
  const registered: Partial<Record<KoelnAgency | 'dpo', TestPrincipal>> = {};
  const wanted = options.agencies ?? ['abh', 'jc', 'so'];
  for (const name of ['abh', 'jc', 'so'] as const) {
    if (!wanted.includes(name)) continue;
    const webhookUrl = options.webhookUrls?.[name];
    registered[name] = await addPrincipal(deps, {
      tenantId: 'koeln',
      id: AGENCIES[name].id,
      kind: 'agency',
      agencyType: AGENCIES[name].agencyType,
      ...(webhookUrl === undefined ? {} : { webhookUrl }),
    });
  }
  const dpoId = options.dpo ?? 'dsb-koeln';
  if (dpoId !== false) {
    registered.dpo = await addPrincipal(deps, { tenantId: 'koeln', id: dpoId, kind: 'dpo' });
  }
  const principal = (name: KoelnAgency | 'dpo'): TestPrincipal => {
    const p = registered[name];
    if (p === undefined) throw new Error(`koelnWorld: ${name} was not registered in this world`);
    return p;
  };
  const assertion = (p: TestPrincipal, extra: Partial<AssertionOptions> = {}) =>
    assertionFor(p, { audience: AUD, now: gw.clock.now(), ...extra });
  return {
    gw,
    deps,
    get abh() {
      return principal('abh');
    },
    get jc() {
      return principal('jc');
    },
    get so() {
      return principal('so');
    },
    get dpo() {
      return principal('dpo');
    },
    assertion,
    as: async (p, path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('Authorization', `Bearer ${await assertion(p)}`);
      if (init.body !== undefined) headers.set('Content-Type', 'application/json');
      return gw.app.request(path, { ...init, headers });
    },
    close() {
      gw.close();
    },
  };
}
