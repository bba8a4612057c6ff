import * as x509 from '@peculiar/x509';
import { SignJWT, base64url } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  certificateFingerprint,
  joseEngine,
  JoseEngineFailed,
  useJoseEngine,
  type PkiDeps,
} from '../certs/index.ts';
import type { TestGateway } from './support/app.ts';
import {
  addPrincipal,
  assertionFor,
  keyAndCsr,
  provisionedTenant,
  x5cOf,
  type TestPrincipal,
} from './support/pki.ts';
import { AUD, koelnWorld, type KoelnWorld } from './support/world.ts';

let world: KoelnWorld;
let gw: TestGateway;
let deps: PkiDeps;
let agency: TestPrincipal;
let dpo: TestPrincipal;

beforeEach(async () => {
  world = await koelnWorld({ agencies: ['jc'] });
  ({ gw, deps, jc: agency, dpo } = world);
});
afterEach(() => {
  world.close();
});

const call = (token: string | undefined, path = '/v1/whoami') =>
  gw.app.request(
    path,
    token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
  );

const assertion = (p: TestPrincipal, extra: Partial<Parameters<typeof assertionFor>[1]> = {}) =>
  assertionFor(p, { audience: AUD, now: gw.clock.now(), ...extra });

async function refused(res: Response, status: number, code: string): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  const body = (await res.json()) as { code: string; detail: string };
  expect(body.code).toBe(code);
  return body.detail;
}

