import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactSign, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGatewaySigner } from '../certs/index.ts';
import { main } from '../cli/main.ts';
import type { CliIo } from '../cli/io.ts';
import { personGrants } from './support/person.ts';
import { AUD, koelnWorld, type KoelnWorld } from './support/world.ts';
import { askConsent } from './support/flows.ts';

/*
 * Issue 17, item 6: `receipt verify FILE` checks the receipt a person got on grant against the
 * gateway's JWKS, and says in one line why it refuses one.
 */

let world: KoelnWorld;
let receipt: string;
let consentId: string;

beforeEach(async () => {
  world = await koelnWorld({ agencies: ['abh', 'jc'], dpo: false });
  const request = await askConsent(
    world,
    world.jc,
    { scheme: 'azr', value: '908170000017' },
    { validUntil: '2027-11-25T00:00:00Z' },
  );
  ({ receipt, consentId } = await personGrants(world.gw.app, request));
  writeFileSync(
    file('jwks.json'),
    await (await world.gw.app.request('/.well-known/jwks.json')).text(),
  );
});
afterEach(() => {
  world.close();
});

const file = (name: string): string => join(world.gw.dataDir, name);

async function cli(argv: string[], extra: Partial<CliIo> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    ...extra,
  });
  return { code, stdout, stderr };
}

/** Verifies the receipt text `text` (saved to a file) against the gateway's JWKS file. */
function verify(text: string) {
  writeFileSync(file('receipt.jws'), text);
  return cli(['receipt', 'verify', file('receipt.jws'), '--jwks', file('jwks.json')]);
}

const parts = (jws: string): [string, string, string] => {
  const [header = '', payload = '', signature = ''] = jws.split('.');
  return [header, payload, signature];
};
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (jws: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(parts(jws)[1], 'base64url').toString()) as Record<string, unknown>;

describe('receipt verify', () => {
  it('verifies a granted receipt against a JWKS file and prints what was agreed, exit 0', async () => {
    const result = await verify(`${receipt}\n`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const kid = decodeProtectedHeader(receipt).kid ?? '';
    expect(result.stdout.split('\n')).toEqual([
      `ok   signature by ${AUD} (kid ${kid}, ES256, key from ${file('jwks.json')})`,
      `consent id:   ${consentId}`,
      'purpose:      labour_market_integration',
      'categories:   residence_status, employment_permission',
      expect.stringMatching(
        /^parties: {6}.+ \(abh-koeln, sends\); .+ \(jc-koeln, receives\); .+ \(supervisory-authority, supervisory authority\)$/,
      ),
      'valid until:  2027-11-25T00:00:00.000Z',
      'channel:      portal-code',
      'assurance:    low',
      '',
    ]);
  });

  it('fetches the JWKS from --url BASE/.well-known/jwks.json', async () => {
    const asked: string[] = [];
    writeFileSync(file('receipt.jws'), receipt);
    const result = await cli(['receipt', 'verify', file('receipt.jws'), '--url', `${AUD}/`], {
      fetch: async (url) => {
        asked.push(url);
        return world.gw.app.request(new URL(url).pathname);
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(asked).toEqual([`${AUD}/.well-known/jwks.json`]);
    expect(result.stdout).toContain(`key from ${AUD}/.well-known/jwks.json`);
  });

  it('takes the grant answer as saved, with the receipt in it', async () => {
    const result = await verify(JSON.stringify({ consent: { id: consentId }, receipt }));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`consent id:   ${consentId}`);
  });

  it('refuses a receipt whose claims were changed with exit 1 and one line', async () => {
    const [header, , signature] = parts(receipt);
    const changed = { ...claimsOf(receipt), assurance: 'high' };
    const result = await verify(`${header}.${encode(changed)}.${signature}`);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "consent-gateway: receipt NOT verified: the signature does not verify with the gateway's key: changed or forged\n",
    });
  });

  it('refuses a receipt forged with another key under the gateway kid', async () => {
    const { privateKey } = await crypto.subtle.generateKey(
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const forged = await new CompactSign(
      new TextEncoder().encode(JSON.stringify(claimsOf(receipt))),
    )
      .setProtectedHeader(decodeProtectedHeader(receipt) as { alg: string })
      .sign(privateKey);
    const result = await verify(forged);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^consent-gateway: receipt NOT verified: .*forged\n$/);
  });

  it('refuses an algorithm other than ES256, also alg none', async () => {
    const [, payload] = parts(receipt);
    const kid = decodeProtectedHeader(receipt).kid;
    for (const alg of ['none', 'HS256']) {
      const result = await verify(
        `${encode({ alg, kid, typ: 'consent-receipt+jwt' })}.${payload}.`,
      );
      expect(result.code, alg).toBe(1);
      expect(result.stderr.split('\n'), alg).toHaveLength(2);
      expect(result.stderr, alg).toContain('receipt NOT verified');
    }
    const hs = await verify(
      `${encode({ alg: 'HS256', kid, typ: 'consent-receipt+jwt' })}.${payload}.${parts(receipt)[2]}`,
    );
    expect(hs.stderr).toBe(
      'consent-gateway: receipt NOT verified: not signed with ES256, the only algorithm allowed\n',
    );
  });

  it('refuses another token the gateway signed (typ) and claims that are no receipt', async () => {
    const signer = createGatewaySigner({
      pki: world.gw.storage.pki,
      masterKey: world.gw.masterKey,
    });
    const attestation = await signer.sign('koeln', claimsOf(receipt), 'exchange-attestation+jwt');
    const wrongTyp = await verify(attestation);
    expect(wrongTyp.code).toBe(1);
    expect(wrongTyp.stderr).toBe(
      'consent-gateway: receipt NOT verified: typ is exchange-attestation+jwt, not consent-receipt+jwt\n',
    );
    const notReceipt = await verify(
      await signer.sign(
        'koeln',
        { ...claimsOf(receipt), schema_version: 'x' },
        'consent-receipt+jwt',
      ),
    );
    expect(notReceipt.code).toBe(1);
    expect(notReceipt.stderr).toMatch(
      /^consent-gateway: receipt NOT verified: signed, but not a consent receipt of urn:consent-gateway:receipt:2 \(schema_version: .+\)\n$/,
    );
  });

  it('refuses a receipt from a key not in the JWKS', async () => {
    writeFileSync(file('other.json'), JSON.stringify({ keys: [] }));
    writeFileSync(file('receipt.jws'), receipt);
    const result = await cli([
      'receipt',
      'verify',
      file('receipt.jws'),
      '--jwks',
      file('other.json'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'consent-gateway: receipt NOT verified: no key of the JWKS has its kid\n',
    );
  });

  it.each([
    [['receipt', 'verify', 'r.jws'], 'needs --jwks FILE or --url BASE'],
    [['receipt', 'verify', 'r.jws', '--jwks', 'a', '--url', 'http://x'], 'not both'],
    [['receipt', 'verify', '--jwks', 'a'], 'exactly one receipt FILE'],
    [['receipt', 'verify', 'r.jws', '--url', 'file:///etc'], 'not an http(s) URL'],
  ])('exits 2 with one line for the command line %j', async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/\nrun 'consent-gateway receipt verify --help' for usage\n$/);
  });
});
