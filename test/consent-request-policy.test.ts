import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identityHash, TenantHasher } from '../consent/index.ts';
import { DATABASE_FILE } from '../storage/sqlite/index.ts';
import type { TestGateway } from './support/app.ts';
import { consentRequestBody } from './support/flows.ts';
import type { TestPrincipal } from './support/pki.ts';
import { koelnWorld, type KoelnWorld } from './support/world.ts';

let world: KoelnWorld;
let gw: TestGateway;
let abh: TestPrincipal;
let so: TestPrincipal;
let asAgency: KoelnWorld['as'];

beforeEach(async () => {
  world = await koelnWorld({ dpo: false });
  ({ gw, abh, so, as: asAgency } = world);
});
afterEach(() => {
  world.close();
});

const requestBody = (overrides: Record<string, unknown> = {}) =>
  consentRequestBody(
    { scheme: 'azr', value: '100000004711' },
    {
      validUntil: '2027-11-25T00:00:00Z',
      secondFactor: { type: 'birthDate', value: '1987-03-14' },
      ...overrides,
    },
  );

interface Problem {
  code: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string; in?: string }[];
  reasons?: { code: string; message: string }[];
}

async function ask(overrides: Record<string, unknown> = {}, by = abh) {
  const res = await asAgency(by, '/v1/consent-requests', {
    method: 'POST',
    body: requestBody(overrides),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & Problem };
}

const counts = () =>
  Object.fromEntries(
    ['consent_requests', 'subjects', 'audit_entries', 'consent_parties'].map((table) => [
      table,
      gw.storage.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get(),
    ]),
  );

describe('POST /v1/consent-requests is checked against policy', () => {
  it('refuses health for labour-market integration with reasons, and writes nothing', async () => {
    // A request made earlier, so that the tables are not trivially empty.
    expect((await ask()).status).toBe(201);
    const before = counts();
    const { status, body } = await ask({
      subject: { scheme: 'azr', value: '100000000999' },
      categories: ['residence_status', 'health'],
    });
    expect(status).toBe(422);
    expect(body.code).toBe('policy_denied');
    expect(body.detail).toContain('2026-11-25.2');
    expect(body.reasons).toEqual([
      {
        code: 'category_not_allowed',
        message: 'rule lmi.abh-to-jc does not let a immigration_office send health to a jobcenter',
      },
    ]);
    expect(counts()).toEqual(before);
  });

  it('refuses a flow between agency types the policy has no rule for, one reason per pair', async () => {
    const before = counts();
    const { status, body } = await ask(
      { senders: ['so-koeln'], recipients: ['abh-koeln', 'jc-koeln'], categories: ['benefits'] },
      so,
    );
    expect(status).toBe(422);
    expect(body.code).toBe('policy_denied');
    expect(body.reasons?.map((r) => r.code)).toEqual(['no_rule', 'no_rule']);
    expect(body.reasons?.map((r) => r.message).join('\n')).toContain(
      'no rule letting a social_office send to a immigration_office for labour_market_integration',
    );
    expect(counts()).toEqual(before);
  });

  it('checks policy only after validation: a bad request stays validation_failed', async () => {
    const { status, body } = await ask({
      categories: ['health'],
      validUntil: '2020-01-01T00:00:00Z',
    });
    expect(status).toBe(422);
    expect(body.code).toBe('validation_failed');
  });

  it('answers an allowed request with the assurance its grant will need: low', async () => {
    const { status, body } = await ask();
    expect(status).toBe(201);
    expect(body['requiredAssurance']).toBe('low');
  });

  it('answers the allowed health flow (social office → Jobcenter) with substantial', async () => {
    const { status, body } = await ask(
      {
        senders: ['so-koeln'],
        recipients: ['jc-koeln'],
        purpose: 'case_management',
        categories: ['household', 'health'],
      },
      so,
    );
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body['requiredAssurance']).toBe('substantial');
  });

  it('documents the answer and both refusals in the OpenAPI document', async () => {
    const doc = JSON.stringify(await (await gw.app.request('/openapi.json')).json());
    expect(doc).toContain('requiredAssurance');
    expect(doc).toContain('`policy_denied`');
    expect(doc).toContain('exactly 12 digits');
  });
});

