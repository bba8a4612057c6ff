import * as x509 from '@peculiar/x509';
import { SignJWT, type JWTHeaderParameters } from 'jose';
import {
  importMasterKey,
  provisionTenant,
  registerWithCsr,
  type PkiDeps,
  type PrincipalKind,
} from '../../certs/index.ts';
import type { Clock } from '../../core/index.ts';
import type { SqliteStorage } from '../../storage/sqlite/index.ts';

/** A fresh random master key, as GATEWAY_MASTER_KEY would carry it (hex). */
export function randomMasterKeyHex(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
}

/** PKI operations over the given storage; pass the app's master key to share its keys. */
export async function pkiDeps(
  storage: SqliteStorage,
  clock: Clock,
  masterKey?: CryptoKey,
): Promise<PkiDeps> {
  return {
    pki: storage.pki,
    clock,
    masterKey: masterKey ?? (await importMasterKey(crypto.getRandomValues(new Uint8Array(32)))),
  };
}

export type KeyKind = 'P-256' | 'P-384' | 'RSA-3072';

/** A key pair of the given kind and a CSR for it, made with WebCrypto like an agency system would. */
export async function keyAndCsr(kind: KeyKind = 'P-256', cn = 'agency') {
  const algorithm =
    kind === 'RSA-3072'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          hash: 'SHA-256',
          modulusLength: 3072,
          publicExponent: new Uint8Array([1, 0, 1]),
        }
      : { name: 'ECDSA', namedCurve: kind, hash: kind === 'P-384' ? 'SHA-384' : 'SHA-256' };
  const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${cn}`,
    keys,
    signingAlgorithm: algorithm,
  });
  return {
    keys,
    csrPem: csr.toString('pem'),
    alg: kind === 'RSA-3072' ? 'RS256' : kind === 'P-384' ? 'ES384' : 'ES256',
  };
}

/** A registered principal with its private key, able to make client assertions. */
export interface TestPrincipal {
  readonly tenantId: string;
  readonly id: string;
  readonly kind: PrincipalKind;
  readonly certificatePem: string;
  readonly fingerprint: string;
  readonly serial: string;
  readonly privateKey: CryptoKey;
  readonly alg: string;
}

export async function addPrincipal(
  deps: PkiDeps,
  input: {
    tenantId: string;
    id: string;
    kind: PrincipalKind;
    agencyType?: string;
    keyKind?: KeyKind;
    webhookUrl?: string;
  },
): Promise<TestPrincipal> {
  const { keys, csrPem, alg } = await keyAndCsr(input.keyKind, input.id);
  const registered = await registerWithCsr(deps, {
    tenantId: input.tenantId,
    id: input.id,
    kind: input.kind,
    csrPem,
    ...(input.agencyType === undefined ? {} : { agencyType: input.agencyType }),
    ...(input.webhookUrl === undefined ? {} : { webhookUrl: input.webhookUrl }),
  });
  return {
    tenantId: input.tenantId,
    id: input.id,
    kind: input.kind,
    certificatePem: registered.pem,
    fingerprint: registered.fingerprint,
    serial: registered.serial,
    privateKey: keys.privateKey,
    alg,
  };
}

/** Base64 DER of a PEM certificate, as x5c wants it. */
/**
 * The CLI arguments that register agency `id` of `type` from its CSR and write the certificate to
 * `out` (`consent-gateway agency add …`); further options go after it.
 */
export function agencyAddArgs(agency: {
  readonly id: string;
  readonly type: string;
  readonly csr: string;
  readonly out: string;
  readonly tenant?: string;
}): string[] {
  return [
    'agency',
    'add',
    '--tenant',
    agency.tenant ?? 'koeln',
    '--id',
    agency.id,
    '--type',
    agency.type,
    '--csr',
    agency.csr,
    '--out',
    agency.out,
  ];
}

export const x5cOf = (pem: string): string =>
  pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

export interface AssertionOptions {
  readonly audience: string;
  readonly now: Date;
  readonly by?: 'x5c' | 'kid';
  readonly lifetimeS?: number;
  readonly iatOffsetS?: number;
  readonly jti?: string;
  readonly iss?: string;
  readonly header?: Partial<JWTHeaderParameters> & Record<string, unknown>;
  readonly signWith?: CryptoKey;
}

/** A client assertion as an agency system makes it; options bend it for attack tests. */
export async function assertionFor(
  principal: TestPrincipal,
  options: AssertionOptions,
): Promise<string> {
  const iat = Math.floor(options.now.getTime() / 1000) + (options.iatOffsetS ?? 0);
  const keyRef =
    (options.by ?? 'x5c') === 'x5c'
      ? { x5c: [x5cOf(principal.certificatePem)] }
      : { kid: principal.fingerprint };
  return new SignJWT({})
    .setProtectedHeader({ alg: principal.alg, typ: 'JWT', ...keyRef, ...options.header })
    .setIssuer(options.iss ?? principal.id)
    .setSubject(options.iss ?? principal.id)
    .setAudience(options.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetimeS ?? 120))
    .setJti(options.jti ?? crypto.randomUUID())
    .sign(options.signWith ?? principal.privateKey);
}

export async function provisionedTenant(deps: PkiDeps, id: string) {
  return provisionTenant(deps, { id, displayName: `Stadt ${id}` });
}
