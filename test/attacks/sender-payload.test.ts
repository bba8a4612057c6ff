import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { x5cOf } from '../support/pki.ts';
import { handSigned, strangerKeys } from './support/jws.ts';
import { attackWorld, exchangeBody, refused, type AttackWorld } from './support/world.ts';

/**
 * Hostile sender payloads in `POST /v1/exchanges`: the compact JWS an agency signs over the
 * message. Each is sent by abh under a valid consent to jc, so only the payload can be wrong; each
 * must answer 422 `validation_failed` and queue nothing.
 */
let w: AttackWorld;
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

interface PayloadAttack {
  payload: (w: AttackWorld) => Promise<string>;
}

const jsonOf = (value: unknown) => JSON.stringify(value);
const NOTICE = {
  residenceTitle: { kind: 'duldung', legalBasis: '§ 60a AufenthG', validUntil: '2027-03-31' },
  employmentPermission: { allowed: true, conditions: 'keine' },
};

const PAYLOAD_ATTACKS: Record<string, PayloadAttack> = {
  'alg none, empty signature': {
    payload: () => handSigned({ alg: 'none' }, jsonOf(NOTICE), 'none'),
  },
  'alg none with a signature by the sender': {
    payload: (w) => handSigned({ alg: 'none' }, jsonOf(NOTICE), w.abh.privateKey),
  },
  "signed by another agency's key": {
    payload: (w) => handSigned({ alg: 'ES256' }, jsonOf(NOTICE), w.jc.privateKey),
  },
  "HS256 keyed with the sender's certificate": {
    payload: (w) =>
      handSigned({ alg: 'HS256' }, jsonOf(NOTICE), { hmac: der(w.abh.certificatePem) }),
  },
  'jwk embedding a foreign key, signed by it': {
    payload: async () => {
      const keys = await strangerKeys();
      const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
      return handSigned(
        { alg: 'ES256', jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } },
        jsonOf(NOTICE),
        keys.privateKey,
      );
    },
  },
  'b64 false under crit, unencoded payload': {
    payload: (w) =>
      handSigned({ alg: 'ES256', b64: false, crit: ['b64'] }, jsonOf(NOTICE), w.abh.privateKey, {
        encodePayload: false,
      }),
  },
  'crit naming an unknown extension': {
    payload: (w) =>
      handSigned({ alg: 'ES256', crit: ['urn:x'], 'urn:x': 1 }, jsonOf(NOTICE), w.abh.privateKey),
  },
  'PBES2 with a huge p2c as the algorithm': {
    payload: (w) =>
      handSigned(
        { alg: 'PBES2-HS256+A128KW', p2c: 2_000_000_000, p2s: 'AAAAAAAAAAAAAAAAAAAAAA' },
        jsonOf(NOTICE),
        w.abh.privateKey,
      ),
  },
  'zip DEF over a deflated payload': {
    payload: async (w) => {
      const { deflateRawSync } = await import('node:zlib');
      return handSigned(
        { alg: 'ES256', zip: 'DEF' },
        new Uint8Array(deflateRawSync(jsonOf(NOTICE))),
        w.abh.privateKey,
      );
    },
  },
  'a JWE in place of a JWS': {
    payload: () =>
      Promise.resolve('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiemlwIjoiREVGIn0..AA.AA.AA'),
  },
};

describe('compressed JOSE (zip: DEF) over plain JSON', () => {
  // `zip` is defined for JWE only (RFC 7516 §4.1.3): a JWS declaring it is malformed, and the
  // sender's JWS is forwarded unchanged to a recipient whose library might inflate it.
  it('refuses a sender payload whose header says zip DEF', async () => {
    const before = w.state();
    const payload = await handSigned(
      { alg: 'ES256', zip: 'DEF' },
      jsonOf(NOTICE),
      w.abh.privateKey,
    );
    const res = await w.as(w.abh, '/v1/exchanges', {
      method: 'POST',
      body: JSON.stringify(await exchangeBody(w.abh, payload)),
    });
    await refused(res, 422, 'validation_failed');
    expect(w.state()).toBe(before);
  });
});

describe('hostile sender payloads in POST /v1/exchanges', () => {
  it.each(Object.entries(PAYLOAD_ATTACKS))(
    'refuses %s with 422 validation_failed and queues nothing',
    async (_name, attack) => {
      const before = w.state();
      const res = await w.as(w.abh, '/v1/exchanges', {
        method: 'POST',
        body: JSON.stringify(await exchangeBody(w.abh, await attack.payload(w))),
      });
      await refused(res, 422, 'validation_failed');
      expect(w.state()).toBe(before);
    },
  );
});