describe('subject identifiers', () => {
  it.each([
    ['letters', { scheme: 'azr', value: 'abc' }],
    ['11 digits', { scheme: 'azr', value: '12345678901' }],
    ['a control character in a case number', { scheme: 'local', value: 'JC\u001b4711' }],
    ['a 65-character case number', { scheme: 'local', value: 'A'.repeat(65) }],
  ])('refuses %s with 422 pointing at /subject/value', async (_, subject) => {
    const before = counts();
    const { status, body } = await ask({ subject });
    expect(status).toBe(422);
    expect(body.code).toBe('validation_failed');
    expect(body.errors?.map((e) => e.path)).toEqual(['/subject/value']);
    expect(counts()).toEqual(before);
  });

  it('accepts a local case number and an AZR number with surrounding spaces', async () => {
    expect((await ask({ subject: { scheme: 'local', value: 'ABH/2026_17-3' } })).status).toBe(201);
    expect((await ask({ subject: { scheme: 'azr', value: ' 100000004711 ' } })).status).toBe(201);
    // Both AZR spellings are one person: one subject row for them, one for the case number.
    expect(counts()['subjects']).toBe(2);
  });

  it('GET /v1/consents validates the identifier in the query the same way', async () => {
    const bad = await asAgency(abh, '/v1/consents?subject.scheme=azr&subject.value=abc');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Problem).errors).toEqual([
      { path: '/subject.value', message: 'an AZR number is exactly 12 digits', in: 'query' },
    ]);
    const good = await asAgency(abh, '/v1/consents?subject.scheme=azr&subject.value=100000004711');
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ items: [] });
  });
});

describe('identity for identity-verified sign-in', () => {
  const identity = {
    familyName: 'Kanarienvogel-Öztürk',
    givenNames: 'Zwölfrieda Maëlle',
    birthDate: '1987-03-14',
  };

  it('is accepted and kept only as its keyed hash: no name or birth date in the file', async () => {
    const { status, body } = await ask({ identity });
    expect(status, JSON.stringify(body)).toBe(201);

    const stored = gw.storage.db
      .prepare('SELECT identity_hash FROM consent_requests WHERE id = ?')
      .pluck()
      .get(body['id']) as string | null;
    const hasher = new TenantHasher(gw.storage.consents, gw.masterKey);
    const expected = await identityHash({ hasher }, 'koeln', {
      familyName: 'KANARIENVOGEL OZTURK',
      givenNames: 'ZWOLFRIEDA MAELLE',
      birthDate: '1987-03-14',
    });
    expect(stored).toBe(expected);

    const canaries = [
      'Kanarienvogel',
      'KANARIENVOGEL',
      'kanarienvogel',
      'Öztürk',
      'ozturk',
      'Zwölfrieda',
      'zwolfrieda',
      'Maëlle',
      'maelle',
      '1987-03-14',
      '19870314',
      '14.03.1987',
    ];
    const bytes = databaseBytes();
    // The scan would find a value that is there: the stored hash is.
    expect(bytes.includes(Buffer.from(expected))).toBe(true);
    const leaks = canaries.filter(
      (c) => bytes.includes(Buffer.from(c, 'utf8')) || bytes.includes(Buffer.from(c, 'utf16le')),
    );
    expect(leaks).toEqual([]);
    expect(canaries.filter((c) => gw.logs.text.includes(c))).toEqual([]);
  });

  it('stores no identity hash when none was given', async () => {
    const { body } = await ask();
    const stored = gw.storage.db
      .prepare('SELECT identity_hash FROM consent_requests WHERE id = ?')
      .pluck()
      .get(body['id']);
    expect(stored).toBeNull();
  });

  it.each([
    ['a birth date in the future', { ...identity, birthDate: '2030-01-01' }, '/identity/birthDate'],
    [
      'a birth date other than the second factor',
      { ...identity, birthDate: '1987-03-15' },
      '/identity/birthDate',
    ],
    ['digits in a name', { ...identity, familyName: 'K4n4rie' }, '/identity/familyName'],
    ['an extra field', { ...identity, nationality: 'DE' }, '/identity'],
  ])('refuses %s with 422 validation_failed, writing nothing', async (_, bad, path) => {
    const before = counts();
    const { status, body } = await ask({ identity: bad });
    expect(status).toBe(422);
    expect(body.code).toBe('validation_failed');
    expect(body.errors?.map((e) => e.path)).toContain(path);
    expect(counts()).toEqual(before);
  });
});

/** The main database file and, if present, its WAL and shared-memory index, as bytes. */
function databaseBytes(): Buffer {
  const base = join(gw.dataDir, DATABASE_FILE);
  const files = [base, `${base}-wal`, `${base}-shm`];
  return Buffer.concat(files.filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}
