import type { Clock } from '../core/index.ts';
import { newTenant, type NewTenant, type Tenant } from '../tenants/index.ts';
import { createTenantCa } from './ca.ts';
import { certificateFingerprint } from './issue.ts';
import { keyContext, wrapPrivateKey, wrapSecret } from './key-wrap.ts';
import { checkMasterKey } from './master-key-check.ts';
import { generateGatewayPgpKey } from './openpgp.ts';
import type { PkiStore, StoredKey, TenantKeyMaterial } from './ports.ts';
import { generateSigningKey } from './signing-key.ts';

/**
 * Makes a tenant's keys: its CA (ECDSA P-256, self-signed), the gateway's ES256 signing key and
 * its OpenPGP key (v4, NIST P-256, readable by GnuPG 2.2). Private parts leave this function only
 * wrapped under the master key.
 */
export async function provisionTenantKeys(input: {
  tenantId: string;
  displayName: string;
  clock: Clock;
  masterKey: CryptoKey;
}): Promise<TenantKeyMaterial> {
  const { tenantId, displayName, clock, masterKey } = input;
  const createdAt = clock.now().toISOString();
  const ca = await createTenantCa({ tenantId, displayName, clock });
  const caKid = await certificateFingerprint(ca.certificate);
  const caPem = ca.certificate.toString('pem');
  const signing = await generateSigningKey();
  const pgp = await generateGatewayPgpKey({ tenantId, displayName, clock });
  const key = (use: StoredKey['use'], kid: string, publicMaterial: string) => ({
    tenantId,
    kid,
    use,
    publicMaterial,
    status: 'active' as const,
    createdAt,
  });
  return {
    ca: {
      ...key('ca', caKid, caPem),
      wrappedPrivate: await wrapPrivateKey(
        masterKey,
        ca.keys.privateKey,
        keyContext(tenantId, 'ca', caKid),
      ),
    },
    caAnchor: {
      tenantId,
      fingerprint: caKid,
      certificatePem: caPem,
      source: 'tenant_ca',
      subject: ca.certificate.subject,
      createdAt,
    },
    signing: {
      ...key('signing', signing.kid, JSON.stringify(signing.publicJwk)),
      wrappedPrivate: await wrapPrivateKey(
        masterKey,
        signing.keys.privateKey,
        keyContext(tenantId, 'signing', signing.kid),
      ),
    },
    openpgp: {
      ...key('openpgp', pgp.fingerprint, pgp.publicKeyArmored),
      wrappedPrivate: await wrapSecret(
        masterKey,
        new TextEncoder().encode(pgp.privateKeyArmored),
        keyContext(tenantId, 'openpgp', pgp.fingerprint),
      ),
    },
  };
}

/** A new signing key for `keys rotate`, wrapped and ready to store as the active one. */
export async function newSigningKey(input: {
  tenantId: string;
  clock: Clock;
  masterKey: CryptoKey;
}): Promise<StoredKey> {
  const signing = await generateSigningKey();
  return {
    tenantId: input.tenantId,
    kid: signing.kid,
    use: 'signing',
    publicMaterial: JSON.stringify(signing.publicJwk),
    wrappedPrivate: await wrapPrivateKey(
      input.masterKey,
      signing.keys.privateKey,
      keyContext(input.tenantId, 'signing', signing.kid),
    ),
    status: 'active',
    createdAt: input.clock.now().toISOString(),
  };
}

/**
 * Creates a tenant with its CA, signing key and OpenPGP key, all stored in one transaction:
 * there is never a tenant without keys. `conflict` if the id is taken. Refuses first, with
 * `KeyUnwrapError` `wrong_master_key`, when the master key does not open the keys of the tenants
 * already there: the new tenant's keys would be wrapped under a key the others do not use.
 *
 * @example
 * ```ts
 * await provisionTenant({ pki, clock, masterKey }, { id: 'koeln', displayName: 'Stadt Köln' });
 * ```
 */
export async function provisionTenant(
  deps: { pki: PkiStore; clock: Clock; masterKey: CryptoKey },
  input: NewTenant,
): Promise<Tenant> {
  const tenant = newTenant(deps.clock, input);
  await checkMasterKey(deps);
  const keys = await provisionTenantKeys({
    tenantId: tenant.id,
    displayName: tenant.displayName,
    clock: deps.clock,
    masterKey: deps.masterKey,
  });
  await deps.pki.createTenant(tenant, keys);
  return tenant;
}
