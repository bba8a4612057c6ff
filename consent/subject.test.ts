import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/index.ts';
import { unwrapSecret, type PkiDeps } from '../certs/index.ts';
import { FixedClock, toBase64Url } from '../core/index.ts';
import { DATABASE_FILE, openSqliteStorage, type SqliteStorage } from '../storage/sqlite/index.ts';
import { pkiDeps, provisionedTenant } from '../test/support/pki.ts';
import { tempDir } from '../test/support/temp.ts';
import { TenantHasher } from './secrets.ts';
import { auditSubjectRef, ensureSubject, pseudonymOf, SubjectIdentifier } from './subject.ts';

const clock = new FixedClock('2026-11-25T10:00:00Z');
let dir: ReturnType<typeof tempDir>;
let storage: SqliteStorage;
let pki: PkiDeps;
let hasher: TenantHasher;

beforeAll(async () => {
  dir = tempDir();
  storage = openSqliteStorage(dir.path);
  pki = await pkiDeps(storage, clock);
  await provisionedTenant(pki, 'koeln');
  await provisionedTenant(pki, 'dortmund');
  hasher = new TenantHasher(storage.consents, pki.masterKey);
});
afterAll(() => {
  storage.close();
  dir.remove();
});

const azr = (value: string): SubjectIdentifier => ({ scheme: 'azr', value });
const local = (value: string): SubjectIdentifier => ({ scheme: 'local', value });
const subjectDeps = () => ({ consents: storage.consents, hasher, masterKey: pki.masterKey });
const subjectRows = (): unknown =>
  storage.db.prepare('SELECT COUNT(*) FROM subjects').pluck().get();

describe('pseudonymOf', () => {
  it('gives the same person the same pseudonym, also through a fresh hasher', async () => {
    const first = await pseudonymOf(hasher, 'koeln', azr('012345678901'));
    expect(await pseudonymOf(hasher, 'koeln', azr('012345678901'))).toBe(first);
    // The tenant secret is stored, not kept in memory only: a restart yields the same pseudonym.
    const restarted = new TenantHasher(storage.consents, pki.masterKey);
    expect(await pseudonymOf(restarted, 'koeln', azr('012345678901'))).toBe(first);
  });

  it('is a base64url HMAC-SHA256 that does not contain the identifier', async () => {
    const pseudonym = await pseudonymOf(hasher, 'koeln', azr('012345678901'));
    expect(pseudonym).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pseudonym).not.toContain('012345678901');
  });

  it('differs between tenants for the same identifier', async () => {
    expect(await pseudonymOf(hasher, 'koeln', azr('012345678901'))).not.toBe(
      await pseudonymOf(hasher, 'dortmund', azr('012345678901')),
    );
  });

  it('differs between schemes for the same value', async () => {
    expect(await pseudonymOf(hasher, 'koeln', azr('471120260001'))).not.toBe(
      await pseudonymOf(hasher, 'koeln', local('471120260001')),
    );
  });

  it('differs between different people', async () => {
    const values = ['4711-2026', '4711-2027', '4711-202', '04711-2026', '4711 2026'];
    const pseudonyms = await Promise.all(values.map((v) => pseudonymOf(hasher, 'koeln', local(v))));
    expect(new Set(pseudonyms).size).toBe(values.length);
  });

  it('treats the case of the value as the same person', async () => {
    const upper = await pseudonymOf(hasher, 'koeln', local('ABC-12/ä'));
    expect(await pseudonymOf(hasher, 'koeln', local('abc-12/Ä'))).toBe(upper);
    expect(await pseudonymOf(hasher, 'koeln', local('aBc-12/ä'))).toBe(upper);
  });
});

