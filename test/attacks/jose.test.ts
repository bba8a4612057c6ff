import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addPrincipal, provisionedTenant, x5cOf } from '../support/pki.ts';
import { claimsOf, handSigned, strangerKeys, type Signer } from './support/jws.ts';
import { attackWorld, AUD, refused, type AttackWorld } from './support/world.ts';

/**
 * Hostile client assertions, one table row each (sender payloads: sender-payload.test.ts). Every
 * one is aimed at jc's mailbox, which holds a message, so a wrongly accepted one would read it.
 */
let w: AttackWorld;
// One world for the file: every row is a refusal, and the rows that need state make their own.
beforeAll(async () => {
  w = await attackWorld();
});
afterAll(() => {
  w.gw.close();
});
// The clock is frozen; a second per test refills the per-principal rate budget (50/s).
beforeEach(() => {
  w.gw.clock.advance(1_000);
});

const der = (pem: string) => Uint8Array.from(Buffer.from(x5cOf(pem), 'base64'));
const spki = (pem: string) => new Uint8Array(new x509.X509Certificate(pem).publicKey.rawData);

async function selfSignedAs(cn: string, keys: CryptoKeyPair, now: Date) {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${cn}`,
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 86_400_000),
  });
  return x5cOf(cert.toString('pem'));
}

interface AssertionAttack {
  /** Header fields over { alg: ES256, x5c: [jc's certificate] }; `undefined` removes one. */
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  signer?: (w: AttackWorld) => Promise<Signer> | Signer;
  /** Runs first; may answer a whole token instead. */
  prepare?: (w: AttackWorld) => Promise<string | undefined>;
  status: number;
  code: string;
  /** What the refusal's detail must say, so a row is refused for the reason it tests. */
  because?: RegExp;
}

const nowS = () => Math.floor(w.gw.clock.now().getTime() / 1000);

const ASSERTION_ATTACKS: Record<string, AssertionAttack> = {
  'alg none': {
    header: { alg: 'none' },
    signer: () => 'none',
    status: 401,
    code: 'unauthenticated',
    because: /algorithm not allowed/,
  },
  'alg None with a signature': {
    header: { alg: 'None' },
    status: 401,
    code: 'unauthenticated',
    because: /algorithm not allowed/,
  },
  'HS256 keyed with the certificate DER (x5c)': {
    header: { alg: 'HS256' },
    signer: (w) => ({ hmac: der(w.jc.certificatePem) }),
    status: 401,
    code: 'unauthenticated',
    because: /algorithm not allowed/,
  },
  'HS256 keyed with the certificate PEM text (kid)': {
    header: { alg: 'HS256', x5c: undefined, kid: '' },
    signer: (w) => ({ hmac: new TextEncoder().encode(w.jc.certificatePem) }),
    status: 401,
    code: 'unauthenticated',
    because: /algorithm not allowed/,
  },
  'HS256 keyed with the certificate public key (SPKI)': {
    header: { alg: 'HS256' },
    signer: (w) => ({ hmac: spki(w.jc.certificatePem) }),
    status: 401,
    code: 'unauthenticated',
    because: /algorithm not allowed/,
  },
  'RS256 against an EC certificate': {
    header: { alg: 'RS256' },
    status: 401,
    code: 'unauthenticated',
    because: /does not fit the certificate key/,
  },
  'PBES2 with a huge p2c as the algorithm': {
    header: { alg: 'PBES2-HS512+A256KW', p2c: 2_000_000_000, p2s: 'AAAAAAAAAAAAAAAAAAAAAA' },
    status: 401,
    code: 'unauthenticated',
    because: /algorithm not allowed/,
  },
  'a foreign self-signed certificate under x5c, signed by its key': {
    prepare: async (w) => {
      const keys = await strangerKeys();
      const x5c = await selfSignedAs('jc-koeln', keys, w.gw.clock.now());
      return handSigned(
        { alg: 'ES256', x5c: [x5c] },
        JSON.stringify(claimsOf(w.jc, w.gw.clock.now(), AUD)),
        keys.privateKey,
      );
    },
    status: 401,
    code: 'unauthenticated',
    because: /not registered/,
  },
  "jc's certificate under x5c, signed by a foreign key": {
    signer: async () => (await strangerKeys()).privateKey,
    status: 401,
    code: 'unauthenticated',
    because: /signature does not verify/,
  },
  'a foreign chain: jc first, a stranger as intermediate': {
    prepare: async (w) => {
      const x5c = await selfSignedAs('Rogue CA', await strangerKeys(), w.gw.clock.now());
      return handSigned(
        { alg: 'ES256', x5c: [x5cOf(w.jc.certificatePem), x5c, x5c, x5c, x5c] },
        JSON.stringify(claimsOf(w.jc, w.gw.clock.now(), AUD)),
        w.jc.privateKey,
      );
    },
    status: 401,
    code: 'unauthenticated',
    because: /x5c must be 1–4/,
  },
  'x5c that is a string, not a list': {
    header: { x5c: 'not-a-list' },
    status: 401,
    code: 'unauthenticated',
    because: /x5c must be/,
  },
  "a foreign kid: so's certificate, signed by jc": {
    prepare: (w) =>
      handSigned(
        { alg: 'ES256', kid: w.so.fingerprint },
        JSON.stringify(claimsOf(w.jc, w.gw.clock.now(), AUD)),
        w.jc.privateKey,
      ).then((t) => t),
    status: 401,
    code: 'unauthenticated',
    because: /signature does not verify/,
  },
  'an unknown kid': {
    header: { x5c: undefined, kid: 'f'.repeat(64) },
    status: 401,
    code: 'unauthenticated',
    because: /no registered certificate/,
  },
  'zip DEF (compression belongs to JWE)': {
    header: { zip: 'DEF' },
    status: 401,
    code: 'unauthenticated',
    because: /"zip"/,
  },
  'jku pointing at an attacker': {
    header: { jku: 'https://attacker.example/jwks.json' },
    status: 401,
    code: 'unauthenticated',
    because: /"jku"/,
  },
  'x5u pointing at an attacker': {
    header: { x5u: 'https://attacker.example/cert.pem' },
    status: 401,
    code: 'unauthenticated',
    because: /"x5u"/,
  },
  'jwk embedding the attacker key, signed by it': {
    prepare: async (w) => {
      const keys = await strangerKeys();
      const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
      return handSigned(
        { alg: 'ES256', jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } },
        JSON.stringify(claimsOf(w.jc, w.gw.clock.now(), AUD)),
        keys.privateKey,
      );
    },
    status: 401,
    code: 'unauthenticated',
    because: /"jwk"/,
  },
  'crit naming an unknown extension': {
    header: { crit: ['urn:attacker:ext'], 'urn:attacker:ext': true },
    status: 401,
    code: 'unauthenticated',
    because: /"crit"/,
  },
  'crit naming b64 (known, unsupported) with b64 false': {
    header: { crit: ['b64'], b64: false },
    status: 401,
    code: 'unauthenticated',
    because: /"crit"/,
  },
  'an expired assertion': {
    claims: { iat: -400, exp: -200 },
    status: 401,
    code: 'unauthenticated',
    because: /expired/,
  },
  'nbf in the future': {
    claims: { nbf: 600 },
    status: 401,
    code: 'unauthenticated',
    because: /not valid yet/,
  },
  'iat in the future': {
    claims: { iat: 300, exp: 360 },
    status: 401,
    code: 'unauthenticated',
    because: /iat lies in the future/,
  },
  'exp more than 5 minutes after iat': {
    claims: { iat: 0, exp: 301 },
    status: 401,
    code: 'unauthenticated',
    because: /at most 300 s/,
  },
  'no exp': {
    claims: { exp: undefined },
    status: 401,
    code: 'unauthenticated',
    because: /claim exp/,
  },
  'no jti': {
    claims: { jti: undefined },
    status: 401,
    code: 'unauthenticated',
    because: /claim jti/,
  },
  'a wrong aud': {
    claims: { aud: 'https://gateway.attacker.example' },
    status: 401,
    code: 'unauthenticated',
    because: /wrong audience/,
  },
  'iss not equal to sub': {
    claims: { sub: 'abh-koeln' },
    status: 401,
    code: 'unauthenticated',
    because: /iss and sub/,
  },
  "iss and sub naming another agency than the certificate's": {
    claims: { iss: 'abh-koeln', sub: 'abh-koeln' },
    status: 401,
    code: 'unauthenticated',
    because: /iss and sub/,
  },
  'a replayed jti': {
    prepare: async (w) => {
      const token = await handSigned(
        { alg: 'ES256', x5c: [x5cOf(w.jc.certificatePem)] },
        JSON.stringify(claimsOf(w.jc, w.gw.clock.now(), AUD)),
        w.jc.privateKey,
      );
      const first = await w.gw.app.request('/v1/mailbox', {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(first.status).toBe(200);
      return token;
    },
    status: 401,
    code: 'replayed_assertion',
    because: /jti was used before/,
  },
  'a revoked certificate': {
    prepare: async (w) => {
      const revoked = await addPrincipal(w.deps, {
        tenantId: 'koeln',
        id: 'jc-revoked',
        kind: 'agency',
        agencyType: 'jobcenter',
      });
      await w.gw.storage.pki.revoke('koeln', revoked.serial, w.gw.clock.now().toISOString());
      return handSigned(
        { alg: 'ES256', x5c: [x5cOf(revoked.certificatePem)] },
        JSON.stringify(claimsOf(revoked, w.gw.clock.now(), AUD)),
        revoked.privateKey,
      );
    },
    status: 401,
    code: 'certificate_revoked',
    because: /revoked/,
  },
  "another tenant's certificate claiming a koeln agency": {
    prepare: async (w) => {
      await provisionedTenant(w.deps, 'dortmund');
      const foreign = await addPrincipal(w.deps, {
        tenantId: 'dortmund',
        id: 'jc-dortmund',
        kind: 'agency',
        agencyType: 'jobcenter',
      });
      return handSigned(
        { alg: 'ES256', x5c: [x5cOf(foreign.certificatePem)] },
        JSON.stringify(claimsOf(w.jc, w.gw.clock.now(), AUD)),
        foreign.privateKey,
      );
    },
    status: 401,
    code: 'unauthenticated',
    because: /iss and sub/,
  },
  'a JWE (five parts) in place of a JWS': {
    prepare: () =>
      Promise.resolve(
        `${Buffer.from(JSON.stringify({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1e9, p2s: 'AAAAAAAAAAA' })).toString('base64url')}.AA.AA.AA.AA`,
      ),
    status: 401,
    code: 'unauthenticated',
    because: /not a compact JWS/,
  },
  'an assertion over 16 KiB': {
    claims: { pad: 'x'.repeat(20_000) },
    status: 401,
    code: 'unauthenticated',
    because: /not a compact JWS/,
  },
};

/** Merges `changes` into `base`; an `undefined` value removes the field. */
const bent = (base: Record<string, unknown>, changes: Record<string, unknown> = {}) =>
  Object.fromEntries(
    Object.entries({ ...base, ...changes }).filter(([, value]) => value !== undefined),
  );

async function tokenFor(attack: AssertionAttack): Promise<string> {
  const prepared = attack.prepare ? await attack.prepare(w) : undefined;
  if (prepared !== undefined) return prepared;
  const kid = attack.header?.['kid'] === '' ? { kid: w.jc.fingerprint } : {};
  const header = bent(
    { alg: 'ES256', typ: 'JWT', x5c: [x5cOf(w.jc.certificatePem)] },
    {
      ...attack.header,
      ...kid,
    },
  );
  // Time claims in the table are offsets in seconds from now.
  const times = Object.fromEntries(
    Object.entries(attack.claims ?? {})
      .filter(([name, value]) => ['iat', 'exp', 'nbf'].includes(name) && typeof value === 'number')
      .map(([name, value]) => [name, nowS() + (value as number)]),
  );
  const claims = bent(claimsOf(w.jc, w.gw.clock.now(), AUD), { ...attack.claims, ...times });
  const signer = attack.signer ? await attack.signer(w) : w.jc.privateKey;
  return handSigned(header, JSON.stringify(claims), signer);
}

describe('hostile client assertions', () => {
  it('accepts the unbent assertion this table bends (the baseline)', async () => {
    const res = await w.gw.app.request('/v1/mailbox', {
      headers: { Authorization: `Bearer ${await tokenFor({ status: 200, code: '' })}` },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it.each(Object.entries(ASSERTION_ATTACKS))('refuses %s', async (_name, attack) => {
    const started = performance.now();
    const token = await tokenFor(attack);
    const res = await w.gw.app.request('/v1/mailbox', {
      headers: { Authorization: `Bearer ${token}` },
    });
    const { detail } = await refused(res, attack.status, attack.code);
    if (attack.because) expect(detail).toMatch(attack.because);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
