import * as x509 from '@peculiar/x509';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog, type AuditStore } from '../audit/index.ts';
import {
  provisionTenant,
  registerWithCsr,
  type NewPrincipal,
  type PkiDeps,
} from '../certs/index.ts';
import { systemClock } from '../core/index.ts';
import {
  DEMO_TENANT,
  updateTenantProfile,
  type ProfileChange,
  type TenantStore,
} from '../tenants/index.ts';

/**
 * The demo tenant's three offices, with the address and data-protection contact every consent
 * notice names for a controller; plausible for Köln, not an official registration.
 */
export const DEMO_AGENCIES = [
  {
    id: 'abh-demo',
    type: 'immigration_office',
    name: 'Ausländerbehörde Demo',
    address: 'Ausländerbehörde der Stadt Köln, Willy-Brandt-Platz 3, 50679 Köln',
    dpoContact: 'datenschutz@stadt-koeln.de',
  },
  {
    id: 'jc-demo',
    type: 'jobcenter',
    name: 'Jobcenter Demo',
    address: 'Jobcenter Köln, Luxemburger Straße 121, 50939 Köln',
    dpoContact: 'jobcenter-koeln.datenschutz@jobcenter-ge.de',
  },
  {
    id: 'so-demo',
    type: 'social_office',
    name: 'Sozialamt Demo',
    address:
      'Amt für Soziales, Arbeit und Senioren der Stadt Köln, Ottmar-Pohl-Platz 1, 51103 Köln',
    dpoContact: 'datenschutz@stadt-koeln.de',
  },
] as const;

/**
 * The demo tenant's data-protection officer and its steering group's reader of monitoring
 * figures, so the README's audit and monitoring sections work on a fresh start.
 */
export const DEMO_OVERSEERS = [
  { id: 'dsb-demo', kind: 'dpo', name: 'Datenschutzbeauftragte Demo' },
  { id: 'lenkung-demo', kind: 'monitor', name: 'Lenkungsgruppe Demo' },
] as const;

/**
 * The demo tenant's profile: complete, so every official page of the portal is filled, and
 * clearly fictional (example.org, a made-up address), so nobody takes it for a real authority.
 */
export const DEMO_PROFILE: ProfileChange = {
  name: 'Demo-Kommune',
  address: ['Musterplatz 1', '12345 Demo-Stadt'],
  dpoContact: ['Behördlicher Datenschutz der Demo-Kommune', 'datenschutz@example.org'],
  accessibilityContact: ['barrierefreiheit@example.org'],
  operator: [
    'Demo-Kommune, Amt für Digitales (Beispiel)',
    'Musterplatz 1, 12345 Demo-Stadt',
    'portal@example.org',
  ],
  representative: ['Die Bürgermeisterin der Demo-Kommune (Beispiel)'],
};

/**
 * Gives the demo tenant its profile where it has none: on first start, and in a data dir made
 * before tenants had profiles. A profile an operator set is left alone.
 */
export async function completeDemoProfile(tenants: TenantStore): Promise<void> {
  const demo = await tenants.get(DEMO_TENANT.id);
  if (demo === undefined || demo.profile !== undefined) return;
  await updateTenantProfile(tenants, DEMO_TENANT.id, DEMO_PROFILE);
}

/** Where {@link seedDemoAgencies} writes the demo agencies' keys and certificates. */
export const demoKeysDir = (dataDir: string): string => join(dataDir, 'demo');

/**
 * For the README's walk-through and `consent-gateway demo` only: registers those of the demo
 * tenant's three agencies, its DPO and its monitor that are not registered yet, and writes their
 * keys and certificates to `<dataDir>/demo/` (owner-only). A real agency makes its key itself and
 * sends only a CSR; these keys exist so a newcomer can play every side on one laptop. Answers the
 * directory.
 */
export async function seedDemoAgencies(deps: PkiDeps, dataDir: string): Promise<string> {
  const dir = demoKeysDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const agency of DEMO_AGENCIES) {
    await seedPrincipal(deps, dir, {
      id: agency.id,
      kind: 'agency',
      agencyType: agency.type,
      displayName: agency.name,
      address: agency.address,
      dpoContact: agency.dpoContact,
    });
  }
  for (const overseer of DEMO_OVERSEERS) {
    await seedPrincipal(deps, dir, {
      id: overseer.id,
      kind: overseer.kind,
      displayName: overseer.name,
    });
  }
  return dir;
}

async function seedPrincipal(
  deps: PkiDeps,
  dir: string,
  principal: Omit<NewPrincipal, 'tenantId' | 'csrPem'>,
): Promise<void> {
  if (await deps.pki.principal(DEMO_TENANT.id, principal.id)) return;
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${principal.id}`,
    keys,
    signingAlgorithm: algorithm,
  });
  const registered = await registerWithCsr(deps, {
    ...principal,
    tenantId: DEMO_TENANT.id,
    csrPem: csr.toString('pem'),
  });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString(
    'base64',
  );
  const pem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
  writeFileSync(join(dir, `${principal.id}.key`), pem.replace(/\n\n/g, '\n'), { mode: 0o600 });
  writeFileSync(join(dir, `${principal.id}.crt`), registered.pem, { mode: 0o644 });
}

/**
 * What an empty data dir gets on first start, on every backend that runs the walk-through (the
 * embedded gateway, PostgreSQL, `npm run dev:edge`): the demo tenant with its keys and profile,
 * then its three agencies with theirs in `<dataDir>/demo/`. Answers that directory. A tenant already there
 * (another instance was first) surfaces as the store's `conflict`.
 */
export async function seedDemoTenant(
  storage: {
    readonly pki: PkiDeps['pki'];
    readonly audit: AuditStore;
    readonly tenants: TenantStore;
  },
  masterKey: CryptoKey,
  dataDir: string,
): Promise<string> {
  await provisionTenant({ pki: storage.pki, clock: systemClock, masterKey }, DEMO_TENANT);
  await completeDemoProfile(storage.tenants);
  const audit = new AuditLog(storage.audit, systemClock);
  return seedDemoAgencies({ pki: storage.pki, clock: systemClock, masterKey, audit }, dataDir);
}