describe('SubjectIdentifier', () => {
  const refused = (input: unknown) => !SubjectIdentifier.safeParse(input).success;

  it('accepts AZR numbers and local case numbers of letters, digits, space . / _ -', () => {
    expect(SubjectIdentifier.parse(azr('012345678901'))).toEqual(azr('012345678901'));
    expect(SubjectIdentifier.parse(local('ABH/2026_17-3 a.b'))).toEqual(local('ABH/2026_17-3 a.b'));
    expect(SubjectIdentifier.parse(local('Äöü-ß-Ğ-й'))).toEqual(local('Äöü-ß-Ğ-й'));
  });

  it('accepts a local case number of 64 characters and refuses 65', () => {
    expect(refused(local('A'.repeat(64)))).toBe(false);
    expect(refused(local('A'.repeat(65)))).toBe(true);
    expect(refused(local('x'.repeat(1000)))).toBe(true);
  });

  it.each([
    ['letters', 'abc'],
    ['11 digits', '12345678901'],
    ['13 digits', '1234567890123'],
    ['a hyphen', '123456-789012'],
    ['an inner space', '123456 789012'],
    ['non-ASCII digits', '١٢٣٤٥٦٧٨٩٠١٢'],
    ['an inner line feed', '123456\n789012'],
  ])('refuses an AZR number of %s: exactly 12 digits', (_, value) => {
    expect(refused(azr(value))).toBe(true);
  });

  it('drops surrounding spaces, so the pseudonym does not depend on them', () => {
    expect(SubjectIdentifier.parse(azr(' 012345678901 '))).toEqual(azr('012345678901'));
    expect(SubjectIdentifier.parse(local('  ABH/17 '))).toEqual(local('ABH/17'));
  });

  it('refuses an empty or blank value', () => {
    expect(refused(azr(''))).toBe(true);
    expect(refused(azr('   '))).toBe(true);
    expect(refused(local(''))).toBe(true);
    expect(refused(local('   '))).toBe(true);
  });

  it('points an invalid value at /value, for the 422 to name the field', () => {
    const result = SubjectIdentifier.safeParse(azr('abc'));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['value']]);
  });

  it.each([
    ['NUL', 'AZR\u0000123'],
    ['a trailing NUL', 'AZR123\u0000'],
    ['a line feed inside', 'AZR\n123'],
    ['a carriage return inside', 'AZR\r123'],
    ['a tab inside', 'AZR\t123'],
    ['escape', 'AZR\u001b[31m123'],
    ['DEL', 'AZR\u007f123'],
    ['NEL (C1)', 'AZR\u0085123'],
    ['a right-to-left override', 'AZR\u202e123'],
    ['a zero-width space', 'AZR\u200b123'],
    ['a combining mark', 'AZR\u0301123'],
  ])('refuses a control or invisible character: %s', (_, value) => {
    expect(refused(azr(value))).toBe(true);
    expect(refused(local(value))).toBe(true);
  });

  it.each([
    ['a colon (the scheme separator inside the pseudonym input)', 'azr:123'],
    ['a quote', "12'3"],
    ['a percent sign', '12%3'],
    ['angle brackets', '<b>1</b>'],
  ])('refuses %s', (_, value) => {
    expect(refused(local(value))).toBe(true);
  });

  it('refuses an unknown or missing scheme', () => {
    expect(refused({ scheme: 'passport', value: 'C01X00T47' })).toBe(true);
    expect(refused({ scheme: 'AZR', value: '012345678901' })).toBe(true);
    expect(refused({ value: '012345678901' })).toBe(true);
    expect(refused({ scheme: 'azr' })).toBe(true);
    expect(refused({ scheme: 'azr', value: 12345 })).toBe(true);
  });

  it('refuses extra keys, such as a name riding along', () => {
    expect(refused({ scheme: 'azr', value: '012345678901', name: 'Max Mustermann' })).toBe(true);
    expect(refused({ scheme: 'azr', value: '012345678901', birthDate: '1990-01-31' })).toBe(true);
  });
});