function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const enc = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${enc(header)}.${enc(payload)}.`;
}

const claims = (p: TestPrincipal, now: Date) => {
  const iat = Math.floor(now.getTime() / 1000);
  return { iss: p.id, sub: p.id, aud: AUD, iat, exp: iat + 60, jti: crypto.randomUUID() };
};

describe('client assertions that pass', () => {
  it('authenticates an agency by x5c and says who it is', async () => {
    const res = await call(await assertion(agency));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      tenant: 'koeln',
      id: 'jc-koeln',
      kind: 'agency',
      agencyType: 'jobcenter',
      certificate: agency.fingerprint,
    });
  });

  it('authenticates by kid (the certificate fingerprint)', async () => {
    const res = await call(await assertion(agency, { by: 'kid' }));
    expect(res.status).toBe(200);
  });

  it.each(['P-384', 'RSA-3072'] as const)('accepts a %s certificate key', async (keyKind) => {
    const other = await addPrincipal(deps, {
      tenantId: 'koeln',
      id: `so-${keyKind.toLowerCase()}`,
      kind: 'agency',
      agencyType: 'social_office',
      keyKind,
    });
    expect((await call(await assertion(other))).status).toBe(200);
  });

  it('tolerates 60 s of clock skew on iat', async () => {
    expect((await call(await assertion(agency, { iatOffsetS: 50 }))).status).toBe(200);
  });

  it('lets a DPO reach a DPO route', async () => {
    const res = await call(await assertion(dpo), '/v1/principals');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { id: string }[] };
    expect(body.items.map((p) => p.id)).toEqual(['jc-koeln', 'dsb-koeln']);
  });
});

describe('client assertions that are refused', () => {
  it('refuses a request without a bearer token', async () => {
    const res = await call(undefined);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="consent-gateway"');
    const detail = await refused(res, 401, 'unauthenticated');
    expect(detail).toContain('Authorization: Bearer');
  });

  it('refuses garbage in place of a JWT', async () => {
    await refused(await call('not.a.jwt'), 401, 'unauthenticated');
  });

  it('refuses alg none', async () => {
    const token = unsigned(
      { alg: 'none', x5c: [x5cOf(agency.certificatePem)] },
      claims(agency, gw.clock.now()),
    );
    expect(await refused(await call(token), 401, 'unauthenticated')).toContain(
      'algorithm not allowed',
    );
  });

  it('refuses HS256 keyed with the certificate bytes', async () => {
    const der = Uint8Array.from(Buffer.from(x5cOf(agency.certificatePem), 'base64'));
    const token = await new SignJWT(claims(agency, gw.clock.now()))
      .setProtectedHeader({ alg: 'HS256', x5c: [x5cOf(agency.certificatePem)] })
      .sign(der);
    await refused(await call(token), 401, 'unauthenticated');
    const byKid = await new SignJWT(claims(agency, gw.clock.now()))
      .setProtectedHeader({ alg: 'HS256', kid: agency.fingerprint })
      .sign(der);
    await refused(await call(byKid), 401, 'unauthenticated');
  });

  it('refuses a signature by a key that does not match the x5c certificate', async () => {
    const { keys } = await keyAndCsr('P-256');
    const detail = await refused(
      await call(await assertion(agency, { signWith: keys.privateKey })),
      401,
      'unauthenticated',
    );
    expect(detail).toContain('signature does not verify');
  });

  it.each(['jku', 'x5u', 'jwk', 'crit'])(
    'refuses the %s header on an otherwise valid assertion',
    async (name) => {
      const value =
        name === 'crit'
          ? ['exp']
          : name === 'jwk'
            ? { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }
            : 'https://attacker.example/keys';
      const token = await assertion(agency, { header: { [name]: value } }).catch(() =>
        // jose refuses to sign a crit it does not know; build that one by hand, signature or not.
        unsigned(
          { alg: 'ES256', x5c: [x5cOf(agency.certificatePem)], [name]: value },
          claims(agency, gw.clock.now()),
        ),
      );
      expect(await refused(await call(token), 401, 'unauthenticated')).toContain(`"${name}"`);
    },
  );

  it('refuses both x5c and kid, and neither', async () => {
    await refused(
      await call(await assertion(agency, { header: { kid: agency.fingerprint } })),
      401,
      'unauthenticated',
    );
    const neither = unsigned({ alg: 'ES256' }, claims(agency, gw.clock.now()));
    await refused(await call(neither), 401, 'unauthenticated');
  });

  it('refuses an unknown kid, and treats a path-like kid as a plain lookup', async () => {
    for (const kid of ['unknown', '../../etc/passwd', "' OR 1=1 --"]) {
      const detail = await refused(
        await call(await assertion(agency, { by: 'kid', header: { kid } })),
        401,
        'unauthenticated',
      );
      expect(detail).toContain('no registered certificate');
    }
  });

  it('refuses a certificate from another CA that the gateway never registered', async () => {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const rogueCa = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=Rogue CA',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
    });
    const leafKeys = await keyAndCsr('P-256', 'jc-koeln');
    const leaf = await x509.X509CertificateGenerator.create({
      subject: 'CN=jc-koeln',
      issuer: rogueCa.subject,
      publicKey: leafKeys.keys.publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      notBefore: new Date(gw.clock.now().getTime() - 60_000),
      notAfter: new Date(gw.clock.now().getTime() + 86_400_000),
    });
    const rogue = {
      ...agency,
      certificatePem: leaf.toString('pem'),
      privateKey: leafKeys.keys.privateKey,
    };
    expect(await refused(await call(await assertion(rogue)), 401, 'unauthenticated')).toContain(
      'not registered',
    );

    // Even a registered record does not help when its chain does not lead to the tenant's CA.
    await gw.storage.pki.addCertificate({
      fingerprint: await certificateFingerprint(leaf),
      tenantId: 'koeln',
      principalId: 'jc-koeln',
      serial: leaf.serialNumber.toLowerCase(),
      issuerFingerprint: 'rogue',
      certificatePem: leaf.toString('pem'),
      notBefore: leaf.notBefore.toISOString(),
      notAfter: leaf.notAfter.toISOString(),
      issuedByGateway: false,
      createdAt: gw.clock.now().toISOString(),
      revokedAt: null,
    });
    await refused(await call(await assertion(rogue)), 401, 'unauthenticated');
  });

  it('authenticates a principal of another tenant into its own tenant only', async () => {
    await provisionedTenant(deps, 'dortmund');
    const foreign = await addPrincipal(deps, {
      tenantId: 'dortmund',
      id: 'abh-dortmund',
      kind: 'agency',
      agencyType: 'immigration_office',
    });
    const res = await call(await assertion(foreign));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tenant: string }).tenant).toBe('dortmund');
  });

  it('refuses an expired certificate', async () => {
    gw.clock.advance(366 * 86_400_000);
    expect(await refused(await call(await assertion(agency)), 401, 'unauthenticated')).toMatch(
      /expired/,
    );
  });

  it('refuses a certificate that is not valid yet', async () => {
    gw.clock.advance(-3_600_000);
    expect(await refused(await call(await assertion(agency)), 401, 'unauthenticated')).toMatch(
      /not yet valid/,
    );
  });

  it('refuses a wrong audience and says which one to use', async () => {
    const detail = await refused(
      await call(await assertion(agency, { audience: 'https://other.example' })),
      401,
      'unauthenticated',
    );
    expect(detail).toContain(AUD);
  });

  it('refuses an assertion living longer than 5 minutes', async () => {
    const detail = await refused(
      await call(await assertion(agency, { lifetimeS: 301 })),
      401,
      'unauthenticated',
    );
    expect(detail).toContain('300');
    expect((await call(await assertion(agency, { lifetimeS: 300 }))).status).toBe(200);
  });

  it('refuses an expired assertion and one issued too far in the future', async () => {
    await refused(
      await call(await assertion(agency, { iatOffsetS: -400, lifetimeS: 200 })),
      401,
      'unauthenticated',
    );
    await refused(await call(await assertion(agency, { iatOffsetS: 120 })), 401, 'unauthenticated');
  });

  it('refuses iss or sub naming another principal than the certificate', async () => {
    await refused(
      await call(await assertion(agency, { iss: 'dsb-koeln' })),
      401,
      'unauthenticated',
    );
  });

  it('refuses a replayed jti, also across both ways of naming the key', async () => {
    const token = await assertion(agency, { jti: 'once-only' });
    expect((await call(token)).status).toBe(200);
    await refused(await call(token), 401, 'replayed_assertion');
    await refused(
      await call(await assertion(agency, { by: 'kid', jti: 'once-only' })),
      401,
      'replayed_assertion',
    );
  });

  it('forgets a jti after its assertion expired, and never earlier', async () => {
    expect((await call(await assertion(agency, { jti: 'j-1', lifetimeS: 60 }))).status).toBe(200);
    gw.clock.advance(30_000);
    await refused(
      await call(await assertion(agency, { jti: 'j-1', lifetimeS: 60 })),
      401,
      'replayed_assertion',
    );
    const rows = () => gw.storage.db.prepare('SELECT COUNT(*) FROM used_assertions').pluck().get();
    expect(rows()).toBe(1);
    gw.clock.advance(10 * 60_000);
    expect((await call(await assertion(agency))).status).toBe(200);
    expect(rows()).toBe(1); // j-1 was cleaned, the new one recorded
  });

  it('does not burn a jti on an assertion whose signature fails', async () => {
    const { keys } = await keyAndCsr('P-256');
    await refused(
      await call(await assertion(agency, { jti: 'j-2', signWith: keys.privateKey })),
      401,
      'unauthenticated',
    );
    expect((await call(await assertion(agency, { jti: 'j-2' }))).status).toBe(200);
  });

  it('refuses a revoked certificate from the next request on', async () => {
    expect((await call(await assertion(agency))).status).toBe(200);
    await gw.storage.pki.revoke('koeln', agency.serial, gw.clock.now().toISOString());
    await refused(await call(await assertion(agency)), 401, 'certificate_revoked');
  });

  it('answers 403 forbidden when an agency calls a DPO route', async () => {
    const detail = await refused(
      await call(await assertion(agency), '/v1/principals'),
      403,
      'forbidden',
    );
    expect(detail).toContain('dpo');
  });
});

describe('an engine that cannot verify at all', () => {
  it('answers 500, not 401: the server failed, not the assertion', async () => {
    const real = joseEngine();
    useJoseEngine({
      ...real,
      verify: () => Promise.reject(new JoseEngineFailed('the JOSE thread stopped')),
    });
    try {
      const res = await call(await assertion(agency));
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ code: 'internal_error' });
    } finally {
      useJoseEngine(real);
    }
    expect((await call(await assertion(agency))).status).toBe(200);
  });
});
