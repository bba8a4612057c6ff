import {
  armor,
  createMessage,
  enums,
  generateKey,
  readKey,
  readPrivateKey,
  readSignature,
  revokeKey,
  sign,
} from 'openpgp';
import type { SignOptions } from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, GatewayError } from '../core/index.ts';
import {
  generateGatewayPgpKey,
  readPgpPublicKey,
  signDetached,
  verifyDetached,
} from './openpgp.ts';
import type { GatewayPgpKey } from './openpgp.ts';

/** Features flag 0x08 (RFC 9580 §5.2.3.32); openpgp's enum typings omit `enums.features`. */
const seipdv2Feature = 0x08;
/** See signArmored in openpgp.ts: the typings of `sign` lack an optional peer's types. */
const signArmored = sign as unknown as (options: SignOptions) => Promise<string>;

const created = new Date('2026-01-15T10:00:00Z');
const clock = new FixedClock(created);
const userIDs = [{ name: 'Jobcenter Köln', email: 'pgp@jobcenter.example.invalid' }];

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

let gatewayKey: GatewayPgpKey;

beforeAll(async () => {
  gatewayKey = await generateGatewayPgpKey({
    tenantId: 'koeln',
    displayName: 'Stadt Köln',
    clock,
  });
});

describe('generateGatewayPgpKey', () => {
  it('makes a v4 ECDSA P-256 primary key with an ECDH P-256 encryption subkey', async () => {
    const key = await readKey({ armoredKey: gatewayKey.publicKeyArmored });
    expect(key.isPrivate()).toBe(false);
    expect(key.keyPacket.version).toBe(4);
    expect(key.getAlgorithmInfo()).toEqual({ algorithm: 'ecdsa', curve: 'nistP256' });
    expect(key.subkeys).toHaveLength(1);
    const [subkey] = key.subkeys;
    expect(subkey?.keyPacket.version).toBe(4);
    expect(subkey?.getAlgorithmInfo()).toEqual({ algorithm: 'ecdh', curve: 'nistP256' });
    const encryptionKey = await key.getEncryptionKey(undefined, created);
    expect(encryptionKey.getFingerprint()).toBe(subkey?.getFingerprint());
  });

  it('dates the key by the clock, names the tenant and never expires', async () => {
    const key = await readKey({ armoredKey: gatewayKey.publicKeyArmored });
    expect(key.getCreationTime()).toEqual(created);
    expect(key.getUserIDs()).toEqual([
      'Stadt Köln Consent Gateway <gateway@koeln.consent-gateway.invalid>',
    ]);
    expect(await key.getExpirationTime()).toBe(Infinity);
  });

  it('prefers AES-256 and SHA-256 and announces no AEAD (SEIPDv2) support', async () => {
    const key = await readKey({ armoredKey: gatewayKey.publicKeyArmored });
    const { selfCertification } = await key.getPrimaryUser(created);
    expect(selfCertification.preferredSymmetricAlgorithms?.[0]).toBe(enums.symmetric.aes256);
    expect(selfCertification.preferredHashAlgorithms?.[0]).toBe(enums.hash.sha256);
    expect(selfCertification.preferredAEADAlgorithms).toBeNull();
    expect((selfCertification.features?.[0] ?? 0) & seipdv2Feature).toBe(0);
  });

  it('returns the upper-case v4 fingerprint and an unencrypted private key', async () => {
    expect(gatewayKey.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    const privateKey = await readPrivateKey({ armoredKey: gatewayKey.privateKeyArmored });
    expect(privateKey.isDecrypted()).toBe(true);
    expect(privateKey.getFingerprint().toUpperCase()).toBe(gatewayKey.fingerprint);
  });
});

describe('signDetached and verifyDetached', () => {
  const bundle = '{"entries":[],"treeHead":"eyJ…","note":"Grüße\r\naus Köln"}';

  it('signs the exact bytes and verifies them', async () => {
    const data = new TextEncoder().encode(bundle);
    const signature = await signDetached(gatewayKey.privateKeyArmored, data, clock);
    expect(signature).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    await expect(
      verifyDetached(gatewayKey.publicKeyArmored, data, signature),
    ).resolves.toBeUndefined();
  });

  it('makes a binary (not text-mode) v4 SHA-256 signature dated by the clock', async () => {
    const signature = await readSignature({
      armoredSignature: await signDetached(gatewayKey.privateKeyArmored, bundle, clock),
    });
    const [packet, ...rest] = signature.packets;
    expect(rest).toHaveLength(0);
    expect(packet?.version).toBe(4);
    expect(packet?.signatureType).toBe(enums.signature.binary);
    expect(packet?.hashAlgorithm).toBe(enums.hash.sha256);
    expect(packet?.created).toEqual(created);
  });

  it('signs a string as its UTF-8 bytes', async () => {
    const signature = await signDetached(gatewayKey.privateKeyArmored, bundle, clock);
    await expect(
      verifyDetached(gatewayKey.publicKeyArmored, new TextEncoder().encode(bundle), signature),
    ).resolves.toBeUndefined();
  });

  it('verifies regardless of when it is checked', async () => {
    const later = new FixedClock('2031-06-01T00:00:00Z');
    const signature = await signDetached(gatewayKey.privateKeyArmored, bundle, later);
    await expect(
      verifyDetached(gatewayKey.publicKeyArmored, bundle, signature),
    ).resolves.toBeUndefined();
  });

  it('refuses tampered data', async () => {
    const data = new TextEncoder().encode(bundle);
    const signature = await signDetached(gatewayKey.privateKeyArmored, data, clock);
    const tampered = data.slice();
    tampered[3] = (tampered[3] ?? 0) ^ 0x01;
    const error = await refusal(verifyDetached(gatewayKey.publicKeyArmored, tampered, signature));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toBe('OpenPGP signature does not verify');
  });

  it('refuses different line endings (no text-mode normalisation)', async () => {
    const signature = await signDetached(gatewayKey.privateKeyArmored, bundle, clock);
    const error = await refusal(
      verifyDetached(gatewayKey.publicKeyArmored, bundle.replace('\r\n', '\n'), signature),
    );
    expect(error.code).toBe('validation_failed');
  });

  it('refuses a signature by another key', async () => {
    const other = await generateGatewayPgpKey({ tenantId: 'bonn', displayName: 'Bonn', clock });
    const signature = await signDetached(other.privateKeyArmored, bundle, clock);
    const error = await refusal(verifyDetached(gatewayKey.publicKeyArmored, bundle, signature));
    expect(error.code).toBe('validation_failed');
  });

  it('refuses a text-mode signature even over the same text', async () => {
    const privateKey = await readPrivateKey({ armoredKey: gatewayKey.privateKeyArmored });
    const textSignature = await signArmored({
      message: await createMessage({ text: bundle }),
      signingKeys: privateKey,
      detached: true,
      date: created,
    });
    const error = await refusal(verifyDetached(gatewayKey.publicKeyArmored, bundle, textSignature));
    expect(error.code).toBe('validation_failed');
  });

  it('refuses a garbage signature and a garbage key', async () => {
    const signature = await signDetached(gatewayKey.privateKeyArmored, bundle, clock);
    expect((await refusal(verifyDetached(gatewayKey.publicKeyArmored, bundle, 'junk'))).code).toBe(
      'validation_failed',
    );
    expect((await refusal(verifyDetached('junk', bundle, signature))).code).toBe(
      'validation_failed',
    );
  });

  it('refuses to sign with something that is not a private key', async () => {
    const error = await refusal(signDetached(gatewayKey.publicKeyArmored, bundle, clock));
    expect(error.code).toBe('internal_error');
  });
});

describe('readPgpPublicKey', () => {
  it('accepts the gateway key and describes its primary key', async () => {
    expect(await readPgpPublicKey(gatewayKey.publicKeyArmored, clock)).toEqual({
      fingerprint: gatewayKey.fingerprint,
      algorithm: 'ecdsa',
      curve: 'nistP256',
    });
  });

  it('accepts a v4 NIST P-384 key', async () => {
    const { publicKey } = await generateKey({
      type: 'ecc',
      curve: 'nistP384',
      userIDs,
      date: created,
      config: { v6Keys: false },
    });
    expect(await readPgpPublicKey(publicKey, clock)).toMatchObject({
      algorithm: 'ecdsa',
      curve: 'nistP384',
    });
  });

  it('accepts a v4 RSA-3072 key', async () => {
    const { publicKey } = await generateKey({
      type: 'rsa',
      rsaBits: 3072,
      userIDs,
      date: created,
      config: { v6Keys: false },
    });
    expect(await readPgpPublicKey(publicKey, clock)).toMatchObject({
      algorithm: 'rsaEncryptSign',
      bits: 3072,
    });
  });

  it('refuses an RSA-2048 key', async () => {
    const { publicKey } = await generateKey({
      type: 'rsa',
      rsaBits: 2048,
      userIDs,
      date: created,
      config: { v6Keys: false },
    });
    const error = await refusal(readPgpPublicKey(publicKey, clock));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toMatch(/2048 bits/);
    expect(error.detail).toMatch(/RSA of at least 3072 bits/);
  });

  it.each([
    ['curve25519 (RFC 9580 Ed25519/X25519)', { type: 'curve25519' }],
    ['curve25519 legacy (EdDSA/cv25519)', { type: 'ecc', curve: 'ed25519Legacy' }],
    ['NIST P-521', { type: 'ecc', curve: 'nistP521' }],
  ] as const)('refuses a %s key', async (_, options) => {
    const { publicKey } = await generateKey({
      ...options,
      userIDs,
      date: created,
      config: { v6Keys: false },
    });
    const error = await refusal(readPgpPublicKey(publicKey, clock));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toMatch(/NIST P-256\/P-384/);
  });

  it('refuses an allowed primary key with a cv25519 encryption subkey', async () => {
    const { publicKey } = await generateKey({
      type: 'ecc',
      curve: 'nistP256',
      subkeys: [{ type: 'ecc', curve: 'curve25519Legacy' }],
      userIDs,
      date: created,
      config: { v6Keys: false },
    });
    const error = await refusal(readPgpPublicKey(publicKey, clock));
    expect(error.detail).toMatch(/^a subkey uses the curve curve25519Legacy/);
  });

  it('refuses a v6 key even on an allowed curve', async () => {
    const { publicKey } = await generateKey({
      type: 'ecc',
      curve: 'nistP256',
      userIDs,
      date: created,
      config: { v6Keys: true },
    });
    const error = await refusal(readPgpPublicKey(publicKey, clock));
    expect(error.detail).toMatch(/v6 key, not v4/);
  });

  it('refuses a private key armor', async () => {
    const error = await refusal(readPgpPublicKey(gatewayKey.privateKeyArmored, clock));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toMatch(/private key/);
  });

  it('refuses a private key even under a public-key armor header', async () => {
    const disguised = gatewayKey.privateKeyArmored.replaceAll('PRIVATE KEY', 'PUBLIC KEY');
    const error = await refusal(readPgpPublicKey(disguised, clock));
    expect(error.code).toBe('validation_failed');
  });

  it.each([
    ['garbage', 'not a key'],
    ['an empty string', ''],
    [
      'a broken armor',
      '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n',
    ],
  ])('refuses %s', async (_, text) => {
    const error = await refusal(readPgpPublicKey(text, clock));
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toMatch(/allowed are v4 OpenPGP public keys/);
  });

  it('refuses more than 64 KiB', async () => {
    const padded = `${gatewayKey.publicKeyArmored}\n${' '.repeat(64 * 1024)}`;
    const error = await refusal(readPgpPublicKey(padded, clock));
    expect(error.detail).toMatch(/64 KiB/);
  });

  it('refuses an armor with two keys', async () => {
    const other = await generateGatewayPgpKey({ tenantId: 'bonn', displayName: 'Bonn', clock });
    const a = await readKey({ armoredKey: gatewayKey.publicKeyArmored });
    const b = await readKey({ armoredKey: other.publicKeyArmored });
    const both = new Uint8Array([...a.write(), ...b.write()]);
    const error = await refusal(readPgpPublicKey(armor(enums.armor.publicKey, both), clock));
    expect(error.detail).toMatch(/exactly one/);
  });

  it('refuses a key without an encryption-capable (sub)key', async () => {
    const { publicKey } = await generateKey({
      type: 'ecc',
      curve: 'nistP256',
      userIDs,
      subkeys: [],
      date: created,
      config: { v6Keys: false },
    });
    const error = await refusal(readPgpPublicKey(publicKey, clock));
    expect(error.detail).toMatch(/no valid encryption-capable/);
  });

  it('refuses a key that has expired by the clock, but not before', async () => {
    const { publicKey } = await generateKey({
      type: 'ecc',
      curve: 'nistP256',
      userIDs,
      keyExpirationTime: 3600,
      date: created,
      config: { v6Keys: false },
    });
    await expect(readPgpPublicKey(publicKey, clock)).resolves.toMatchObject({
      algorithm: 'ecdsa',
    });
    const later = new FixedClock(new Date(created.getTime() + 2 * 3600_000));
    const error = await refusal(readPgpPublicKey(publicKey, later));
    expect(error.detail).toMatch(/expired, revoked/);
  });

  it('refuses a revoked key', async () => {
    const { privateKey } = await generateKey({
      type: 'ecc',
      curve: 'nistP256',
      userIDs,
      date: created,
      format: 'object',
      config: { v6Keys: false },
    });
    const { publicKey } = await revokeKey({ key: privateKey, date: created });
    const error = await refusal(readPgpPublicKey(publicKey, clock));
    expect(error.detail).toMatch(/expired, revoked/);
  });
});