describe('ensureSubject', () => {
  it('creates the subject once: a second call keeps its key and creation time', async () => {
    const before = subjectRows();
    const at1 = '2026-11-25T10:00:00.000Z';
    const pseudonym = await ensureSubject(subjectDeps(), 'koeln', azr('100000000001'), at1);
    const first = await storage.consents.subject('koeln', pseudonym);
    const again = await ensureSubject(
      subjectDeps(),
      'koeln',
      azr('100000000001'),
      '2026-11-26T10:00:00.000Z',
    );
    const second = await storage.consents.subject('koeln', pseudonym);
    expect(again).toBe(pseudonym);
    expect(first).toBeDefined();
    expect(second).toEqual(first);
    expect(second?.createdAt).toBe(at1);
    expect(subjectRows()).toBe(Number(before) + 1);
  });

  it('answers the pseudonym, the same one pseudonymOf derives', async () => {
    const pseudonym = await ensureSubject(
      subjectDeps(),
      'koeln',
      local('XY-7'),
      clock.now().toISOString(),
    );
    expect(pseudonym).toBe(await pseudonymOf(hasher, 'koeln', local('xy-7')));
  });

  it('keeps a wrapped 32-byte key per subject, bound to its slot, never in clear', async () => {
    const pseudonym = await ensureSubject(
      subjectDeps(),
      'koeln',
      azr('100000000002'),
      clock.now().toISOString(),
    );
    const record = await storage.consents.subject('koeln', pseudonym);
    if (!record) throw new Error('subject not stored');
    const { wrappedKey } = record;
    expect(wrappedKey.alg).toBe('A256GCM');
    expect(wrappedKey.iv).toMatch(/^[A-Za-z0-9_-]{16}$/); // 12 bytes
    // 32 bytes of ciphertext and a 16-byte tag: 48 bytes, 64 base64url characters.
    expect(wrappedKey.ciphertext).toMatch(/^[A-Za-z0-9_-]{64}$/);

    const raw = await unwrapSecret(
      pki.masterKey,
      wrappedKey,
      `consent-gateway/koeln/subject/${pseudonym}`,
    );
    expect(raw).toHaveLength(32);
    // The key is bound to this subject's slot: under another context it does not open.
    await expect(
      unwrapSecret(pki.masterKey, wrappedKey, `consent-gateway/koeln/subject/someone-else`),
    ).rejects.toMatchObject({ code: 'internal_error' });

    // The clear key is nowhere in the database, in any usual encoding.
    storage.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = databaseBytes();
    expect(bytes.includes(Buffer.from(raw))).toBe(false);
    expect(bytes.includes(Buffer.from(toBase64Url(raw)))).toBe(false);
    expect(bytes.includes(Buffer.from(Buffer.from(raw).toString('base64')))).toBe(false);
    expect(bytes.includes(Buffer.from(Buffer.from(raw).toString('hex')))).toBe(false);
  });

  it('gives two people two different keys', async () => {
    const at = clock.now().toISOString();
    const a = await ensureSubject(subjectDeps(), 'koeln', azr('100000000003'), at);
    const b = await ensureSubject(subjectDeps(), 'koeln', azr('100000000004'), at);
    const [ra, rb] = await Promise.all([
      storage.consents.subject('koeln', a),
      storage.consents.subject('koeln', b),
    ]);
    expect(ra?.wrappedKey.ciphertext).not.toBe(rb?.wrappedKey.ciphertext);
  });

  it('keeps the same person in two tenants apart', async () => {
    const at = clock.now().toISOString();
    const inKoeln = await ensureSubject(subjectDeps(), 'koeln', azr('100000000005'), at);
    const inDortmund = await ensureSubject(subjectDeps(), 'dortmund', azr('100000000005'), at);
    expect(inKoeln).not.toBe(inDortmund);
    expect(await storage.consents.subject('dortmund', inKoeln)).toBeUndefined();
    expect(await storage.consents.subject('koeln', inDortmund)).toBeUndefined();
  });

  it('never writes the identifier to the database file or its WAL, in any case', async () => {
    const canary = '731947036195';
    const localCanary = 'AZR-CANARY-7f3a9';
    const pseudonym = await ensureSubject(
      subjectDeps(),
      'koeln',
      azr(canary),
      clock.now().toISOString(),
    );
    await ensureSubject(subjectDeps(), 'koeln', local(localCanary), clock.now().toISOString());
    const forms = [
      canary,
      `azr:${canary}`,
      localCanary,
      localCanary.toUpperCase(),
      localCanary.toLowerCase(),
      `local:${localCanary.toUpperCase()}`,
      'CANARY-7F3A9',
      'canary-7f3a9',
    ];
    const leaks = (bytes: Buffer) =>
      forms.filter(
        (form) =>
          bytes.includes(Buffer.from(form, 'utf8')) || bytes.includes(Buffer.from(form, 'utf16le')),
      );

    // Before a checkpoint the new rows sit in the WAL; look there and in the main file.
    expect(existsSync(walFile())).toBe(true);
    const beforeCheckpoint = databaseBytes();
    // A search that finds nothing proves something only if it would find what is there.
    expect(beforeCheckpoint.includes(Buffer.from(pseudonym))).toBe(true);
    expect(leaks(beforeCheckpoint)).toEqual([]);

    storage.db.pragma('wal_checkpoint(TRUNCATE)');
    const afterCheckpoint = databaseBytes();
    expect(readFileSync(join(dir.path, DATABASE_FILE)).includes(Buffer.from(pseudonym))).toBe(true);
    expect(leaks(afterCheckpoint)).toEqual([]);
  });
});

function walFile(): string {
  return join(dir.path, `${DATABASE_FILE}-wal`);
}

/** The main database file and, if present, its WAL and shared-memory index, as bytes. */
function databaseBytes(): Buffer {
  const files = [join(dir.path, DATABASE_FILE), walFile(), join(dir.path, `${DATABASE_FILE}-shm`)];
  return Buffer.concat(files.filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

describe('auditSubjectRef', () => {
  it('answers the same reference again, and none once the subject is erased', async () => {
    const pseudonym = await ensureSubject(
      subjectDeps(),
      'koeln',
      azr('555555555555'),
      clock.now().toISOString(),
    );
    const ref = await auditSubjectRef(subjectDeps(), 'koeln', pseudonym);
    expect(ref).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await auditSubjectRef(subjectDeps(), 'koeln', pseudonym)).toBe(ref);
    const log = new AuditLog(storage.audit, clock);
    await log.record('koeln', { event: 'subject.erased', actor: 'dsb-koeln', outcome: 'ok' }, (p) =>
      storage.consents.eraseSubject('koeln', pseudonym, p),
    );
    // Remembered or not, a shredded key's reference is never derived again.
    expect(await auditSubjectRef(subjectDeps(), 'koeln', pseudonym)).toBeUndefined();
  });
});
