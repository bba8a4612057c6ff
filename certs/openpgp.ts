/**
 * The gateway's OpenPGP key (signs audit exports, published at /.well-known/openpgp-key.asc) and
 * the check of keys agencies register. Everything stays v4 (RFC 4880) on NIST curves or RSA,
 * because GnuPG 2.2 as shipped by Debian reads neither v6 keys nor the RFC 9580 X25519/Ed25519
 * algorithm ids that openpgp.js v6 would pick by default.
 */
import {
  config as openpgpConfig,
  createMessage,
  encrypt,
  enums,
  generateKey,
  readKeys,
  readPrivateKey,
  readSignature,
  sign,
  verify,
} from 'openpgp';
import type {
  Config,
  EncryptOptions,
  Key,
  PartialConfig,
  PrivateKey,
  Signature,
  SignOptions,
  Subkey,
} from 'openpgp';
import { GatewayError, systemClock } from '../core/index.ts';
import type { Clock } from '../core/index.ts';

/** The gateway's key pair; the private half is unencrypted and must be wrapped before storage. */
export interface GatewayPgpKey {
  readonly publicKeyArmored: string;
  readonly privateKeyArmored: string;
  /** v4 fingerprint, upper-case hex (40 digits). */
  readonly fingerprint: string;
}

/** What {@link readPgpPublicKey} found out about an accepted key (its primary key). */
export interface PgpPublicKeyInfo {
  readonly fingerprint: string;
  readonly algorithm: string;
  readonly bits?: number;
  readonly curve?: string;
}

/**
 * Pinned rather than taken from openpgp's mutable global config, so nothing elsewhere in the
 * process can switch the gateway to v6 keys, AEAD (SEIPDv2) or a hash GnuPG 2.2 lacks.
 */
const gnupg22Compatible: PartialConfig = {
  v6Keys: false,
  aeadProtect: false,
  preferredHashAlgorithm: enums.hash.sha256,
  preferredSymmetricAlgorithm: enums.symmetric.aes256,
  preferredCompressionAlgorithm: enums.compression.uncompressed,
};

/**
 * openpgp's typings derive `sign`'s result from the types of its optional peer
 * `@openpgp/web-stream-tools`, which is not installed, so they resolve to an error type. For an
 * in-memory message and `format: 'armored'` the result is a string.
 */
const signArmored = sign as unknown as (
  options: SignOptions & { format: 'armored' },
) => Promise<string>;

const maxPublicKeyBytes = 64 * 1024;
const minRsaBits = 3072;
const allowedCurves: ReadonlySet<string> = new Set([enums.curve.nistP256, enums.curve.nistP384]);
const allowedEccAlgorithms: ReadonlySet<enums.publicKey> = new Set([
  enums.publicKey.ecdsa,
  enums.publicKey.ecdh,
]);
const allowedRsaAlgorithms: ReadonlySet<enums.publicKey> = new Set([
  enums.publicKey.rsaEncryptSign,
  enums.publicKey.rsaEncrypt,
  enums.publicKey.rsaSign,
]);
const allowedKeysText =
  'allowed are v4 OpenPGP public keys with NIST P-256/P-384 (ECDSA, ECDH) or RSA of at least 3072 bits, with a valid encryption-capable (sub)key';

/**
 * Generates the gateway's OpenPGP key: a v4 ECDSA NIST P-256 primary key (certify, sign) with an
 * ECDH P-256 encryption subkey, created at the clock's time and never expiring.
 *
 * @example
 * ```ts
 * const pgp = await generateGatewayPgpKey({ tenantId: 'koeln', displayName: 'Stadt Köln', clock });
 * const stored = await wrapSecret(master, new TextEncoder().encode(pgp.privateKeyArmored),
 *   'tenant:koeln/openpgp/' + pgp.fingerprint);
 * ```
 */
export async function generateGatewayPgpKey(opts: {
  tenantId: string;
  displayName: string;
  clock: Clock;
}): Promise<GatewayPgpKey> {
  const { privateKey, publicKey } = await generateKey({
    type: 'ecc',
    curve: 'nistP256',
    userIDs: [
      {
        name: `${opts.displayName} Consent Gateway`,
        email: `gateway@${opts.tenantId}.consent-gateway.invalid`,
      },
    ],
    subkeys: [{ sign: false }],
    date: opts.clock.now(),
    format: 'object',
    config: gnupg22Compatible,
  });
  return {
    publicKeyArmored: publicKey.armor(),
    privateKeyArmored: privateKey.armor(),
    fingerprint: privateKey.getFingerprint().toUpperCase(),
  };
}

/**
 * Makes an armored detached signature over exactly `data` (a binary signature, type 0x00, so no
 * line-ending normalisation); a string is signed as its UTF-8 bytes. `gpg --verify sig.asc file`
 * checks it.
 *
 * @throws GatewayError `internal_error` if the private key cannot be read or used for signing.
 */
export async function signDetached(
  privateKeyArmored: string,
  data: Uint8Array | string,
  clock: Clock,
): Promise<string> {
  let signingKey: PrivateKey;
  try {
    signingKey = await readPrivateKey({ armoredKey: privateKeyArmored });
  } catch (cause) {
    throw new GatewayError('internal_error', {
      detail: 'the gateway OpenPGP key could not be read',
      cause,
    });
  }
  const message = await createMessage({ binary: toBytes(data) });
  try {
    return await signArmored({
      message,
      signingKeys: signingKey,
      detached: true,
      format: 'armored',
      date: clock.now(),
      config: gnupg22Compatible,
    });
  } catch (cause) {
    throw new GatewayError('internal_error', {
      detail: 'the gateway OpenPGP key could not sign',
      cause,
    });
  }
}

/**
 * Checks an armored detached binary signature over exactly `data` against one public key. Every
 * signature in the armor must verify, and there must be at least one. The check is independent of
 * the current time (a years-old export must still verify), but the key must have been valid when
 * the signature was made.
 *
 * @throws GatewayError `validation_failed` ("OpenPGP signature does not verify") on any failure,
 *   including an unreadable key or signature and a text-mode signature.
 */
export async function verifyDetached(
  publicKeyArmored: string,
  data: Uint8Array | string,
  signatureArmored: string,
): Promise<void> {
  try {
    const [key, ...others] = await readKeys({ armoredKeys: publicKeyArmored });
    if (key === undefined || others.length > 0) throw new Error('expected exactly one key');
    const signature: Signature = await readSignature({ armoredSignature: signatureArmored });
    if (
      signature.packets.length === 0 ||
      !signature.packets.every((packet) => packet.signatureType === enums.signature.binary)
    ) {
      throw new Error('expected binary signatures only');
    }
    const result = await verify({
      message: await createMessage({ binary: toBytes(data) }),
      signature,
      verificationKeys: key.toPublic(),
      expectSigned: true,
      format: 'binary',
      // null: judge key validity at the signature's own time, not at today's.
      date: null,
    });
    if (result.signatures.length !== signature.packets.length) {
      throw new Error('not every signature was checked');
    }
    await Promise.all(result.signatures.map((checked) => checked.verified));
  } catch (cause) {
    throw new GatewayError('validation_failed', {
      detail: 'OpenPGP signature does not verify',
      cause,
    });
  }
}

/**
 * Checks an OpenPGP public key an agency registers for encrypted delivery: armored, at most
 * 64 KiB, exactly one v4 key whose primary key and subkeys all use NIST P-256/P-384 (ECDSA, ECDH)
 * or RSA ≥ 3072 bits, neither expired nor revoked at the clock's time, with an encryption-capable
 * (sub)key. Private keys are refused so none is ever stored by mistake.
 *
 * @param clock - when to judge expiry and revocation; defaults to the system clock.
 * @throws GatewayError `validation_failed` saying what is wrong and what is allowed.
 */
export async function readPgpPublicKey(
  armored: string,
  clock: Clock = systemClock,
): Promise<PgpPublicKeyInfo> {
  if (new TextEncoder().encode(armored).byteLength > maxPublicKeyBytes) {
    refuse(`the OpenPGP key is larger than 64 KiB; ${allowedKeysText}`);
  }
  if (armored.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')) {
    refuse(`this is an OpenPGP private key; send only the public key. ${allowedKeysText}`);
  }
  let keys: Key[];
  try {
    keys = await readKeys({ armoredKeys: armored });
  } catch (cause) {
    refuse(`this is not an armored OpenPGP public key; ${allowedKeysText}`, cause);
  }
  const [key, ...others] = keys;
  if (key === undefined || others.length > 0) {
    refuse(`the armor must hold exactly one OpenPGP key; ${allowedKeysText}`);
  }
  if (key.isPrivate()) {
    refuse(`this is an OpenPGP private key; send only the public key. ${allowedKeysText}`);
  }
  for (const part of key.getKeys()) {
    const problem = unsupportedKeyPart(part, part === key ? 'the primary key' : 'a subkey');
    if (problem !== undefined) refuse(`${problem}; ${allowedKeysText}`);
  }
  const now = clock.now();
  try {
    await key.verifyPrimaryKey(now);
  } catch (cause) {
    refuse(
      `the OpenPGP key is expired, revoked or its self-signature is invalid; ${allowedKeysText}`,
      cause,
    );
  }
  try {
    await key.getEncryptionKey(undefined, now, undefined, strictConfig());
  } catch (cause) {
    refuse(`the OpenPGP key has no valid encryption-capable (sub)key; ${allowedKeysText}`, cause);
  }
  const info = key.getAlgorithmInfo();
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    algorithm: info.algorithm,
    ...(info.bits === undefined ? {} : { bits: info.bits }),
    ...(info.curve === undefined ? {} : { curve: info.curve }),
  };
}

/** Why one key packet is not acceptable, or undefined if it is. */
function unsupportedKeyPart(part: Key | Subkey, role: string): string | undefined {
  const { version, algorithm } = part.keyPacket;
  if (version !== 4) return `${role} is an OpenPGP v${version} key, not v4`;
  const info = part.getAlgorithmInfo();
  if (allowedRsaAlgorithms.has(algorithm)) {
    return (info.bits ?? 0) >= minRsaBits
      ? undefined
      : `${role} is RSA with ${info.bits ?? 0} bits, fewer than ${minRsaBits}`;
  }
  if (allowedEccAlgorithms.has(algorithm)) {
    return info.curve !== undefined && allowedCurves.has(info.curve)
      ? undefined
      : `${role} uses the curve ${info.curve ?? 'unknown'}`;
  }
  return `${role} uses the algorithm ${info.algorithm}`;
}

/** openpgp's defaults, tightened so the encryption key it picks is one we accept. */
function strictConfig(): Config {
  return { ...openpgpConfig, minRSABits: minRsaBits, v6Keys: false };
}

function refuse(detail: string, cause?: unknown): never {
  throw new GatewayError('validation_failed', { detail, cause });
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}

/**
 * Encrypts (and signs, so the recipient can insist on `expectSigned`) a text to an agency's
 * registered OpenPGP key, as an armored message GnuPG 2.2 decrypts: SEIPDv1 with AES-256, no AEAD.
 */
export async function encryptToPgpKey(
  recipientArmored: string,
  text: string,
  signingKeyArmored: string,
  clock: Clock,
): Promise<string> {
  const [key] = await readKeys({ armoredKeys: recipientArmored });
  if (!key) throw new GatewayError('internal_error', { detail: 'no OpenPGP key to encrypt to' });
  const recipient = key.toPublic();
  const signingKey = await readPrivateKey({ armoredKey: signingKeyArmored });
  const encryptArmored = encrypt as unknown as (
    options: EncryptOptions & { format: 'armored' },
  ) => Promise<string>;
  return encryptArmored({
    message: await createMessage({ text }),
    encryptionKeys: recipient,
    signingKeys: signingKey,
    date: clock.now(),
    format: 'armored',
    config: gnupg22Compatible,
  });
}
